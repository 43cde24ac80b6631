// Access keys: AKIA… ids, 40-character secrets returned once by createAccessKey and otherwise
// only ever held sealed (see secrets.ts). At most two per user, as in AWS.
import type { SelectQueryBuilder } from 'kysely';
import { LimitExceeded, NoSuchEntity } from '../errors.ts';
import { inTransaction, type Db } from '../store/database.ts';
import { pageOf, type Page, type PageRequest } from '../store/page.ts';
import type { AccessKeysTable, Database } from '../store/schema.ts';
import { newAccessKeyId, newSecretAccessKey } from './ids.ts';
import type { SecretBox } from '../security/secret-box.ts';

export const MAX_ACCESS_KEYS = 2;

export interface NewAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  status: 'Active';
  createDate: Date;
}

/** `userId` null creates a key for the account's root user. */
export async function createAccessKey(db: Db, box: SecretBox, accountId: string, userId: string | null, now: Date): Promise<NewAccessKey> {
  const accessKeyId = newAccessKeyId();
  const secretAccessKey = newSecretAccessKey();
  await inTransaction(db, async (trx) => {
    const existing = trx.selectFrom('access_keys').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId);
    const { n } = await ownedBy(existing, userId).executeTakeFirstOrThrow();
    if (Number(n) >= MAX_ACCESS_KEYS) {
      throw new LimitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS}`);
    }
    await trx
      .insertInto('access_keys')
      .values({
        id: accessKeyId,
        account_id: accountId,
        user_id: userId,
        secret_ciphertext: box.seal(secretAccessKey, accessKeyId),
        status: 'Active',
        created_at: now.toISOString(),
        last_used_at: null,
        last_used_service: null,
        last_used_region: null,
      })
      .execute();
  });
  return { accessKeyId, secretAccessKey, status: 'Active', createDate: now };
}

/** A user's keys (`userId` null: the root user's), in key id order for keyset paging. */
export async function listAccessKeys(db: Db, accountId: string, userId: string | null, page: PageRequest): Promise<Page<AccessKeysTable>> {
  let query = ownedBy(db.selectFrom('access_keys').selectAll().where('account_id', '=', accountId), userId);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  const rows = await query.orderBy('id').limit(page.limit + 1).execute();
  return pageOf(rows, page, (row) => row.id);
}

export async function findAccessKey(db: Db, accessKeyId: string): Promise<AccessKeysTable | undefined> {
  return db.selectFrom('access_keys').selectAll().where('id', '=', accessKeyId).executeTakeFirst();
}

export const noSuchAccessKey = (accessKeyId: string) => new NoSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);

function ownedBy<O>(query: SelectQueryBuilder<Database, 'access_keys', O>, userId: string | null): SelectQueryBuilder<Database, 'access_keys', O> {
  return userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
}

/**
 * The key when it belongs to that user (`userId` null: the account's root user). A key of
 * another user or account is reported exactly as a key that does not exist.
 */
export async function getOwnedAccessKey(db: Db, accountId: string, userId: string | null, accessKeyId: string): Promise<AccessKeysTable> {
  const row = await findAccessKey(db, accessKeyId);
  if (!row || row.account_id !== accountId || row.user_id !== userId) throw noSuchAccessKey(accessKeyId);
  return row;
}

export async function setAccessKeyStatus(db: Db, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
  await db.updateTable('access_keys').set({ status }).where('id', '=', accessKeyId).execute();
}

export async function deleteAccessKey(db: Db, accessKeyId: string): Promise<void> {
  await db.deleteFrom('access_keys').where('id', '=', accessKeyId).execute();
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
