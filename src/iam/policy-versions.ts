// Versions of a customer managed policy: at most 5, numbered v1, v2, … and never renumbered
// (policies.next_version remembers the next number even after versions are deleted). Exactly
// one version is the default, the one that is in force. Changes run in the account's write
// transaction, which resolves the policy again inside it.
import { DeleteConflict, LimitExceeded, NoSuchEntity } from '../errors.ts';
import { allocate, writeTransaction, type Db } from '../store/database.ts';
import { iamChange } from '../store/changes.ts';
import { pageOfSorted, type Page, type PageRequest } from '../store/page.ts';
import {
  AWS_MANAGED_CREATED,
  AWS_MANAGED_VERSION_ID,
  MAX_MANAGED_POLICY_LENGTH,
  checkPolicyDocument,
  managedPolicyTooLong,
  noSuchPolicy,
  resolveLocalPolicy,
  type PolicyTarget,
  type ResolvedPolicy,
} from './policies.ts';

export const MAX_POLICY_VERSIONS = 5;

export interface IamPolicyVersion {
  /** The document as stored; the API layer URL-encodes it as AWS does. */
  Document?: string;
  VersionId: string;
  IsDefaultVersion: boolean;
  CreateDate: Date;
}

const versionNumber = (versionId: string): number => Number(versionId.slice(1));

const noSuchVersion = (arn: string, versionId: string) => new NoSuchEntity(`Policy ${arn} version ${versionId} does not exist.`);

export async function createPolicyVersion(db: Db, target: PolicyTarget, document: string, setAsDefault: boolean, now: Date): Promise<IamPolicyVersion> {
  return writeTransaction(db, iamChange(target.accountId), async (trx) => {
    const policy = await resolveLocalPolicy(trx, target);
    checkPolicyDocument(document, MAX_MANAGED_POLICY_LENGTH, managedPolicyTooLong);
    const { n } = await trx
      .selectFrom('policy_versions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('policy_id', '=', policy.id)
      .executeTakeFirstOrThrow();
    if (Number(n) >= MAX_POLICY_VERSIONS) {
      throw new LimitExceeded(
        `A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
      );
    }
    const number = await allocate(trx, 'policies', policy.id, 'next_version');
    if (number === undefined) throw noSuchPolicy(target.arn);
    const versionId = `v${number}`;
    const createdAt = now.toISOString();
    await trx.insertInto('policy_versions').values({ policy_id: policy.id, version_id: versionId, document, created_at: createdAt }).execute();
    // UpdateDate is when the newest version was created, whether or not it became the default.
    await trx
      .updateTable('policies')
      .set(setAsDefault ? { default_version_id: versionId, updated_at: createdAt } : { updated_at: createdAt })
      .where('id', '=', policy.id)
      .execute();
    return { Document: document, VersionId: versionId, IsDefaultVersion: setAsDefault, CreateDate: now };
  });
}

export async function getPolicyVersion(db: Db, found: ResolvedPolicy, versionId: string): Promise<IamPolicyVersion> {
  if (found.kind === 'aws') {
    if (versionId !== AWS_MANAGED_VERSION_ID) throw noSuchVersion(found.arn, versionId);
    return { Document: found.policy.document, VersionId: versionId, IsDefaultVersion: true, CreateDate: AWS_MANAGED_CREATED };
  }
  const row = await db
    .selectFrom('policy_versions')
    .selectAll()
    .where('policy_id', '=', found.row.id)
    .where('version_id', '=', versionId)
    .executeTakeFirst();
  if (!row) throw noSuchVersion(found.arn, versionId);
  return { Document: row.document, VersionId: row.version_id, IsDefaultVersion: row.version_id === found.row.default_version_id, CreateDate: new Date(row.created_at) };
}

/** Every version with its document, newest first, as ListPolicyVersions orders them. */
export async function allPolicyVersions(db: Db, found: ResolvedPolicy): Promise<IamPolicyVersion[]> {
  if (found.kind === 'aws') return [await getPolicyVersion(db, found, AWS_MANAGED_VERSION_ID)];
  const rows = await db.selectFrom('policy_versions').selectAll().where('policy_id', '=', found.row.id).execute();
  return rows
    .sort((a, b) => versionNumber(b.version_id) - versionNumber(a.version_id))
    .map((row) => ({
      Document: row.document,
      VersionId: row.version_id,
      IsDefaultVersion: row.version_id === found.row.default_version_id,
      CreateDate: new Date(row.created_at),
    }));
}

export async function listPolicyVersions(db: Db, found: ResolvedPolicy, page: PageRequest): Promise<Page<IamPolicyVersion>> {
  const versions = (await allPolicyVersions(db, found)).map(({ Document: _document, ...version }) => version);
  // Newest first: a key that sorts descending by version number.
  const key = (v: IamPolicyVersion) => String(1e9 - versionNumber(v.VersionId)).padStart(10, '0');
  return pageOfSorted(versions, page, key);
}

export async function deletePolicyVersion(db: Db, target: PolicyTarget, versionId: string): Promise<void> {
  await writeTransaction(db, iamChange(target.accountId), async (trx) => {
    const policy = await resolveLocalPolicy(trx, target);
    if (versionId === policy.default_version_id) throw new DeleteConflict('Cannot delete the default version of a policy.');
    const result = await trx.deleteFrom('policy_versions').where('policy_id', '=', policy.id).where('version_id', '=', versionId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw noSuchVersion(target.arn, versionId);
  });
}

export async function setDefaultPolicyVersion(db: Db, target: PolicyTarget, versionId: string): Promise<void> {
  await writeTransaction(db, iamChange(target.accountId), async (trx) => {
    const policy = await resolveLocalPolicy(trx, target);
    const exists = await trx.selectFrom('policy_versions').select('version_id').where('policy_id', '=', policy.id).where('version_id', '=', versionId).executeTakeFirst();
    if (!exists) throw noSuchVersion(target.arn, versionId);
    await trx.updateTable('policies').set({ default_version_id: versionId }).where('id', '=', policy.id).execute();
  });
}
