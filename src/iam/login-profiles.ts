// Console passwords of IAM users (login profiles). Passwords are checked against the account
// password policy, stored only as scrypt hashes (security/passwords.ts), and never returned.
//
// scrypt is slow and must not run inside a transaction (store/tx.ts), so each change hashes
// first and then writes in the account's write transaction, where the user, the profile and the
// password policy are read again and the policy is checked again: what decides the write holds
// when it commits. The checks made before hashing only spare a refused password the scrypt.
import { EntityAlreadyExists, EntityTemporarilyUnmodifiable, InvalidUserType, NoSuchEntity } from '../errors.ts';
import { isUniqueViolation, writeTransaction, type Db, type Tx } from '../store/database.ts';
import { iamChange } from '../store/changes.ts';
import type { LoginProfilesTable, UsersTable } from '../store/schema.ts';
import type { PasswordAttempts } from './password-attempts.ts';
import { hashPassword, verifyPassword } from '../security/passwords.ts';
import { checkPassword, checkReuse, findPasswordPolicy, type PasswordPolicy } from './password-policy.ts';
import { getUser } from './users.ts';

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

async function checkAgainstPolicy(db: Db, accountId: string, password: string): Promise<PasswordPolicy | undefined> {
  const policy = await findPasswordPolicy(db, accountId);
  checkPassword(password, policy, await accountEmail(db, accountId));
  return policy;
}

async function profileOf(db: Db, user: UsersTable): Promise<LoginProfilesTable> {
  const row = await db.selectFrom('login_profiles').selectAll().where('user_id', '=', user.id).executeTakeFirst();
  if (!row) throw noLoginProfile(user.name);
  return row;
}

export async function getLoginProfile(db: Db, accountId: string, userName: string): Promise<LoginProfile> {
  const user = await getUser(db, accountId, userName);
  return loginProfileFromRow(user, await profileOf(db, user));
}

export async function createLoginProfile(
  db: Db,
  accountId: string,
  userName: string,
  input: { password: string; passwordResetRequired: boolean },
  now: Date,
): Promise<LoginProfile> {
  const named = await getUser(db, accountId, userName);
  await checkAgainstPolicy(db, accountId, input.password);
  const passwordHash = await hashPassword(input.password);
  try {
    return await writeTransaction(db, iamChange(accountId), async (trx) => {
      const user = await getUser(trx, accountId, userName);
      await checkAgainstPolicy(trx, accountId, input.password);
      const existing = await trx.selectFrom('login_profiles').select('user_id').where('user_id', '=', user.id).executeTakeFirst();
      if (existing) throw new EntityAlreadyExists(`Login Profile for user ${user.name} already exists.`);
      const row: LoginProfilesTable = {
        user_id: user.id,
        password_hash: passwordHash,
        password_reset_required: input.passwordResetRequired ? 1 : 0,
        created_at: now.toISOString(),
        password_changed_at: now.toISOString(),
      };
      await trx.insertInto('login_profiles').values(row).execute();
      return loginProfileFromRow(user, row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EntityAlreadyExists(`Login Profile for user ${named.name} already exists.`);
    throw error;
  }
}

/** The write a password change ends with; false when what it was prepared against no longer holds. */
type ProfileWrite = (trx: Tx, user: UsersTable) => Promise<boolean>;

const MAX_PREPARES = 3;

/**
 * A password change needs scrypt work against the stored hash (does the old password match? is
 * the new one the current one?), which cannot run in the transaction. `prepare` does it against
 * the profile as it stands and returns the write; the write runs only while the profile still
 * holds the hash `prepare` saw. When another change got there first, it is all prepared again.
 */
async function changeWhileHashHolds(
  db: Db,
  accountId: string,
  userName: string,
  prepare: (user: UsersTable, profile: LoginProfilesTable) => Promise<ProfileWrite>,
): Promise<void> {
  for (let attempt = 0; attempt < MAX_PREPARES; attempt++) {
    const user = await getUser(db, accountId, userName);
    const seen = await profileOf(db, user);
    const write = await prepare(user, seen);
    const done = await writeTransaction(db, iamChange(accountId), async (trx) => {
      const current = await getUser(trx, accountId, userName);
      const profile = await profileOf(trx, current);
      return profile.password_hash === seen.password_hash && write(trx, current);
    });
    if (done) return;
  }
  throw new EntityTemporarilyUnmodifiable(`Login Profile for User ${userName} is being changed by other requests. Try again.`);
}

export async function updateLoginProfile(
  db: Db,
  accountId: string,
  userName: string,
  changes: { password?: string; passwordResetRequired?: boolean },
  now: Date,
): Promise<void> {
  const resetRequired = changes.passwordResetRequired === undefined ? {} : { password_reset_required: changes.passwordResetRequired ? 1 : 0 };
  const password = changes.password;
  if (password === undefined) {
    await writeTransaction(db, iamChange(accountId), async (trx) => {
      const user = await getUser(trx, accountId, userName);
      await profileOf(trx, user);
      if (Object.keys(resetRequired).length) await trx.updateTable('login_profiles').set(resetRequired).where('user_id', '=', user.id).execute();
    });
    return;
  }
  await changeWhileHashHolds(db, accountId, userName, async (_user, profile) => {
    const policy = await checkAgainstPolicy(db, accountId, password);
    const reusesCurrent = policy?.PasswordReusePrevention ? await verifyPassword(password, profile.password_hash) : undefined;
    checkReuse(policy, reusesCurrent === true);
    const passwordHash = await hashPassword(password);
    return async (trx, user) => {
      const current = await checkAgainstPolicy(trx, accountId, password);
      // Reuse prevention was turned on meanwhile: the reuse check has not been made yet.
      if (current?.PasswordReusePrevention && reusesCurrent === undefined) return false;
      checkReuse(current, reusesCurrent === true);
      await trx
        .updateTable('login_profiles')
        .set({ password_hash: passwordHash, password_changed_at: now.toISOString(), ...resetRequired })
        .where('user_id', '=', user.id)
        .execute();
      return true;
    };
  });
}

export async function deleteLoginProfile(db: Db, accountId: string, userName: string): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const user = await getUser(trx, accountId, userName);
    const result = await trx.deleteFrom('login_profiles').where('user_id', '=', user.id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw noLoginProfile(user.name);
  });
}

/** A user changing its own password: the old one must match; a pending reset is then satisfied. */
export async function changePassword(
  db: Db,
  attempts: PasswordAttempts,
  accountId: string,
  userName: string,
  oldPassword: string,
  newPassword: string,
  now: Date,
): Promise<void> {
  await changeWhileHashHolds(db, accountId, userName, async (user, profile) => {
    // The policy check is cheap and the hash check is not (scrypt), so the policy goes first.
    const policy = await checkAgainstPolicy(db, accountId, newPassword);
    attempts.check(user.id, now);
    if (!(await verifyPassword(oldPassword, profile.password_hash))) {
      attempts.fail(user.id, now);
      throw new InvalidUserType('The old password was incorrect.');
    }
    attempts.succeed(user.id);
    checkReuse(policy, oldPassword === newPassword);
    const passwordHash = await hashPassword(newPassword);
    return async (trx, current) => {
      checkReuse(await checkAgainstPolicy(trx, accountId, newPassword), oldPassword === newPassword);
      await trx
        .updateTable('login_profiles')
        .set({ password_hash: passwordHash, password_changed_at: now.toISOString(), password_reset_required: 0 })
        .where('user_id', '=', current.id)
        .execute();
      return true;
    };
  });
}
