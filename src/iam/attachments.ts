// Managed policies attached to users and groups: at most 10 per entity, as in AWS, and the
// reverse view (which users and groups a policy is attached to).
import { LimitExceeded, NoSuchEntity } from '../errors.ts';
import { inTransaction, type Db } from '../store/database.ts';
import { pathStartsWith } from '../store/filters.ts';
import { pageOf, type Page, type PageRequest } from '../store/page.ts';
import { parsePolicyArn } from './arn.ts';
import { pageOfSorted } from './in-memory-page.ts';
import { findPolicy, parsePolicyArnOrThrow } from './policies.ts';

export const MAX_ATTACHED_POLICIES = 10;

export type EntityType = 'user' | 'group';

/** Attaching a policy that is already attached succeeds without change, as in AWS. */
export async function attachPolicy(db: Db, accountId: string, entityType: EntityType, entityId: string, policyArn: string, now: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
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

/**
 * Attaches a managed policy after checking that this account can see it: an unknown ARN, or
 * another account's policy, is refused as AWS refuses it.
 */
export async function attachManagedPolicy(db: Db, accountId: string, entityType: EntityType, entityId: string, policyArn: string, now: Date): Promise<void> {
  const found = await findPolicy(db, accountId, policyArn);
  if (!found) throw new NoSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
  await attachPolicy(db, accountId, entityType, entityId, policyArn, now);
}

export async function detachPolicy(db: Db, entityType: EntityType, entityId: string, policyArn: string): Promise<void> {
  parsePolicyArnOrThrow(policyArn);
  const result = await db
    .deleteFrom('policy_attachments')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .where('policy_arn', '=', policyArn)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new NoSuchEntity(`Policy ${policyArn} was not found.`);
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
  entityType: EntityType,
  entityId: string,
  pathPrefix: string | undefined,
  page: PageRequest,
): Promise<Page<AttachedPolicy>> {
  const all = await attachedPolicies(db, entityType, entityId);
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
): Promise<{ entities: PolicyEntities; isTruncated: boolean; marker: string | undefined }> {
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
    marker: slice.marker,
  };
}
