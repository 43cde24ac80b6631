// The organization's mailbox retention policy. WorkMail keeps one per organization (the
// "default" policy): PutRetentionPolicy replaces it in place, keeping its Id, and a Put that
// names another Id would make a second policy, which WorkMail does not allow.
import { randomUUID } from 'node:crypto';
import type { Db, Reader } from '../store/database.ts';
import { writeDirectory } from './directory-write.ts';
import { EntityNotFound, InvalidParameter, WorkMailLimitExceeded } from './errors.ts';

export interface FolderConfiguration {
  Name: string;
  /** NONE | DELETE | PERMANENTLY_DELETE */
  Action: string;
  /** Days; required unless the action is NONE. */
  Period?: number;
}

export interface RetentionPolicy {
  id: string;
  name: string;
  description: string | undefined;
  folders: FolderConfiguration[];
}

export interface RetentionPolicyInput {
  id: string | undefined;
  name: string;
  description: string | undefined;
  folders: FolderConfiguration[];
}

function checkFolders(folders: FolderConfiguration[]): FolderConfiguration[] {
  const seen = new Set<string>();
  return folders.map((folder) => {
    if (seen.has(folder.Name)) throw new InvalidParameter(`The folder ${folder.Name} is configured more than once.`);
    seen.add(folder.Name);
    if (folder.Action !== 'NONE' && folder.Period === undefined) {
      throw new InvalidParameter(`The folder ${folder.Name} needs a Period for the action ${folder.Action}.`);
    }
    return folder.Period === undefined ? { Name: folder.Name, Action: folder.Action } : { Name: folder.Name, Action: folder.Action, Period: folder.Period };
  });
}

export async function putRetentionPolicy(db: Db, orgId: string, input: RetentionPolicyInput, now: Date): Promise<RetentionPolicy> {
  const folders = checkFolders(input.folders);
  return writeDirectory(db, orgId, async (trx) => {
    const existing = await trx.selectFrom('wm_retention_policies').select('id').where('org_id', '=', orgId).executeTakeFirst();
    if (existing && input.id !== undefined && input.id !== existing.id) {
      throw new WorkMailLimitExceeded(`Organization ${orgId} already has the retention policy ${existing.id}; an organization can have only one.`);
    }
    const id = existing?.id ?? input.id ?? randomUUID();
    const values = { name: input.name, description: input.description ?? null, folders: JSON.stringify(folders), updated_at: now.toISOString() };
    await trx
      .insertInto('wm_retention_policies')
      .values({ org_id: orgId, id, ...values })
      .onConflict((conflict) => conflict.column('org_id').doUpdateSet(values))
      .execute();
    return { id, name: input.name, description: input.description, folders };
  });
}

export async function getRetentionPolicy(db: Reader, orgId: string): Promise<RetentionPolicy> {
  const row = await db.selectFrom('wm_retention_policies').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (!row) throw new EntityNotFound(`No retention policy found for organization ${orgId}.`);
  return { id: row.id, name: row.name, description: row.description ?? undefined, folders: JSON.parse(row.folders) as FolderConfiguration[] };
}

/** Deleting a policy that is not there is not an error (the operation declares no not-found). */
export async function deleteRetentionPolicy(db: Db, orgId: string, id: string): Promise<void> {
  await writeDirectory(db, orgId, (trx) => trx.deleteFrom('wm_retention_policies').where('org_id', '=', orgId).where('id', '=', id).execute());
}
