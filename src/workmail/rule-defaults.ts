// WorkMail gives every organization an allow-all access control rule and an allow-all mobile
// device access rule, which administrators may edit or delete (deleting every rule then blocks
// all access). Godwit writes both in the transaction that creates the organization, so reading
// rules never writes; migration 006 wrote them for the organizations created before. A marker
// row per organization and kind records that the default was written: a deleted default stays
// deleted.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../store/database.ts';
import type { WmOrganizationsTable } from '../store/schema.ts';

export type RuleSetKind = 'access' | 'mobile';

/** WorkMail's own default rules, as `aws workmail list-access-control-rules` shows them. */
export const DEFAULT_RULE_NAME = 'default';
export const DEFAULT_RULE_DESCRIPTION = 'Default WorkMail Rule';

/** Writes the organization's two default rules and their markers; dated with the organization. */
export async function installDefaultRules(trx: Tx, org: Pick<WmOrganizationsTable, 'id' | 'created_at'>, now: Date): Promise<void> {
  const rule = { org_id: org.id, name: DEFAULT_RULE_NAME, effect: 'ALLOW', description: DEFAULT_RULE_DESCRIPTION, conditions: '{}', created_at: org.created_at, modified_at: org.created_at };
  await trx.insertInto('wm_access_control_rules').values(rule).execute();
  await trx.insertInto('wm_mobile_access_rules').values({ ...rule, id: randomUUID(), client_token: null }).execute();
  const kinds: RuleSetKind[] = ['access', 'mobile'];
  await trx
    .insertInto('wm_rule_defaults')
    .values(kinds.map((kind) => ({ org_id: org.id, kind, installed_at: now.toISOString() })))
    .execute();
}
