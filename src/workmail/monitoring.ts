// Organization-wide switches kept in one row per organization: email monitoring (where
// WorkMail would send its mail-flow event logs: a CloudWatch log group, written with an IAM
// role) and whether inbound mail that fails DMARC is refused (Enforced) or only marked.
import type { Db, Reader, Tx } from '../store/database.ts';
import { writeDirectory } from './directory-write.ts';
import { InvalidParameter, ResourceNotFound } from './errors.ts';

export interface EmailMonitoring {
  roleArn: string | undefined;
  logGroupArn: string;
}

// The model's RoleArn pattern accepts any IAM ARN; only a role can be assumed to write logs.
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@\/-]+$/;

/** The organization's settings row, written by the first setting changed. */
async function ensureRow(trx: Tx, orgId: string): Promise<void> {
  await trx
    .insertInto('wm_org_settings')
    .values({ org_id: orgId, dmarc_enforced: 0, monitoring_role_arn: null, monitoring_log_group_arn: null })
    .onConflict((conflict) => conflict.column('org_id').doNothing())
    .execute();
}

export async function putEmailMonitoring(db: Db, orgId: string, monitoring: EmailMonitoring): Promise<void> {
  if (monitoring.roleArn !== undefined && !ROLE_ARN.test(monitoring.roleArn)) {
    throw new InvalidParameter(`RoleArn ${monitoring.roleArn} is not the ARN of an IAM role.`);
  }
  await writeDirectory(db, orgId, async (trx) => {
    await ensureRow(trx, orgId);
    await trx
      .updateTable('wm_org_settings')
      .set({ monitoring_role_arn: monitoring.roleArn ?? null, monitoring_log_group_arn: monitoring.logGroupArn })
      .where('org_id', '=', orgId)
      .execute();
  });
}

export async function describeEmailMonitoring(db: Reader, orgId: string): Promise<EmailMonitoring> {
  const row = await db.selectFrom('wm_org_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (!row?.monitoring_log_group_arn) throw new ResourceNotFound(`Email monitoring is not configured for organization ${orgId}.`);
  return { roleArn: row.monitoring_role_arn ?? undefined, logGroupArn: row.monitoring_log_group_arn };
}

export async function deleteEmailMonitoring(db: Db, orgId: string): Promise<void> {
  await writeDirectory(db, orgId, (trx) =>
    trx.updateTable('wm_org_settings').set({ monitoring_role_arn: null, monitoring_log_group_arn: null }).where('org_id', '=', orgId).execute(),
  );
}

export async function putInboundDmarc(db: Db, orgId: string, enforced: boolean): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    await ensureRow(trx, orgId);
    await trx.updateTable('wm_org_settings').set({ dmarc_enforced: enforced ? 1 : 0 }).where('org_id', '=', orgId).execute();
  });
}

/** False until an administrator enforces it, as in WorkMail. */
export async function inboundDmarcEnforced(db: Reader, orgId: string): Promise<boolean> {
  const row = await db.selectFrom('wm_org_settings').select('dmarc_enforced').where('org_id', '=', orgId).executeTakeFirst();
  return row?.dmarc_enforced === 1;
}
