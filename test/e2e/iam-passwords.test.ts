import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangePasswordCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteAccountPasswordPolicyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateLoginProfileCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { createAccessKey } from '../../src/iam/access-keys.ts';
import { verifyPassword } from '../../src/security/passwords.ts';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWith } from '../helpers/assertions.ts';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IAM console passwords through @aws-sdk/client-iam (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let iam: IAMClient;
    before(async () => {
      t = await startTestServer({ engine });
      iam = t.iam();
    });
    after(() => t.stop());

    const storedHash = async (userName: string) => {
      const row = await t.server.store.db
        .selectFrom('login_profiles')
        .innerJoin('users', 'users.id', 'login_profiles.user_id')
        .select('login_profiles.password_hash')
        .where('users.name', '=', userName)
        .executeTakeFirstOrThrow();
      return row.password_hash;
    };

    test('the account password policy: absent, AWS defaults, full replacement, deletion', async () => {
      const missing = `The Password Policy with domain name ${t.admin.accountId} cannot be found.`;
      await rejectsWith(iam.send(new GetAccountPasswordPolicyCommand({})), 'NoSuchEntity', 404, missing);
      await rejectsWith(iam.send(new DeleteAccountPasswordPolicyCommand({})), 'NoSuchEntity', 404, missing);

      await iam.send(new UpdateAccountPasswordPolicyCommand({}));
      assert.deepEqual((await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy, {
        MinimumPasswordLength: 6,
        RequireSymbols: false,
        RequireNumbers: false,
        RequireUppercaseCharacters: false,
        RequireLowercaseCharacters: false,
        AllowUsersToChangePassword: false,
        ExpirePasswords: false,
      });

      await iam.send(
        new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireUppercaseCharacters: true, MaxPasswordAge: 90, PasswordReusePrevention: 3, HardExpiry: true }),
      );
      const strict = (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy!;
      assert.equal(strict.MinimumPasswordLength, 12);
      assert.equal(strict.RequireUppercaseCharacters, true);
      assert.equal(strict.ExpirePasswords, true);
      assert.equal(strict.MaxPasswordAge, 90);
      assert.equal(strict.PasswordReusePrevention, 3);
      assert.equal(strict.HardExpiry, true);

      // An update is not a merge: what is left out returns to its default.
      await iam.send(new UpdateAccountPasswordPolicyCommand({ RequireNumbers: true }));
      const replaced = (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy!;
      assert.equal(replaced.RequireNumbers, true);
      assert.equal(replaced.RequireUppercaseCharacters, false);
      assert.equal(replaced.MinimumPasswordLength, 6);
      assert.equal(replaced.MaxPasswordAge, undefined);
      assert.equal(replaced.ExpirePasswords, false);

      await rejectsWith(iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 5 })), 'ValidationError', 400, /minimumPasswordLength/);
      await iam.send(new DeleteAccountPasswordPolicyCommand({}));
      await rejectsWith(iam.send(new GetAccountPasswordPolicyCommand({})), 'NoSuchEntity', 404, missing);
    });

    test('login profiles: created, read, updated and deleted; passwords kept only as hashes', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'carol' }));
      // Without a custom policy, AWS's default one applies.
      await rejectsWith(iam.send(new CreateLoginProfileCommand({ UserName: 'carol', Password: 'short1A' })), 'PasswordPolicyViolation', 400, /minimum length of 8/);
      await rejectsWith(iam.send(new CreateLoginProfileCommand({ UserName: 'carol', Password: 'alllowercase' })), 'PasswordPolicyViolation', 400);

      await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 10, RequireUppercaseCharacters: true, RequireSymbols: true }));
      await rejectsWith(
        iam.send(new CreateLoginProfileCommand({ UserName: 'carol', Password: 'lowercase-only' })),
        'PasswordPolicyViolation',
        400,
        /Password should have at least one uppercase letter/,
      );
      await rejectsWith(iam.send(new CreateLoginProfileCommand({ UserName: 'carol', Password: 'Nosymbolshere' })), 'PasswordPolicyViolation', 400, /at least one symbol/);
      await rejectsWith(iam.send(new CreateLoginProfileCommand({ UserName: 'carol', Password: 'Short!' })), 'PasswordPolicyViolation', 400, /minimum length of 10/);

      const created = await iam.send(new CreateLoginProfileCommand({ UserName: 'carol', Password: 'Harbour-Lights!', PasswordResetRequired: true }));
      assert.equal(created.LoginProfile?.UserName, 'carol');
      assert.equal(created.LoginProfile?.PasswordResetRequired, true);
      assert.ok(created.LoginProfile?.CreateDate instanceof Date);
      assert.ok(!JSON.stringify(created).includes('Harbour-Lights!'));
      const hash = await storedHash('carol');
      assert.match(hash, /^\$scrypt\$/);
      assert.ok(await verifyPassword('Harbour-Lights!', hash));

      await rejectsWith(
        iam.send(new CreateLoginProfileCommand({ UserName: 'carol', Password: 'Harbour-Lights!' })),
        'EntityAlreadyExists',
        409,
        'Login Profile for user carol already exists.',
      );
      await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'carol' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete login profile first.');

      await iam.send(new UpdateLoginProfileCommand({ UserName: 'carol', PasswordResetRequired: false }));
      const got = await iam.send(new GetLoginProfileCommand({ UserName: 'carol' }));
      assert.equal(got.LoginProfile?.PasswordResetRequired, false);
      assert.equal(got.LoginProfile?.CreateDate?.getTime(), created.LoginProfile?.CreateDate?.getTime());
      assert.equal(await storedHash('carol'), hash, 'changing only the reset flag keeps the password');

      await rejectsWith(iam.send(new UpdateLoginProfileCommand({ UserName: 'carol', Password: 'no-upper-case!' })), 'PasswordPolicyViolation', 400, /uppercase/);
      await iam.send(new UpdateLoginProfileCommand({ UserName: 'carol', Password: 'Second-Password!' }));
      assert.notEqual(await storedHash('carol'), hash);

      await iam.send(new DeleteLoginProfileCommand({ UserName: 'carol' }));
      await rejectsWith(iam.send(new GetLoginProfileCommand({ UserName: 'carol' })), 'NoSuchEntity', 404, 'Login Profile for User carol cannot be found.');
      await rejectsWith(iam.send(new DeleteLoginProfileCommand({ UserName: 'carol' })), 'NoSuchEntity', 404, 'Login Profile for User carol cannot be found.');
      await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    });

    test('ChangePassword: the caller changes its own password, when the account allows it', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'dave' }));
      await iam.send(new CreateLoginProfileCommand({ UserName: 'dave', Password: 'First-Pass-123', PasswordResetRequired: true }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'dave' }))).AccessKey!;
      const dave = t.iam({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
      const acct = t.admin.accountId;

      // dave has no policies and the account does not let users change their own passwords.
      await rejectsWith(
        dave.send(new ChangePasswordCommand({ OldPassword: 'First-Pass-123', NewPassword: 'Second-Pass-456' })),
        'AccessDenied',
        403,
        `User: arn:aws:iam::${acct}:user/dave is not authorized to perform: iam:ChangePassword on resource: arn:aws:iam::${acct}:user/dave because no identity-based policy allows the iam:ChangePassword action`,
      );
      await rejectsWith(dave.send(new GetAccountPasswordPolicyCommand({})), 'AccessDenied', 403, /iam:GetAccountPasswordPolicy on resource: \*/);

      await iam.send(new UpdateAccountPasswordPolicyCommand({ AllowUsersToChangePassword: true, RequireNumbers: true, PasswordReusePrevention: 1 }));
      assert.equal((await dave.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy?.AllowUsersToChangePassword, true);
      await rejectsWith(dave.send(new ChangePasswordCommand({ OldPassword: 'wrong-password-1', NewPassword: 'Second-Pass-456' })), 'InvalidUserType', 400);
      await rejectsWith(dave.send(new ChangePasswordCommand({ OldPassword: 'First-Pass-123', NewPassword: 'no-digits-here' })), 'PasswordPolicyViolation', 400, /at least one number/);
      await rejectsWith(dave.send(new ChangePasswordCommand({ OldPassword: 'First-Pass-123', NewPassword: 'First-Pass-123' })), 'PasswordPolicyViolation', 400);

      await dave.send(new ChangePasswordCommand({ OldPassword: 'First-Pass-123', NewPassword: 'Second-Pass-456' }));
      assert.ok(await verifyPassword('Second-Pass-456', await storedHash('dave')));
      // Changing the password satisfies a pending reset.
      assert.equal((await iam.send(new GetLoginProfileCommand({ UserName: 'dave' }))).LoginProfile?.PasswordResetRequired, false);
      await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    });

    test('the root user cannot use ChangePassword, and has no login profile to name', async () => {
      const seed = await createAccessKey(t.server.store.db, t.server.box, t.admin.accountId, undefined, new Date());
      const root = t.iam({ accessKeyId: seed.accessKeyId, secretAccessKey: seed.secretAccessKey });
      await rejectsWith(root.send(new ChangePasswordCommand({ OldPassword: 'correct horse battery', NewPassword: 'New-Root-Pass-1' })), 'InvalidUserType', 400);
      await rejectsWith(root.send(new GetLoginProfileCommand({})), 'ValidationError', 400, 'Must specify userName when calling with non-User credentials');
    });

    test('a user without policies may not manage login profiles', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'erik' }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'erik' }))).AccessKey!;
      const erik = t.iam({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
      const acct = t.admin.accountId;
      await rejectsWith(
        erik.send(new CreateLoginProfileCommand({ Password: 'Some-Password-1' })),
        'AccessDenied',
        403,
        `User: arn:aws:iam::${acct}:user/erik is not authorized to perform: iam:CreateLoginProfile on resource: arn:aws:iam::${acct}:user/erik because no identity-based policy allows the iam:CreateLoginProfile action`,
      );
      await rejectsWith(erik.send(new UpdateAccountPasswordPolicyCommand({})), 'AccessDenied', 403, /iam:UpdateAccountPasswordPolicy on resource: \*/);
    });
  });
}
