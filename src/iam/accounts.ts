// Accounts and their bootstrap. A new account gets its root user (email + scrypt password),
// an IAM user `admin` in group `Administrators` holding AdministratorAccess, and one access key
// for `admin`, so that the operator never needs to use the root user's credentials.
import { EntityAlreadyExists } from '../errors.ts';
import { inTransaction, isUniqueViolation, type Db } from '../store/database.ts';
import { AWS_MANAGED_POLICY_PREFIX, iamArn } from './arn.ts';
import { createAccessKey } from './access-keys.ts';
import { attachManagedPolicy } from './attachments.ts';
import { addUserToGroup, createGroup } from './groups.ts';
import { newAccountId } from './ids.ts';
import { hashPassword } from '../security/passwords.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { createUser } from './users.ts';

export const BOOTSTRAP_USER = 'admin';
export const BOOTSTRAP_GROUP = 'Administrators';
export const ADMINISTRATOR_ACCESS = `${AWS_MANAGED_POLICY_PREFIX}AdministratorAccess`;

export interface BootstrappedAccount {
  accountId: string;
  email: string;
  userName: string;
  userArn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** The whole bootstrap commits as one transaction: a crash leaves either all of it or nothing. */
export async function createAccount(
  db: Db,
  box: SecretBox,
  input: { email: string; password: string },
  now: Date,
): Promise<BootstrappedAccount> {
  // scrypt takes ~100 ms: hashed before the transaction so that no write lock waits on it.
  const rootPasswordHash = await hashPassword(input.password);
  try {
    return await inTransaction(db, async (trx) => {
      const accountId = await unusedAccountId(trx);
      await trx
        .insertInto('accounts')
        .values({
          id: accountId,
          email: input.email,
          email_lower: input.email.toLowerCase(),
          root_password_hash: rootPasswordHash,
          alias: null,
          password_policy: null,
          created_at: now.toISOString(),
        })
        .execute();
      // Each step below joins this transaction and takes the new account's lock.
      const user = await createUser(trx, accountId, { userName: BOOTSTRAP_USER }, now);
      await createGroup(trx, accountId, { groupName: BOOTSTRAP_GROUP }, now);
      await addUserToGroup(trx, accountId, BOOTSTRAP_GROUP, BOOTSTRAP_USER, now);
      await attachManagedPolicy(trx, accountId, { type: 'group', name: BOOTSTRAP_GROUP }, ADMINISTRATOR_ACCESS, now);
      const key = await createAccessKey(trx, box, accountId, BOOTSTRAP_USER, now);
      return {
        accountId,
        email: input.email,
        userName: user.name,
        userArn: iamArn(accountId, 'user', user.path, user.name),
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
      };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EntityAlreadyExists(`An account with email ${input.email} already exists.`);
    throw error;
  }
}

/** When the account was created (GetUser reports it for the root user). */
export async function accountCreatedAt(db: Db, accountId: string): Promise<Date> {
  const row = await db.selectFrom('accounts').select('created_at').where('id', '=', accountId).executeTakeFirstOrThrow();
  return new Date(row.created_at);
}

/** True once any account exists: the store has been bootstrapped. */
export async function hasAccounts(db: Db): Promise<boolean> {
  return (await db.selectFrom('accounts').select('id').limit(1).executeTakeFirst()) !== undefined;
}

async function unusedAccountId(db: Db): Promise<string> {
  for (;;) {
    const id = newAccountId();
    const taken = await db.selectFrom('accounts').select('id').where('id', '=', id).executeTakeFirst();
    if (!taken) return id;
  }
}
