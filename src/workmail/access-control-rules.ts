// An organization's access control rules in the store: put (a rule with the same name is
// replaced, keeping its creation date), delete (idempotent) and list. Every organization starts
// with WorkMail's allow-all rule "default" (rule-defaults.ts). The decision itself is
// access-control.ts; access-decision.ts puts the two together.
import type { Db, Reader } from '../store/database.ts';
import type { WmAccessControlRulesTable } from '../store/schema.ts';
import { isAccessControlAction, type AccessControlConditions, type AccessControlRule, type Effect } from './access-control.ts';
import { requireEntity } from './entities.ts';
import { InvalidParameter, WorkMailLimitExceeded } from './errors.ts';
import { writeDirectory } from './directory-write.ts';
import { requireImpersonationRole } from './impersonation.ts';

export const MAX_ACCESS_CONTROL_RULES = 20;

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

/** The organization's rules, oldest first; what the protocol listeners evaluate. */
export async function listAccessControlRules(db: Reader, orgId: string): Promise<StoredAccessControlRule[]> {
  const rows = await db.selectFrom('wm_access_control_rules').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('name').execute();
  return rows.map(fromRow);
}

/** Checks the rule's actions, users and impersonation roles; user identifiers become user ids. */
async function resolveConditions(db: Reader, orgId: string, input: AccessControlConditions): Promise<AccessControlConditions> {
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

/** Adds or replaces the rule; the users and roles it names, and the limit, are checked under the organization's lock. */
export async function putAccessControlRule(db: Db, orgId: string, input: AccessControlRuleInput, now: Date): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const conditions = conditionsJson(await resolveConditions(trx, orgId, input));
    const existing = await trx
      .selectFrom('wm_access_control_rules')
      .select('name')
      .where('org_id', '=', orgId)
      .where('name', '=', input.name)
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable('wm_access_control_rules')
        .set({ effect: input.effect, description: input.description, conditions, modified_at: now.toISOString() })
        .where('org_id', '=', orgId)
        .where('name', '=', input.name)
        .execute();
      return;
    }
    const { count } = await trx
      .selectFrom('wm_access_control_rules')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_ACCESS_CONTROL_RULES) {
      throw new WorkMailLimitExceeded(`An organization can have at most ${MAX_ACCESS_CONTROL_RULES} access control rules.`);
    }
    await trx
      .insertInto('wm_access_control_rules')
      .values({
        org_id: orgId,
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
export async function deleteAccessControlRule(db: Db, orgId: string, name: string): Promise<void> {
  await writeDirectory(db, orgId, (trx) => trx.deleteFrom('wm_access_control_rules').where('org_id', '=', orgId).where('name', '=', name).execute());
}
