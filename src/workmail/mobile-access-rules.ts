// An organization's mobile device access rules in the store: create (idempotent on
// ClientToken), update, delete (idempotent), list, and the allow-all default rule every
// WorkMail organization starts with. The decision itself is mobile-access.ts.
import { randomUUID } from 'node:crypto';
import { inTransaction, type Db } from '../store/database.ts';
import type { WmMobileAccessRulesTable, WmOrganizationsTable } from '../store/schema.ts';
import { EntityNotFound, WorkMailLimitExceeded } from './errors.ts';
import type { DeviceConditions, Effect, MobileDeviceAccessRule } from './mobile-access.ts';
import { ensureDefaultRule } from './rule-defaults.ts';

export const MAX_MOBILE_DEVICE_ACCESS_RULES = 10;

const DEFAULT_MOBILE_RULE_NAME = 'default';
const DEFAULT_MOBILE_RULE_DESCRIPTION = 'Default WorkMail Rule';

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

async function ensureDefault(db: Db, org: WmOrganizationsTable, now: Date): Promise<void> {
  await ensureDefaultRule(db, org.id, 'mobile', now, async (trx) => {
    await trx
      .insertInto('wm_mobile_access_rules')
      .values({
        id: randomUUID(),
        org_id: org.id,
        name: DEFAULT_MOBILE_RULE_NAME,
        effect: 'ALLOW',
        description: DEFAULT_MOBILE_RULE_DESCRIPTION,
        conditions: '{}',
        client_token: null,
        created_at: org.created_at,
        modified_at: org.created_at,
      })
      .execute();
  });
}

/** The organization's rules, oldest first. */
export async function listMobileDeviceAccessRules(db: Db, org: WmOrganizationsTable, now: Date): Promise<StoredMobileDeviceAccessRule[]> {
  await ensureDefault(db, org, now);
  const rows = await db.selectFrom('wm_mobile_access_rules').selectAll().where('org_id', '=', org.id).orderBy('created_at').orderBy('id').execute();
  return rows.map(fromRow);
}

export async function createMobileDeviceAccessRule(
  db: Db,
  org: WmOrganizationsTable,
  input: MobileDeviceAccessRuleInput & { clientToken: string | undefined },
  now: Date,
): Promise<string> {
  await ensureDefault(db, org, now);
  if (input.clientToken !== undefined) {
    const previous = await db
      .selectFrom('wm_mobile_access_rules')
      .select('id')
      .where('org_id', '=', org.id)
      .where('client_token', '=', input.clientToken)
      .executeTakeFirst();
    if (previous) return previous.id;
  }
  const id = randomUUID();
  await inTransaction(db, async (trx) => {
    const { count } = await trx
      .selectFrom('wm_mobile_access_rules')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_MOBILE_DEVICE_ACCESS_RULES) {
      throw new WorkMailLimitExceeded(`An organization can have at most ${MAX_MOBILE_DEVICE_ACCESS_RULES} mobile device access rules.`);
    }
    await trx
      .insertInto('wm_mobile_access_rules')
      .values({
        id,
        org_id: org.id,
        name: input.name,
        effect: input.effect,
        description: input.description ?? null,
        conditions: conditionsJson(input),
        client_token: input.clientToken ?? null,
        created_at: now.toISOString(),
        modified_at: now.toISOString(),
      })
      .execute();
  });
  return id;
}

/** Replaces the rule's name, effect, description and conditions; EntityNotFound when there is no such rule. */
export async function updateMobileDeviceAccessRule(db: Db, org: WmOrganizationsTable, ruleId: string, input: MobileDeviceAccessRuleInput, now: Date): Promise<void> {
  await ensureDefault(db, org, now);
  const result = await db
    .updateTable('wm_mobile_access_rules')
    .set({ name: input.name, effect: input.effect, description: input.description ?? null, conditions: conditionsJson(input), modified_at: now.toISOString() })
    .where('org_id', '=', org.id)
    .where('id', '=', ruleId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new EntityNotFound(`The mobile device access rule ${ruleId} was not found in organization ${org.id}.`);
}

/** Idempotent, as WorkMail's DeleteMobileDeviceAccessRule. */
export async function deleteMobileDeviceAccessRule(db: Db, org: WmOrganizationsTable, ruleId: string, now: Date): Promise<void> {
  await ensureDefault(db, org, now);
  await db.deleteFrom('wm_mobile_access_rules').where('org_id', '=', org.id).where('id', '=', ruleId).execute();
}
