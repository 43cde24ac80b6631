// Console passwords: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile,
// DeleteLoginProfile, ChangePassword, and the account password policy
// (UpdateAccountPasswordPolicy, GetAccountPasswordPolicy, DeleteAccountPasswordPolicy).
import { InvalidUserType, ValidationError } from '../../errors.ts';
import { changePassword, createLoginProfile, deleteLoginProfile, getLoginProfile, updateLoginProfile } from '../../iam/login-profiles.ts';
import {
  deletePasswordPolicy,
  findPasswordPolicy,
  getPasswordPolicy,
  passwordPolicyFromInput,
  passwordPolicyOutput,
  setPasswordPolicy,
} from '../../iam/password-policy.ts';
import { operation, type ApiContext, type ApiOperation, type Input } from '../operation.ts';
import { callerOrNamedUser, userArn } from './users.ts';

const iam = (name: string, resource: Parameters<typeof operation>[2], run: Parameters<typeof operation>[3], options?: Parameters<typeof operation>[4]) =>
  operation('iam', name, resource, run, options);

/** The user a login-profile call is about; the root user must name one (it has no login profile). */
function profileUser(ctx: ApiContext, input: Input): string {
  const name = callerOrNamedUser(ctx, input);
  if (name === undefined) throw new ValidationError('Must specify userName when calling with non-User credentials');
  return name;
}

/**
 * ChangePassword and GetAccountPasswordPolicy are also granted to every IAM user, for itself,
 * by the account password policy's AllowUsersToChangePassword: an account-level grant, not a
 * policy attached to anyone, so an explicit Deny still wins.
 */
const selfService = {
  implicitAllow: async (ctx: ApiContext) =>
    ctx.principal.type === 'user' && Boolean((await findPasswordPolicy(ctx.db, ctx.principal.accountId))?.AllowUsersToChangePassword),
};

export const loginProfilesOperations: ApiOperation[] = [
  iam(
    'CreateLoginProfile',
    (input, ctx) => userArn(ctx, callerOrNamedUser(ctx, input)),
    async (input, ctx) => {
      const userName = profileUser(ctx, input);
      if (input.Password === undefined) {
        throw new ValidationError("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
      }
      const profile = await createLoginProfile(
        ctx.db,
        ctx.principal.accountId,
        userName,
        { password: input.Password, passwordResetRequired: input.PasswordResetRequired ?? false },
        ctx.facts.now,
      );
      return { LoginProfile: profile };
    },
  ),
  iam(
    'GetLoginProfile',
    (input, ctx) => userArn(ctx, callerOrNamedUser(ctx, input)),
    async (input, ctx) => {
      return { LoginProfile: await getLoginProfile(ctx.db, ctx.principal.accountId, profileUser(ctx, input)) };
    },
  ),
  iam(
    'UpdateLoginProfile',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      await updateLoginProfile(
        ctx.db,
        ctx.principal.accountId,
        profileUser(ctx, input),
        { password: input.Password, passwordResetRequired: input.PasswordResetRequired },
        ctx.facts.now,
      );
      return {};
    },
  ),
  iam(
    'DeleteLoginProfile',
    (input, ctx) => userArn(ctx, callerOrNamedUser(ctx, input)),
    async (input, ctx) => {
      await deleteLoginProfile(ctx.db, ctx.principal.accountId, profileUser(ctx, input));
      return {};
    },
  ),
  iam(
    'ChangePassword',
    (_input, ctx) => ctx.principal.arn,
    async (input, ctx) => {
      if (ctx.principal.type !== 'user' || ctx.principal.userName === undefined) {
        throw new InvalidUserType('Only IAM users can change their own password with ChangePassword.');
      }
      await changePassword(
        ctx.db,
        ctx.identity.passwordAttempts,
        ctx.principal.accountId,
        ctx.principal.userName,
        input.OldPassword,
        input.NewPassword,
        ctx.facts.now,
      );
      return {};
    },
    selfService,
  ),
  iam(
    'UpdateAccountPasswordPolicy',
    () => '*',
    async (input, ctx) => {
      await setPasswordPolicy(ctx.db, ctx.principal.accountId, passwordPolicyFromInput(input));
      return {};
    },
  ),
  iam(
    'GetAccountPasswordPolicy',
    () => '*',
    async (_input, ctx) => {
      return { PasswordPolicy: passwordPolicyOutput(await getPasswordPolicy(ctx.db, ctx.principal.accountId)) };
    },
    selfService,
  ),
  iam(
    'DeleteAccountPasswordPolicy',
    () => '*',
    async (_input, ctx) => {
      await deletePasswordPolicy(ctx.db, ctx.principal.accountId);
      return {};
    },
  ),
];
