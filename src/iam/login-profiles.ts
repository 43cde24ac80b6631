// Console passwords of IAM users (login profiles). Passwords are checked against the account
// password policy, stored only as scrypt hashes (passwords.ts), and never returned.
import { EntityAlreadyExists, InvalidUserType, NoSuchEntity } from '../errors.ts';
import { isUniqueViolation, type Db } from '../store/database.ts';
import type { LoginProfilesTable, UsersTable } from '../store/schema.ts';
import type { PasswordAttempts } from './password-attempts.ts';
import { hashPassword, verifyPassword } from '../security/passwords.ts';
import { checkPassword, checkReuse, findPasswordPolicy } from './password-policy.ts';

export interface LoginProfile {
  UserName: string;
  CreateDate: Date;
  PasswordResetRequired: boolean;
}

const noLoginProfile = (userName: string) => new NoSuchEntity(`Login Profile for User ${userName} cannot be found.`);

export const loginProfileFromRow = (user: UsersTable, row: LoginProfilesTable): LoginProfile => ({
  UserName: user.name,
  CreateDate: new Date(row.created_at),
  PasswordResetRequired: row.password_reset_required === 1,
});

async function accountEmail(db: Db, accountId: string): Promise<string> {
  return (await db.selectFrom('accounts').select('email').where('id', '=', accountId).executeTakeFirstOrThrow()).email;
}

async function checkAgainstPolicy(db: Db, accountId: string, password: string) {
  const policy = await findPasswordPolicy(db, accountId);
  checkPassword(password, policy, await accountEmail(db, accountId));
  return policy;
}

export async function getLoginProfile(db: Db, user: UsersTable): Promise<LoginProfilesTable> {
  const row = await db.selectFrom('login_profiles').selectAll().where('user_id', '=', user.id).executeTakeFirst();
  if (!row) throw noLoginProfile(user.name);
  return row;
}

export async function createLoginProfile(
  db: Db,
  user: UsersTable,
  input: { password: string; passwordResetRequired: boolean },
  now: Date,
): Promise<LoginProfilesTable> {
  await checkAgainstPolicy(db, user.account_id, input.password);
  const row: LoginProfilesTable = {
    user_id: user.id,
    password_hash: await hashPassword(input.password),
    password_reset_required: input.passwordResetRequired ? 1 : 0,
    created_at: now.toISOString(),
    password_changed_at: now.toISOString(),
  };
  try {
    await db.insertInto('login_profiles').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new EntityAlreadyExists(`Login Profile for user ${user.name} already exists.`);
    throw error;
  }
  return row;
}

export async function updateLoginProfile(
  db: Db,
  user: UsersTable,
  changes: { password?: string; passwordResetRequired?: boolean },
  now: Date,
): Promise<void> {
  const current = await getLoginProfile(db, user);
  const set: Partial<LoginProfilesTable> = {};
  if (changes.password !== undefined) {
    const policy = await checkAgainstPolicy(db, user.account_id, changes.password);
    if (policy?.PasswordReusePrevention) checkReuse(policy, await verifyPassword(changes.password, current.password_hash));
    set.password_hash = await hashPassword(changes.password);
    set.password_changed_at = now.toISOString();
  }
  if (changes.passwordResetRequired !== undefined) set.password_reset_required = changes.passwordResetRequired ? 1 : 0;
  if (Object.keys(set).length) await db.updateTable('login_profiles').set(set).where('user_id', '=', user.id).execute();
}

export async function deleteLoginProfile(db: Db, user: UsersTable): Promise<void> {
  const result = await db.deleteFrom('login_profiles').where('user_id', '=', user.id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw noLoginProfile(user.name);
}

/** A user changing its own password: the old one must match; a pending reset is then satisfied. */
export async function changePassword(
  db: Db,
  attempts: PasswordAttempts,
  user: UsersTable,
  oldPassword: string,
  newPassword: string,
  now: Date,
): Promise<void> {
  const current = await getLoginProfile(db, user);
  // The policy check is cheap and the hash check is not (scrypt), so the policy goes first.
  const policy = await checkAgainstPolicy(db, user.account_id, newPassword);
  attempts.check(user.id, now);
  if (!(await verifyPassword(oldPassword, current.password_hash))) {
    attempts.fail(user.id, now);
    throw new InvalidUserType('The old password was incorrect.');
  }
  attempts.succeed(user.id);
  checkReuse(policy, oldPassword === newPassword);
  await db
    .updateTable('login_profiles')
    .set({ password_hash: await hashPassword(newPassword), password_changed_at: now.toISOString(), password_reset_required: 0 })
    .where('user_id', '=', user.id)
    .execute();
}
