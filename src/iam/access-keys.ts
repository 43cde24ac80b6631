// Access keys: AKIA… ids, 40-character secrets returned once by createAccessKey and otherwise
// only ever held sealed (see secrets.ts). At most two per user, as in AWS.
import { LimitExceeded, NoSuchEntity } from '../errors.ts';
import type { Db } from '../store/database.ts';
import type { AccessKeysTable } from '../store/schema.ts';
import { newAccessKeyId, newSecretAccessKey } from './ids.ts';
import type { SecretBox } from './secrets.ts';

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
  await db.transaction().execute(async (trx) => {
    let existing = trx.selectFrom('access_keys').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId);
    existing = userId === null ? existing.where('user_id', 'is', null) : existing.where('user_id', '=', userId);
    const { n } = await existing.executeTakeFirstOrThrow();
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

export async function listAccessKeys(db: Db, accountId: string, userId: string | null): Promise<AccessKeysTable[]> {
  let query = db.selectFrom('access_keys').selectAll().where('account_id', '=', accountId);
  query = userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
  return query.orderBy('created_at').orderBy('id').execute();
}

export async function findAccessKey(db: Db, accessKeyId: string): Promise<AccessKeysTable | undefined> {
  return db.selectFrom('access_keys').selectAll().where('id', '=', accessKeyId).executeTakeFirst();
}

export const noSuchAccessKey = (accessKeyId: string) => new NoSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
