// Impersonation roles: a named set of rules saying which users a tool holding the role may act
// as (over EWS, in WorkMail). WorkMail evaluates them this way (admin guide, "Managing
// impersonation roles"): a matching DENY rule denies; otherwise a matching ALLOW rule allows;
// when no rule applies, impersonation is denied. A rule with neither TargetUsers nor
// NotTargetUsers matches every user.
//
// Target users are stored as entity ids, resolved when the role is written, so that renaming a
// user or reusing a name does not silently change whom a role may impersonate.
import { randomUUID } from 'node:crypto';
import type { Db, Reader } from '../store/database.ts';
import type { WmImpersonationRolesTable } from '../store/schema.ts';
import { writeDirectory } from './directory-write.ts';
import { requireEntity } from './entities.ts';
import { InvalidParameter, ResourceNotFound, WorkMailLimitExceeded } from './errors.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';

export const MAX_IMPERSONATION_ROLES = 20;

export type ImpersonationRoleType = 'FULL_ACCESS' | 'READ_ONLY';
export type AccessEffect = 'ALLOW' | 'DENY';

/** One rule of a role, in WorkMail's shape (it is also what the API returns). */
export interface ImpersonationRule {
  ImpersonationRuleId: string;
  Name?: string;
  Description?: string;
  Effect: AccessEffect;
  TargetUsers?: string[];
  NotTargetUsers?: string[];
}

export interface ImpersonationMatchedRule {
  ImpersonationRuleId: string;
  Name?: string;
}

export interface ImpersonationDecision {
  effect: AccessEffect;
  matchedRules: ImpersonationMatchedRule[];
}

const present = (list: readonly string[] | undefined): list is readonly string[] => list !== undefined && list.length > 0;

export function impersonationRuleMatches(rule: ImpersonationRule, targetUserId: string): boolean {
  if (present(rule.TargetUsers) && !rule.TargetUsers.includes(targetUserId)) return false;
  if (present(rule.NotTargetUsers) && rule.NotTargetUsers.includes(targetUserId)) return false;
  return true;
}

/** Pure: whether a role with these rules may impersonate the user with this entity id. */
export function impersonationEffect(rules: readonly ImpersonationRule[], targetUserId: string): ImpersonationDecision {
  const matching = rules.filter((rule) => impersonationRuleMatches(rule, targetUserId));
  const denying = matching.filter((rule) => rule.Effect === 'DENY');
  const producing = denying.length > 0 ? denying : matching;
  return {
    effect: denying.length === 0 && matching.length > 0 ? 'ALLOW' : 'DENY',
    matchedRules: producing.map((rule) => ({ ImpersonationRuleId: rule.ImpersonationRuleId, Name: rule.Name })),
  };
}

export const rulesOf = (role: WmImpersonationRolesTable): ImpersonationRule[] => JSON.parse(role.rules) as ImpersonationRule[];

export interface ImpersonationRoleInput {
  name: string;
  type: ImpersonationRoleType;
  description: string | undefined;
  rules: ImpersonationRule[];
}

/** Checks the rules and replaces each target user identifier (id, email or name) by the user's id. */
async function resolveRules(db: Reader, orgId: string, rules: ImpersonationRule[]): Promise<ImpersonationRule[]> {
  const ids = new Set<string>();
  const resolved: ImpersonationRule[] = [];
  const userIds = async (identifiers: string[] | undefined) => {
    if (identifiers === undefined) return undefined;
    const out: string[] = [];
    for (const identifier of identifiers) out.push((await requireEntity(db, orgId, identifier, 'USER')).id);
    return [...new Set(out)];
  };
  for (const rule of rules) {
    if (ids.has(rule.ImpersonationRuleId)) throw new InvalidParameter(`Duplicate impersonation rule id ${rule.ImpersonationRuleId}.`);
    ids.add(rule.ImpersonationRuleId);
    resolved.push({
      ImpersonationRuleId: rule.ImpersonationRuleId,
      Name: rule.Name,
      Description: rule.Description,
      Effect: rule.Effect,
      TargetUsers: await userIds(rule.TargetUsers),
      NotTargetUsers: await userIds(rule.NotTargetUsers),
    });
  }
  return resolved;
}

/** Adds a role; a retry with the same ClientToken returns the role the first call made. */
export async function createImpersonationRole(
  db: Db,
  orgId: string,
  input: ImpersonationRoleInput & { clientToken: string | undefined },
  now: Date,
): Promise<WmImpersonationRolesTable> {
  return writeDirectory(db, orgId, async (trx) => {
    if (input.clientToken !== undefined) {
      const previous = await trx
        .selectFrom('wm_impersonation_roles')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('client_token', '=', input.clientToken)
        .executeTakeFirst();
      if (previous) return previous;
    }
    const rules = await resolveRules(trx, orgId, input.rules);
    const { count } = await trx
      .selectFrom('wm_impersonation_roles')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_IMPERSONATION_ROLES) {
      throw new WorkMailLimitExceeded(`An organization can have at most ${MAX_IMPERSONATION_ROLES} impersonation roles.`);
    }
    const row: WmImpersonationRolesTable = {
      id: randomUUID(),
      org_id: orgId,
      name: input.name,
      type: input.type,
      description: input.description ?? null,
      rules: JSON.stringify(rules),
      client_token: input.clientToken ?? null,
      created_at: now.toISOString(),
      modified_at: now.toISOString(),
    };
    await trx.insertInto('wm_impersonation_roles').values(row).execute();
    return row;
  });
}

export async function findImpersonationRole(db: Reader, orgId: string, roleId: string): Promise<WmImpersonationRolesTable | undefined> {
  return db.selectFrom('wm_impersonation_roles').selectAll().where('org_id', '=', orgId).where('id', '=', roleId).executeTakeFirst();
}

export async function requireImpersonationRole(db: Reader, orgId: string, roleId: string): Promise<WmImpersonationRolesTable> {
  const role = await findImpersonationRole(db, orgId, roleId);
  if (!role) throw new ResourceNotFound(`The impersonation role ${roleId} was not found in organization ${orgId}.`);
  return role;
}

export async function updateImpersonationRole(db: Db, orgId: string, roleId: string, input: ImpersonationRoleInput, now: Date): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    await requireImpersonationRole(trx, orgId, roleId);
    const rules = await resolveRules(trx, orgId, input.rules);
    await trx
      .updateTable('wm_impersonation_roles')
      .set({ name: input.name, type: input.type, description: input.description ?? null, rules: JSON.stringify(rules), modified_at: now.toISOString() })
      .where('org_id', '=', orgId)
      .where('id', '=', roleId)
      .execute();
  });
}

/** Idempotent, as WorkMail's DeleteImpersonationRole; the role's outstanding tokens die with it. */
export async function deleteImpersonationRole(db: Db, orgId: string, roleId: string): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    await trx.deleteFrom('wm_impersonation_tokens').where('org_id', '=', orgId).where('role_id', '=', roleId).execute();
    await trx.deleteFrom('wm_impersonation_roles').where('org_id', '=', orgId).where('id', '=', roleId).execute();
  });
}

export async function listImpersonationRoles(db: Reader, orgId: string, page: TokenRequest): Promise<TokenPage<WmImpersonationRolesTable>> {
  let query = db.selectFrom('wm_impersonation_roles').selectAll().where('org_id', '=', orgId);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  const rows = await query.orderBy('id').limit(page.limit + 1).execute();
  return tokenPage(rows, page, (row) => row.id);
}
