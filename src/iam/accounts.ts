// Accounts and their bootstrap. A new account gets its root user (email + scrypt password),
// an IAM user `admin` in group `Administrators` holding AdministratorAccess, and one access key
// for `admin`, so that the operator never needs to use the root user's credentials.
import { EntityAlreadyExists } from '../errors.ts';
import { isUniqueViolation, type Db } from '../store/database.ts';
import { AWS_MANAGED_POLICY_PREFIX, iamArn } from './arn.ts';
import { createAccessKey } from './access-keys.ts';
import { attachPolicy } from './attachments.ts';
import { addUserToGroup, createGroup } from './groups.ts';
import { newAccountId } from './ids.ts';
import { hashPassword } from './passwords.ts';
import type { SecretBox } from './secrets.ts';
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

export async function createAccount(
  db: Db,
  box: SecretBox,
  input: { email: string; password: string },
  now: Date,
): Promise<BootstrappedAccount> {
  const accountId = await unusedAccountId(db);
  try {
    await db
      .insertInto('accounts')
      .values({
        id: accountId,
        email: input.email,
        email_lower: input.email.toLowerCase(),
        root_password_hash: await hashPassword(input.password),
        alias: null,
        password_policy: null,
        created_at: now.toISOString(),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new EntityAlreadyExists(`An account with email ${input.email} already exists.`);
    throw error;
  }
  const user = await createUser(db, accountId, { userName: BOOTSTRAP_USER }, now);
  const group = await createGroup(db, accountId, { groupName: BOOTSTRAP_GROUP }, now);
  await addUserToGroup(db, group.id, user.id, now);
  await attachPolicy(db, accountId, 'group', group.id, ADMINISTRATOR_ACCESS, now);
  const key = await createAccessKey(db, box, accountId, user.id, now);
  return {
    accountId,
    email: input.email,
    userName: user.name,
    userArn: iamArn(accountId, 'user', user.path, user.name),
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
  };
}

async function unusedAccountId(db: Db): Promise<string> {
  for (;;) {
    const id = newAccountId();
    const taken = await db.selectFrom('accounts').select('id').where('id', '=', id).executeTakeFirst();
    if (!taken) return id;
  }
}
