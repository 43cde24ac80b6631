// An organization's access control rules in the store: put (a rule with the same name is
// replaced, keeping its creation date), delete (idempotent), list, and the default allow-all
// rule every WorkMail organization starts with. The decision itself is access-control.ts.
import { inTransaction, type Db } from '../store/database.ts';
import type { WmAccessControlRulesTable, WmOrganizationsTable } from '../store/schema.ts';
import { isAccessControlAction, type AccessControlConditions, type AccessControlRule, type Effect } from './access-control.ts';
import { requireEntity } from './entities.ts';
import { InvalidParameter, WorkMailLimitExceeded } from './errors.ts';
import { requireImpersonationRole } from './impersonation.ts';
import { ensureDefaultRule } from './rule-defaults.ts';

export const MAX_ACCESS_CONTROL_RULES = 20;

/** WorkMail's own default rule, as `aws workmail list-access-control-rules` shows it. */
export const DEFAULT_ACCESS_RULE_NAME = 'default';
const DEFAULT_ACCESS_RULE_DESCRIPTION = 'Default WorkMail Rule';

export interface StoredAccessControlRule extends AccessControlRule {
  description: string;
  createdAt: Date;
  modifiedAt: Date;
}

export interface AccessControlRuleInput extends AccessControlConditions {
  name: string;
  effect: Effect;
  description: string;
}

const CONDITION_KEYS = [
  'ipRanges',
  'notIpRanges',
  'actions',
  'notActions',
  'userIds',
  'notUserIds',
  'impersonationRoleIds',
  'notImpersonationRoleIds',
] as const satisfies readonly (keyof AccessControlConditions)[];

function conditionsJson(rule: AccessControlConditions): string {
  const out: AccessControlConditions = {};
  for (const key of CONDITION_KEYS) if (rule[key] !== undefined) out[key] = rule[key];
  return JSON.stringify(out);
}

const fromRow = (row: WmAccessControlRulesTable): StoredAccessControlRule => ({
  name: row.name,
  effect: row.effect as Effect,
  description: row.description,
  ...(JSON.parse(row.conditions) as AccessControlConditions),
  createdAt: new Date(row.created_at),
  modifiedAt: new Date(row.modified_at),
});

async function ensureDefault(db: Db, org: WmOrganizationsTable, now: Date): Promise<void> {
  await ensureDefaultRule(db, org.id, 'access', now, async (trx) => {
    await trx
      .insertInto('wm_access_control_rules')
      .values({
        org_id: org.id,
        name: DEFAULT_ACCESS_RULE_NAME,
        effect: 'ALLOW',
        description: DEFAULT_ACCESS_RULE_DESCRIPTION,
        conditions: '{}',
        created_at: org.created_at,
        modified_at: org.created_at,
      })
      .execute();
  });
}

/** The organization's rules, oldest first; what the protocol listeners evaluate. */
export async function listAccessControlRules(db: Db, org: WmOrganizationsTable, now: Date): Promise<StoredAccessControlRule[]> {
  await ensureDefault(db, org, now);
  const rows = await db.selectFrom('wm_access_control_rules').selectAll().where('org_id', '=', org.id).orderBy('created_at').orderBy('name').execute();
  return rows.map(fromRow);
}

/** Checks the rule's actions, users and impersonation roles; user identifiers become user ids. */
async function resolveConditions(db: Db, orgId: string, input: AccessControlConditions): Promise<AccessControlConditions> {
  for (const action of [...(input.actions ?? []), ...(input.notActions ?? [])]) {
    if (!isAccessControlAction(action)) {
      throw new InvalidParameter(`Invalid action ${action}. Valid actions are ActiveSync, AutoDiscover, EWS, IMAP, SMTP, WindowsOutlook, WebMail.`);
    }
  }
  const users = async (identifiers: string[] | undefined) => {
    if (identifiers === undefined) return undefined;
    const ids: string[] = [];
    for (const identifier of identifiers) ids.push((await requireEntity(db, orgId, identifier, 'USER')).id);
    return [...new Set(ids)];
  };
  for (const roleId of [...(input.impersonationRoleIds ?? []), ...(input.notImpersonationRoleIds ?? [])]) {
    await requireImpersonationRole(db, orgId, roleId);
  }
  return { ...input, userIds: await users(input.userIds), notUserIds: await users(input.notUserIds) };
}

export async function putAccessControlRule(db: Db, org: WmOrganizationsTable, input: AccessControlRuleInput, now: Date): Promise<void> {
  await ensureDefault(db, org, now);
  const conditions = conditionsJson(await resolveConditions(db, org.id, input));
  await inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('wm_access_control_rules')
      .select('name')
      .where('org_id', '=', org.id)
      .where('name', '=', input.name)
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable('wm_access_control_rules')
        .set({ effect: input.effect, description: input.description, conditions, modified_at: now.toISOString() })
        .where('org_id', '=', org.id)
        .where('name', '=', input.name)
        .execute();
      return;
    }
    const { count } = await trx
      .selectFrom('wm_access_control_rules')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_ACCESS_CONTROL_RULES) {
      throw new WorkMailLimitExceeded(`An organization can have at most ${MAX_ACCESS_CONTROL_RULES} access control rules.`);
    }
    await trx
      .insertInto('wm_access_control_rules')
      .values({
        org_id: org.id,
        name: input.name,
        effect: input.effect,
        description: input.description,
        conditions,
        created_at: now.toISOString(),
        modified_at: now.toISOString(),
      })
      .execute();
  });
}

/** Idempotent. Deleting the default rule is allowed and lasts: with no rules left, all access is denied. */
export async function deleteAccessControlRule(db: Db, org: WmOrganizationsTable, name: string, now: Date): Promise<void> {
  await ensureDefault(db, org, now);
  await db.deleteFrom('wm_access_control_rules').where('org_id', '=', org.id).where('name', '=', name).execute();
}
