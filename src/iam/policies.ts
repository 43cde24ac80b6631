// Managed policies: the account's customer managed policies (stored, versioned) and the AWS
// managed ones every account sees under arn:aws:iam::aws:policy/. Both answer to the same
// reads (GetPolicy, ListPolicies); only customer managed policies can be changed, each change in
// the account's write transaction, which resolves the policy again inside it.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { DeleteConflict, EntityAlreadyExists, InvalidInput, LimitExceeded, MalformedPolicyDocument, NoSuchEntity } from '../errors.ts';
import { isUniqueViolation, writeTransaction, type Db } from '../store/database.ts';
import { iamChange } from '../store/changes.ts';
import { pathStartsWith } from '../store/filters.ts';
import { pageOf, pageOfSorted, type Page, type PageRequest } from '../store/page.ts';
import type { PoliciesTable } from '../store/schema.ts';
import { iamArn, parsePolicyArn } from './arn.ts';
import { newPolicyId } from './ids.ts';
import { listAwsManagedPolicies, awsManagedPolicyByArn } from './managed-policies.ts';
import { MalformedPolicyError, parsePolicyDocument, policyLengthWithoutWhitespace, type AwsManagedPolicy } from './policy/index.ts';
import { listTags, pageOfTags, removeTags, replaceTags, type Tag } from './tags.ts';

export const MAX_MANAGED_POLICY_LENGTH = 6144;

export interface IamPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  AttachmentCount: number;
  PermissionsBoundaryUsageCount: number;
  IsAttachable: boolean;
  Description?: string;
  CreateDate: Date;
  UpdateDate: Date;
  Tags?: Tag[];
}

/** A policy the ARN names: an AWS managed one, or a row of this account's policies. */
export type ResolvedPolicy = { kind: 'aws'; arn: string; policy: AwsManagedPolicy } | { kind: 'local'; arn: string; row: PoliciesTable };

// Godwit ships one version of each AWS managed policy; AWS publishes no creation dates we
// keep, so they all carry the date AWS introduced managed policies.
export const AWS_MANAGED_VERSION_ID = 'v1';
export const AWS_MANAGED_CREATED = new Date('2015-02-06T18:39:46Z');

/** A stable ANPA… id for an AWS managed policy, the same on every server. */
function awsManagedPolicyId(policy: AwsManagedPolicy): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(policy.arn).digest();
  let id = 'ANPA';
  for (let i = 0; i < 17; i++) id += alphabet[digest[i]! % 32];
  return id;
}

/**
 * Refuses a document IAM would refuse: longer than `maxLength` without whitespace (the error
 * comes from `tooLong`, the wording differs per policy kind), or not a valid identity policy
 * (the message says where and what was expected).
 */
export function checkPolicyDocument(document: string, maxLength: number, tooLong: () => Error): void {
  if (policyLengthWithoutWhitespace(document) > maxLength) throw tooLong();
  try {
    parsePolicyDocument(document);
  } catch (error) {
    if (error instanceof MalformedPolicyError) throw new MalformedPolicyDocument(error.message);
    throw error;
  }
}

export const managedPolicyTooLong = () => new LimitExceeded(`Cannot exceed quota for PolicySize: ${MAX_MANAGED_POLICY_LENGTH}`);

export const noSuchPolicy = (arn: string) => new NoSuchEntity(`Policy ${arn} was not found.`);

export function parsePolicyArnOrThrow(arn: string): { owner: string; path: string; name: string } {
  const parsed = parsePolicyArn(arn);
  if (!parsed) throw new InvalidInput(`ARN ${arn} is not valid.`);
  return parsed;
}

/** The policy `arn` names, as this account sees it, or undefined when there is none. */
export async function findPolicy(db: Db, accountId: string, arn: string): Promise<ResolvedPolicy | undefined> {
  const parsed = parsePolicyArnOrThrow(arn);
  if (parsed.owner === 'aws') {
    const policy = awsManagedPolicyByArn(arn);
    return policy ? { kind: 'aws', arn, policy } : undefined;
  }
  if (parsed.owner !== accountId) return undefined;
  const row = await db
    .selectFrom('policies')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_lower', '=', parsed.name.toLowerCase())
    .executeTakeFirst();
  // The name is unique without regard to case, but the ARN must spell path and name exactly.
  return row && row.path === parsed.path && row.name === parsed.name ? { kind: 'local', arn, row } : undefined;
}

export async function resolvePolicy(db: Db, accountId: string, arn: string): Promise<ResolvedPolicy> {
  const found = await findPolicy(db, accountId, arn);
  if (!found) throw noSuchPolicy(arn);
  return found;
}

/**
 * A customer managed policy a request means to change, by ARN. `awsManaged` makes the refusal
 * when the ARN names an AWS managed policy (the caller words it: AWS answers AccessDenied).
 */
export interface PolicyTarget {
  accountId: string;
  arn: string;
  awsManaged: () => Error;
}

/** The customer managed policy `target` names; AWS managed policies are refused with `target.awsManaged`. */
export async function resolveLocalPolicy(db: Db, target: PolicyTarget): Promise<PoliciesTable> {
  const found = await resolvePolicy(db, target.accountId, target.arn);
  if (found.kind === 'aws') throw target.awsManaged();
  return found.row;
}

export const policyArnOf = (row: Pick<PoliciesTable, 'account_id' | 'path' | 'name'>): string => iamArn(row.account_id, 'policy', row.path, row.name);

/** How many users and groups of the account have each policy attached. */
export async function attachmentCounts(db: Db, accountId: string, arns: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (arns.length === 0) return counts;
  const rows = await db
    .selectFrom('policy_attachments')
    .select(['policy_arn', (eb) => eb.fn.countAll().as('n')])
    .where('account_id', '=', accountId)
    .where('policy_arn', 'in', [...arns])
    .groupBy('policy_arn')
    .execute();
  for (const row of rows) counts.set(row.policy_arn, Number(row.n));
  return counts;
}

/** How many users of the account have each policy as their permissions boundary. */
export async function boundaryUsageCounts(db: Db, accountId: string, arns: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (arns.length === 0) return counts;
  const rows = await db
    .selectFrom('users')
    .select(['permissions_boundary', (eb) => eb.fn.countAll().as('n')])
    .where('account_id', '=', accountId)
    .where('permissions_boundary', 'in', [...arns])
    .groupBy('permissions_boundary')
    .execute();
  for (const row of rows) if (row.permissions_boundary) counts.set(row.permissions_boundary, Number(row.n));
  return counts;
}

export interface PolicyUsage {
  attachments: Map<string, number>;
  boundaries: Map<string, number>;
}

export async function policyUsage(db: Db, accountId: string, arns: readonly string[]): Promise<PolicyUsage> {
  return { attachments: await attachmentCounts(db, accountId, arns), boundaries: await boundaryUsageCounts(db, accountId, arns) };
}

const countsFor = (usage: PolicyUsage | undefined, arn: string) => ({
  attachmentCount: usage?.attachments.get(arn) ?? 0,
  boundaryCount: usage?.boundaries.get(arn) ?? 0,
});

export function policyFromRow(row: PoliciesTable, usage?: PolicyUsage): IamPolicy {
  const { attachmentCount, boundaryCount } = countsFor(usage, policyArnOf(row));
  return {
    PolicyName: row.name,
    PolicyId: row.id,
    Arn: policyArnOf(row),
    Path: row.path,
    DefaultVersionId: row.default_version_id,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: boundaryCount,
    IsAttachable: true,
    Description: row.description ?? undefined,
    CreateDate: new Date(row.created_at),
    UpdateDate: new Date(row.updated_at),
  };
}

export function policyFromAwsManaged(policy: AwsManagedPolicy, usage?: PolicyUsage): IamPolicy {
  const { attachmentCount, boundaryCount } = countsFor(usage, policy.arn);
  return {
    PolicyName: policy.name,
    PolicyId: awsManagedPolicyId(policy),
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: AWS_MANAGED_VERSION_ID,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: boundaryCount,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: AWS_MANAGED_CREATED,
    UpdateDate: AWS_MANAGED_CREATED,
  };
}

export async function describePolicy(db: Db, accountId: string, found: ResolvedPolicy): Promise<IamPolicy> {
  const usage = await policyUsage(db, accountId, [found.arn]);
  if (found.kind === 'aws') return policyFromAwsManaged(found.policy, usage);
  const tags = await listTags(db, 'policy', found.row.id);
  return { ...policyFromRow(found.row, usage), Tags: tags.length ? tags : undefined };
}

export interface NewPolicy {
  policyName: string;
  path?: string;
  document: string;
  description?: string;
  tags?: Tag[];
}

export async function createPolicy(db: Db, accountId: string, input: NewPolicy, now: Date): Promise<PoliciesTable> {
  checkPolicyDocument(input.document, MAX_MANAGED_POLICY_LENGTH, managedPolicyTooLong);
  const row: PoliciesTable = {
    id: newPolicyId(),
    account_id: accountId,
    name: input.policyName,
    name_lower: input.policyName.toLowerCase(),
    path: input.path ?? '/',
    description: input.description ?? null,
    default_version_id: 'v1',
    next_version: 2,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  const exists = () => new EntityAlreadyExists(`A policy called ${input.policyName} already exists. Duplicate names are not allowed.`);
  try {
    await writeTransaction(db, iamChange(accountId), async (trx) => {
      const holder = await trx.selectFrom('policies').select('id').where('account_id', '=', accountId).where('name_lower', '=', row.name_lower).executeTakeFirst();
      if (holder) throw exists();
      await trx.insertInto('policies').values(row).execute();
      await trx.insertInto('policy_versions').values({ policy_id: row.id, version_id: 'v1', document: input.document, created_at: row.created_at }).execute();
      if (input.tags?.length) await replaceTags(trx, 'policy', row.id, input.tags);
    });
  } catch (error) {
    // The unique index stays the last word, for a writer that bypassed the account lock.
    if (isUniqueViolation(error)) throw exists();
    throw error;
  }
  return row;
}

/** AWS refuses to delete a policy still attached or still holding versions besides the default. */
export async function deletePolicy(db: Db, target: PolicyTarget): Promise<void> {
  await writeTransaction(db, iamChange(target.accountId), async (trx) => {
    const row = await resolveLocalPolicy(trx, target);
    const arn = policyArnOf(row);
    const attached = await trx.selectFrom('policy_attachments').select('entity_id').where('account_id', '=', row.account_id).where('policy_arn', '=', arn).executeTakeFirst();
    const boundary = await trx.selectFrom('users').select('id').where('account_id', '=', row.account_id).where('permissions_boundary', '=', arn).executeTakeFirst();
    if (attached || boundary) throw new DeleteConflict('Cannot delete a policy attached to entities.');
    const versions = await trx.selectFrom('policy_versions').select('version_id').where('policy_id', '=', row.id).execute();
    if (versions.length > 1) {
      throw new DeleteConflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
    }
    await trx.deleteFrom('policy_versions').where('policy_id', '=', row.id).execute();
    await trx.deleteFrom('tags').where('entity_type', '=', 'policy').where('entity_id', '=', row.id).execute();
    await trx.deleteFrom('policies').where('id', '=', row.id).execute();
  });
}

export async function tagPolicy(db: Db, target: PolicyTarget, tags: Tag[]): Promise<void> {
  await writeTransaction(db, iamChange(target.accountId), async (trx) => {
    const row = await resolveLocalPolicy(trx, target);
    await replaceTags(trx, 'policy', row.id, tags);
  });
}

export async function untagPolicy(db: Db, target: PolicyTarget, keys: string[]): Promise<void> {
  await writeTransaction(db, iamChange(target.accountId), async (trx) => {
    const row = await resolveLocalPolicy(trx, target);
    await removeTags(trx, 'policy', row.id, keys);
  });
}

/** A policy's tags; an AWS managed policy has none. */
export async function listPolicyTags(db: Db, accountId: string, arn: string, page: PageRequest): Promise<Page<Tag>> {
  const found = await resolvePolicy(db, accountId, arn);
  return pageOfTags(found.kind === 'local' ? await listTags(db, 'policy', found.row.id) : [], page);
}

export type PolicyScope = 'All' | 'AWS' | 'Local';

export interface PolicyFilter {
  scope?: PolicyScope;
  onlyAttached?: boolean;
  pathPrefix?: string;
}

// ListPolicies walks AWS managed policies first (in name order), then the account's own (in
// name order); the key says which part of the walk a marker stopped in.
const AWS_KEY = 'aws/';
const LOCAL_KEY = 'local/';

export async function listPolicies(db: Db, accountId: string, filter: PolicyFilter, page: PageRequest): Promise<Page<IamPolicy>> {
  const scope = filter.scope ?? 'All';
  const out: IamPolicy[] = [];
  const after = page.after;
  if (scope !== 'Local' && (after === undefined || after.startsWith(AWS_KEY))) {
    const candidates = listAwsManagedPolicies()
      .filter((p) => !filter.pathPrefix || p.path.startsWith(filter.pathPrefix))
      .map((p) => ({ p, key: AWS_KEY + p.name.toLowerCase() }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const usage = await policyUsage(db, accountId, candidates.map((c) => c.p.arn));
    const kept = candidates.filter((c) => !filter.onlyAttached || (usage.attachments.get(c.p.arn) ?? 0) > 0);
    const slice = pageOfSorted(kept, { after, limit: page.limit }, (c) => c.key);
    out.push(...slice.items.map((c) => policyFromAwsManaged(c.p, usage)));
    if (slice.isTruncated) return { items: out, isTruncated: true, next: slice.next };
  }
  if (scope !== 'AWS') {
    const localAfter = after?.startsWith(LOCAL_KEY) ? after.slice(LOCAL_KEY.length) : undefined;
    let query = db.selectFrom('policies').selectAll().where('account_id', '=', accountId);
    if (filter.pathPrefix) query = query.where(pathStartsWith(filter.pathPrefix));
    if (localAfter !== undefined) query = query.where('name_lower', '>', localAfter);
    if (filter.onlyAttached) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('policy_attachments')
            .select('policy_attachments.entity_id')
            .whereRef('policy_attachments.account_id', '=', 'policies.account_id')
            .where('policy_attachments.policy_arn', '=', sql<string>`'arn:aws:iam::' || policies.account_id || ':policy' || policies.path || policies.name`),
        ),
      );
    }
    const rows = await query.orderBy('name_lower').limit(page.limit + 1 - out.length).execute();
    const usage = await policyUsage(db, accountId, rows.map(policyArnOf));
    out.push(...rows.map((row) => policyFromRow(row, usage)));
  }
  return pageOf(out, page, keyOfPolicy);
}

/** The ListPolicies key of a policy: which part of the walk it is in, then its name. */
function keyOfPolicy(policy: IamPolicy): string {
  return (policy.Arn.startsWith('arn:aws:iam::aws:') ? AWS_KEY : LOCAL_KEY) + policy.PolicyName.toLowerCase();
}
