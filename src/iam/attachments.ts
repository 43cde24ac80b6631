// Managed policies attached to users and groups: at most 10 per entity, as in AWS, and the
// reverse view (which users and groups a policy is attached to). Attaching and detaching run in
// the account's write transaction, which finds the entity and the policy again inside it.
import { LimitExceeded, NoSuchEntity } from '../errors.ts';
import { writeTransaction, type Db } from '../store/database.ts';
import { iamChange } from '../store/changes.ts';
import { pathStartsWith } from '../store/filters.ts';
import { pageOf, pageOfSorted, type Page, type PageRequest } from '../store/page.ts';
import { parsePolicyArn } from './arn.ts';
import { getEntity, type EntityRef, type EntityType } from './entities.ts';
import { findPolicy, parsePolicyArnOrThrow } from './policies.ts';

export const MAX_ATTACHED_POLICIES = 10;

/**
 * Attaches a managed policy after checking that this account can see it: an unknown ARN, or
 * another account's policy, is refused as AWS refuses it. Attaching a policy that is already
 * attached succeeds without change, as in AWS.
 */
export async function attachManagedPolicy(db: Db, accountId: string, ref: EntityRef, policyArn: string, now: Date): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const entity = await getEntity(trx, accountId, ref);
    if (!(await findPolicy(trx, accountId, policyArn))) throw new NoSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
    const attached = await trx
      .selectFrom('policy_attachments')
      .select('policy_arn')
      .where('entity_type', '=', entity.type)
      .where('entity_id', '=', entity.id)
      .execute();
    if (attached.some((row) => row.policy_arn === policyArn)) return;
    if (attached.length >= MAX_ATTACHED_POLICIES) {
      const quota = entity.type === 'user' ? 'PoliciesPerUser' : 'PoliciesPerGroup';
      throw new LimitExceeded(`Cannot exceed quota for ${quota}: ${MAX_ATTACHED_POLICIES}`);
    }
    await trx
      .insertInto('policy_attachments')
      .values({ account_id: accountId, entity_type: entity.type, entity_id: entity.id, policy_arn: policyArn, attached_at: now.toISOString() })
      .execute();
  });
}

export async function detachPolicy(db: Db, accountId: string, ref: EntityRef, policyArn: string): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const entity = await getEntity(trx, accountId, ref);
    parsePolicyArnOrThrow(policyArn);
    const result = await trx
      .deleteFrom('policy_attachments')
      .where('entity_type', '=', entity.type)
      .where('entity_id', '=', entity.id)
      .where('policy_arn', '=', policyArn)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NoSuchEntity(`Policy ${policyArn} was not found.`);
  });
}

export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}

/** The managed policies attached to one user or group, in ARN order (there are at most 10). */
export async function attachedPolicies(db: Db, entityType: EntityType, entityId: string): Promise<AttachedPolicy[]> {
  const rows = await db
    .selectFrom('policy_attachments')
    .select('policy_arn')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('policy_arn')
    .execute();
  return rows.map((row) => ({ PolicyName: row.policy_arn.slice(row.policy_arn.lastIndexOf('/') + 1), PolicyArn: row.policy_arn }));
}

export async function listAttachedPolicies(
  db: Db,
  accountId: string,
  ref: EntityRef,
  pathPrefix: string | undefined,
  page: PageRequest,
): Promise<Page<AttachedPolicy>> {
  const entity = await getEntity(db, accountId, ref);
  const all = await attachedPolicies(db, entity.type, entity.id);
  const kept = pathPrefix ? all.filter((p) => (parsePolicyArn(p.PolicyArn)?.path ?? '/').startsWith(pathPrefix)) : all;
  return pageOfSorted(kept, page, (p) => p.PolicyArn);
}

export interface PolicyEntities {
  PolicyGroups: { GroupName: string; GroupId: string }[];
  PolicyUsers: { UserName: string; UserId: string }[];
  PolicyRoles: { RoleName: string; RoleId: string }[];
}

export type EntityFilter = 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';

// ListEntitiesForPolicy walks groups (by name), then users (by name); Godwit has no roles.
const GROUP_KEY = 'g/';
const USER_KEY = 'u/';

export async function listEntitiesForPolicy(
  db: Db,
  accountId: string,
  policyArn: string,
  options: { entityFilter?: EntityFilter; pathPrefix?: string },
  page: PageRequest,
): Promise<{ entities: PolicyEntities; isTruncated: boolean; next: string | undefined }> {
  const filter = options.entityFilter;
  // LocalManagedPolicy / AWSManagedPolicy select by the kind of policy, not of entity.
  const isAws = policyArn.startsWith('arn:aws:iam::aws:');
  const policyKindExcluded = (filter === 'LocalManagedPolicy' && isAws) || (filter === 'AWSManagedPolicy' && !isAws);
  const wantGroups = !policyKindExcluded && (filter === undefined || filter === 'Group' || filter === 'LocalManagedPolicy' || filter === 'AWSManagedPolicy');
  const wantUsers = !policyKindExcluded && (filter === undefined || filter === 'User' || filter === 'LocalManagedPolicy' || filter === 'AWSManagedPolicy');
  type Row = { key: string; kind: 'group' | 'user'; name: string; id: string };
  const rows: Row[] = [];
  const after = page.after;
  const want = () => page.limit + 1 - rows.length;
  if (wantGroups && (after === undefined || after.startsWith(GROUP_KEY))) {
    let query = db
      .selectFrom('policy_attachments')
      .innerJoin('groups', 'groups.id', 'policy_attachments.entity_id')
      .select(['groups.id', 'groups.name', 'groups.name_lower'])
      .where('policy_attachments.account_id', '=', accountId)
      .where('policy_attachments.entity_type', '=', 'group')
      .where('policy_attachments.policy_arn', '=', policyArn);
    if (options.pathPrefix) query = query.where(pathStartsWith(options.pathPrefix));
    if (after !== undefined) query = query.where('groups.name_lower', '>', after.slice(GROUP_KEY.length));
    const found = await query.orderBy('groups.name_lower').limit(want()).execute();
    rows.push(...found.map((g) => ({ key: GROUP_KEY + g.name_lower, kind: 'group' as const, name: g.name, id: g.id })));
  }
  if (wantUsers && rows.length <= page.limit && (after === undefined || after.startsWith(GROUP_KEY) || after.startsWith(USER_KEY))) {
    let query = db
      .selectFrom('policy_attachments')
      .innerJoin('users', 'users.id', 'policy_attachments.entity_id')
      .select(['users.id', 'users.name', 'users.name_lower'])
      .where('policy_attachments.account_id', '=', accountId)
      .where('policy_attachments.entity_type', '=', 'user')
      .where('policy_attachments.policy_arn', '=', policyArn);
    if (options.pathPrefix) query = query.where(pathStartsWith(options.pathPrefix));
    if (after?.startsWith(USER_KEY)) query = query.where('users.name_lower', '>', after.slice(USER_KEY.length));
    const found = await query.orderBy('users.name_lower').limit(want()).execute();
    rows.push(...found.map((u) => ({ key: USER_KEY + u.name_lower, kind: 'user' as const, name: u.name, id: u.id })));
  }
  const slice = pageOf(rows, page, (row) => row.key);
  return {
    entities: {
      PolicyGroups: slice.items.filter((r) => r.kind === 'group').map((r) => ({ GroupName: r.name, GroupId: r.id })),
      PolicyUsers: slice.items.filter((r) => r.kind === 'user').map((r) => ({ UserName: r.name, UserId: r.id })),
      PolicyRoles: [],
    },
    isTruncated: slice.isTruncated,
    next: slice.next,
  };
}
