// An organization's mobile device access rules in the store: create (idempotent on
// ClientToken), update, delete (idempotent) and list. Every organization starts with WorkMail's
// allow-all rule "default" (rule-defaults.ts). The decision itself is mobile-access.ts.
import { randomUUID } from 'node:crypto';
import type { Db, Reader } from '../store/database.ts';
import type { WmMobileAccessRulesTable } from '../store/schema.ts';
import { writeDirectory } from './directory-write.ts';
import { EntityNotFound, WorkMailLimitExceeded } from './errors.ts';
import type { DeviceConditions, Effect, MobileDeviceAccessRule } from './mobile-access.ts';

export const MAX_MOBILE_DEVICE_ACCESS_RULES = 10;

export interface StoredMobileDeviceAccessRule extends MobileDeviceAccessRule {
  description: string | undefined;
  createdAt: Date;
  modifiedAt: Date;
}

export interface MobileDeviceAccessRuleInput extends DeviceConditions {
  name: string;
  effect: Effect;
  description: string | undefined;
}

const CONDITION_KEYS = [
  'deviceTypes',
  'notDeviceTypes',
  'deviceModels',
  'notDeviceModels',
  'deviceOperatingSystems',
  'notDeviceOperatingSystems',
  'deviceUserAgents',
  'notDeviceUserAgents',
] as const satisfies readonly (keyof DeviceConditions)[];

function conditionsJson(rule: DeviceConditions): string {
  const out: DeviceConditions = {};
  for (const key of CONDITION_KEYS) if (rule[key] !== undefined) out[key] = rule[key];
  return JSON.stringify(out);
}

const fromRow = (row: WmMobileAccessRulesTable): StoredMobileDeviceAccessRule => ({
  id: row.id,
  name: row.name,
  effect: row.effect as Effect,
  description: row.description ?? undefined,
  ...(JSON.parse(row.conditions) as DeviceConditions),
  createdAt: new Date(row.created_at),
  modifiedAt: new Date(row.modified_at),
});

/** The organization's rules, oldest first. */
export async function listMobileDeviceAccessRules(db: Reader, orgId: string): Promise<StoredMobileDeviceAccessRule[]> {
  const rows = await db.selectFrom('wm_mobile_access_rules').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
  return rows.map(fromRow);
}

/** Adds a rule; a retry with the same ClientToken returns the rule the first call made. */
export async function createMobileDeviceAccessRule(
  db: Db,
  orgId: string,
  input: MobileDeviceAccessRuleInput & { clientToken: string | undefined },
  now: Date,
): Promise<string> {
  return writeDirectory(db, orgId, async (trx) => {
    if (input.clientToken !== undefined) {
      const previous = await trx
        .selectFrom('wm_mobile_access_rules')
        .select('id')
        .where('org_id', '=', orgId)
        .where('client_token', '=', input.clientToken)
        .executeTakeFirst();
      if (previous) return previous.id;
    }
    const { count } = await trx
      .selectFrom('wm_mobile_access_rules')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_MOBILE_DEVICE_ACCESS_RULES) {
      throw new WorkMailLimitExceeded(`An organization can have at most ${MAX_MOBILE_DEVICE_ACCESS_RULES} mobile device access rules.`);
    }
    const id = randomUUID();
    await trx
      .insertInto('wm_mobile_access_rules')
      .values({
        id,
        org_id: orgId,
        name: input.name,
        effect: input.effect,
        description: input.description ?? null,
        conditions: conditionsJson(input),
        client_token: input.clientToken ?? null,
        created_at: now.toISOString(),
        modified_at: now.toISOString(),
      })
      .execute();
    return id;
  });
}

/** Replaces the rule's name, effect, description and conditions; EntityNotFound when there is no such rule. */
export async function updateMobileDeviceAccessRule(db: Db, orgId: string, ruleId: string, input: MobileDeviceAccessRuleInput, now: Date): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const result = await trx
      .updateTable('wm_mobile_access_rules')
      .set({ name: input.name, effect: input.effect, description: input.description ?? null, conditions: conditionsJson(input), modified_at: now.toISOString() })
      .where('org_id', '=', orgId)
      .where('id', '=', ruleId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new EntityNotFound(`The mobile device access rule ${ruleId} was not found in organization ${orgId}.`);
  });
}

/** Idempotent, as WorkMail's DeleteMobileDeviceAccessRule. */
export async function deleteMobileDeviceAccessRule(db: Db, orgId: string, ruleId: string): Promise<void> {
  await writeDirectory(db, orgId, (trx) => trx.deleteFrom('wm_mobile_access_rules').where('org_id', '=', orgId).where('id', '=', ruleId).execute());
}
