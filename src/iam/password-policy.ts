// The account password policy for IAM users' console passwords. It is stored as JSON in
// accounts.password_policy and checked whenever a password is set (login profile created or
// updated, ChangePassword). Without a custom policy AWS applies its default one: at least 8
// characters from at least three of the four character types, and not the account's email.
import { NoSuchEntity, PasswordPolicyViolation } from '../errors.ts';
import { writeTransaction, type Db } from '../store/database.ts';
import { iamChange } from '../store/changes.ts';

export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

/** UpdateAccountPasswordPolicy replaces the whole policy: a member left out takes AWS's default. */
export const DEFAULT_MINIMUM_PASSWORD_LENGTH = 6;
const AWS_DEFAULT_POLICY_MINIMUM_LENGTH = 8;

// The characters AWS counts as symbols ("non-alphanumeric characters") in a password policy.
const SYMBOLS = /[!@#$%^&*()_+\-=[\]{}|']/;

export function passwordPolicyFromInput(input: Partial<PasswordPolicy>): PasswordPolicy {
  return {
    MinimumPasswordLength: input.MinimumPasswordLength ?? DEFAULT_MINIMUM_PASSWORD_LENGTH,
    RequireSymbols: input.RequireSymbols ?? false,
    RequireNumbers: input.RequireNumbers ?? false,
    RequireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
    RequireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
    AllowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
    MaxPasswordAge: input.MaxPasswordAge,
    PasswordReusePrevention: input.PasswordReusePrevention,
    HardExpiry: input.HardExpiry,
  };
}

/** GetAccountPasswordPolicy's view: ExpirePasswords is derived from MaxPasswordAge. */
export const passwordPolicyOutput = (policy: PasswordPolicy) => ({ ...policy, ExpirePasswords: policy.MaxPasswordAge !== undefined });

const noPasswordPolicy = (accountId: string) => new NoSuchEntity(`The Password Policy with domain name ${accountId} cannot be found.`);

export async function findPasswordPolicy(db: Db, accountId: string): Promise<PasswordPolicy | undefined> {
  const row = await db.selectFrom('accounts').select('password_policy').where('id', '=', accountId).executeTakeFirst();
  return row?.password_policy ? (JSON.parse(row.password_policy) as PasswordPolicy) : undefined;
}

export async function getPasswordPolicy(db: Db, accountId: string): Promise<PasswordPolicy> {
  const policy = await findPasswordPolicy(db, accountId);
  if (!policy) throw noPasswordPolicy(accountId);
  return policy;
}

export async function setPasswordPolicy(db: Db, accountId: string, policy: PasswordPolicy): Promise<void> {
  await writeTransaction(db, iamChange(accountId), (trx) =>
    trx.updateTable('accounts').set({ password_policy: JSON.stringify(policy) }).where('id', '=', accountId).execute(),
  );
}

export async function deletePasswordPolicy(db: Db, accountId: string): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const result = await trx
      .updateTable('accounts')
      .set({ password_policy: null })
      .where('id', '=', accountId)
      .where('password_policy', 'is not', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw noPasswordPolicy(accountId);
  });
}

const violation = (reason: string) => new PasswordPolicyViolation(`Password does not conform to the account password policy: ${reason}`);

/**
 * Throws PasswordPolicyViolation naming the first rule the password breaks. `accountEmail` is
 * for AWS's default policy, which refuses the account's email address as a password.
 */
export function checkPassword(password: string, policy: PasswordPolicy | undefined, accountEmail: string): void {
  const has = {
    uppercase: /[A-Z]/.test(password),
    lowercase: /[a-z]/.test(password),
    number: /[0-9]/.test(password),
    symbol: SYMBOLS.test(password),
  };
  if (!policy) {
    if (password.length < AWS_DEFAULT_POLICY_MINIMUM_LENGTH) {
      throw violation(`Password should have a minimum length of ${AWS_DEFAULT_POLICY_MINIMUM_LENGTH}`);
    }
    if (Object.values(has).filter(Boolean).length < 3) {
      throw violation('Password should include at least three of: uppercase letters, lowercase letters, numbers, symbols');
    }
    if (password.toLowerCase() === accountEmail.toLowerCase()) throw violation('Password should not be the account email address');
    return;
  }
  if (password.length < policy.MinimumPasswordLength) throw violation(`Password should have a minimum length of ${policy.MinimumPasswordLength}`);
  if (policy.RequireUppercaseCharacters && !has.uppercase) throw violation('Password should have at least one uppercase letter');
  if (policy.RequireLowercaseCharacters && !has.lowercase) throw violation('Password should have at least one lowercase letter');
  if (policy.RequireNumbers && !has.number) throw violation('Password should have at least one number');
  if (policy.RequireSymbols && !has.symbol) throw violation('Password should have at least one symbol');
}

/** Only the current password is kept, so reuse prevention can look back one password. */
export function checkReuse(policy: PasswordPolicy | undefined, reusesCurrent: boolean): void {
  if (policy?.PasswordReusePrevention && reusesCurrent) {
    throw violation(`Password should not be one of your ${policy.PasswordReusePrevention} previous passwords`);
  }
}
