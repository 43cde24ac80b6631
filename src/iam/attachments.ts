// Managed policies attached to users and groups: at most 10 per entity, as in AWS.
import { LimitExceeded } from '../errors.ts';
import type { Db } from '../store/database.ts';

export const MAX_ATTACHED_POLICIES = 10;

export type EntityType = 'user' | 'group';

/** Attaching a policy that is already attached succeeds without change, as in AWS. */
export async function attachPolicy(db: Db, accountId: string, entityType: EntityType, entityId: string, policyArn: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const attached = await trx
      .selectFrom('policy_attachments')
      .select('policy_arn')
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', entityId)
      .execute();
    if (attached.some((row) => row.policy_arn === policyArn)) return;
    if (attached.length >= MAX_ATTACHED_POLICIES) {
      const quota = entityType === 'user' ? 'PoliciesPerUser' : 'PoliciesPerGroup';
      throw new LimitExceeded(`Cannot exceed quota for ${quota}: ${MAX_ATTACHED_POLICIES}`);
    }
    await trx
      .insertInto('policy_attachments')
      .values({ account_id: accountId, entity_type: entityType, entity_id: entityId, policy_arn: policyArn, attached_at: now.toISOString() })
      .execute();
  });
}
