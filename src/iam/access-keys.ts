// Access keys: AKIA… ids, 40-character secrets returned once by createAccessKey and otherwise
// only ever held sealed (security/secret-box.ts). At most two per user, as in AWS.
//
// A key belongs to a user of the account, named by the request, or (no name) to the account's
// root user. Every change runs in the account's write transaction and finds the owner inside
// it: a key is never created for a user that a concurrent DeleteUser has just removed.
import type { SelectQueryBuilder } from 'kysely';
import { LimitExceeded, NoSuchEntity } from '../errors.ts';
import { writeTransaction, type Db } from '../store/database.ts';
import { iamChange } from '../store/changes.ts';
import { pageOf, type Page, type PageRequest } from '../store/page.ts';
import type { AccessKeysTable, Database } from '../store/schema.ts';
import { iamArn, rootArn } from './arn.ts';
import { newAccessKeyId, newSecretAccessKey } from './ids.ts';
import { findUserById, getUser } from './users.ts';
import type { SecretBox } from '../security/secret-box.ts';

export const MAX_ACCESS_KEYS = 2;

export interface NewAccessKey {
  /** The owning user's name; undefined for the root user. */
  userName: string | undefined;
  accessKeyId: string;
  secretAccessKey: string;
  status: 'Active';
  createDate: Date;
}

/** Whose keys: a user (id and name) or, with id null, the account's root user. */
interface KeyOwner {
  id: string | null;
  name: string | undefined;
}

/** The owner a request names: the user `userName` of the account, or the root user when undefined. */
async function keyOwner(db: Db, accountId: string, userName: string | undefined): Promise<KeyOwner> {
  if (userName === undefined) return { id: null, name: undefined };
  const user = await getUser(db, accountId, userName);
  return { id: user.id, name: user.name };
}

export async function createAccessKey(
  db: Db,
  box: SecretBox,
  accountId: string,
  userName: string | undefined,
  now: Date,
): Promise<NewAccessKey> {
  const accessKeyId = newAccessKeyId();
  const secretAccessKey = newSecretAccessKey();
  const sealed = box.seal(secretAccessKey, accessKeyId);
  const owner = await writeTransaction(db, iamChange(accountId), async (trx) => {
    const owner = await keyOwner(trx, accountId, userName);
    const existing = trx.selectFrom('access_keys').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId);
    const { n } = await ownedBy(existing, owner.id).executeTakeFirstOrThrow();
    if (Number(n) >= MAX_ACCESS_KEYS) {
      throw new LimitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS}`);
    }
    await trx
      .insertInto('access_keys')
      .values({
        id: accessKeyId,
        account_id: accountId,
        user_id: owner.id,
        secret_ciphertext: sealed,
        status: 'Active',
        created_at: now.toISOString(),
        last_used_at: null,
        last_used_service: null,
        last_used_region: null,
      })
      .execute();
    return owner;
  });
  return { userName: owner.name, accessKeyId, secretAccessKey, status: 'Active', createDate: now };
}

/** A user's keys (no name: the root user's), in key id order for keyset paging. */
export async function listAccessKeys(
  db: Db,
  accountId: string,
  userName: string | undefined,
  page: PageRequest,
): Promise<{ userName: string | undefined; page: Page<AccessKeysTable> }> {
  const owner = await keyOwner(db, accountId, userName);
  let query = ownedBy(db.selectFrom('access_keys').selectAll().where('account_id', '=', accountId), owner.id);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  const rows = await query.orderBy('id').limit(page.limit + 1).execute();
  return { userName: owner.name, page: pageOf(rows, page, (row) => row.id) };
}

export async function findAccessKey(db: Db, accessKeyId: string): Promise<AccessKeysTable | undefined> {
  return db.selectFrom('access_keys').selectAll().where('id', '=', accessKeyId).executeTakeFirst();
}

export const noSuchAccessKey = (accessKeyId: string) => new NoSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);

function ownedBy<O>(query: SelectQueryBuilder<Database, 'access_keys', O>, userId: string | null): SelectQueryBuilder<Database, 'access_keys', O> {
  return userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
}

/**
 * Looks the owner and the key up in the transaction: a key of another user or account is
 * reported exactly as a key that does not exist.
 */
async function ownedKey(trx: Db, accountId: string, userName: string | undefined, accessKeyId: string): Promise<AccessKeysTable> {
  const owner = await keyOwner(trx, accountId, userName);
  const row = await findAccessKey(trx, accessKeyId);
  if (!row || row.account_id !== accountId || row.user_id !== owner.id) throw noSuchAccessKey(accessKeyId);
  return row;
}

export async function setAccessKeyStatus(
  db: Db,
  accountId: string,
  userName: string | undefined,
  accessKeyId: string,
  status: 'Active' | 'Inactive',
): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    await ownedKey(trx, accountId, userName, accessKeyId);
    await trx.updateTable('access_keys').set({ status }).where('id', '=', accessKeyId).execute();
  });
}

export async function deleteAccessKey(db: Db, accountId: string, userName: string | undefined, accessKeyId: string): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    await ownedKey(trx, accountId, userName, accessKeyId);
    await trx.deleteFrom('access_keys').where('id', '=', accessKeyId).execute();
  });
}

/**
 * The ARN of a key's owner, which GetAccessKeyLastUsed acts on; undefined when the key is not
 * one of this account's (the caller is then checked against itself).
 */
export async function accessKeyOwnerArn(db: Db, accountId: string, accessKeyId: string): Promise<string | undefined> {
  const row = await findAccessKey(db, accessKeyId);
  if (!row || row.account_id !== accountId) return undefined;
  if (row.user_id === null) return rootArn(accountId);
  const user = await findUserById(db, row.user_id);
  return user && iamArn(accountId, 'user', user.path, user.name);
}

export interface AccessKeyLastUsed {
  LastUsedDate?: Date;
  ServiceName: string;
  Region: string;
}

/** AWS reports a key that was never used as service and region "N/A", with no date. */
export function lastUsedFromRow(row: AccessKeysTable): AccessKeyLastUsed {
  if (!row.last_used_at) return { ServiceName: 'N/A', Region: 'N/A' };
  return { LastUsedDate: new Date(row.last_used_at), ServiceName: row.last_used_service ?? 'N/A', Region: row.last_used_region ?? 'N/A' };
}

/** When one of this account's keys was last used, and by which user (none for the root user's). */
export async function accessKeyLastUsed(
  db: Db,
  accountId: string,
  accessKeyId: string,
): Promise<{ userName: string | undefined; lastUsed: AccessKeyLastUsed }> {
  const row = await findAccessKey(db, accessKeyId);
  if (!row || row.account_id !== accountId) throw noSuchAccessKey(accessKeyId);
  const user = row.user_id === null ? undefined : await findUserById(db, row.user_id);
  return { userName: user?.name, lastUsed: lastUsedFromRow(row) };
}
