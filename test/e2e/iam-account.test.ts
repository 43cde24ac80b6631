import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteAccountAliasCommand,
  GetAccountSummaryCommand,
  ListAccountAliasesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { createAccessKey } from '../../src/iam/access-keys.ts';
import { createAccount } from '../../src/iam/accounts.ts';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWith } from '../helpers/assertions.ts';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IAM account aliases and summary through @aws-sdk/client-iam (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let iam: IAMClient;
    before(async () => {
      t = await startTestServer({ engine });
      iam = t.iam();
    });
    after(() => t.stop());

    test('an account has at most one alias, unique across the server', async () => {
      assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
      await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'example-mail' }));
      const listed = await iam.send(new ListAccountAliasesCommand({}));
      assert.deepEqual(listed.AccountAliases, ['example-mail']);
      assert.equal(listed.IsTruncated, false);
      // Creating the same alias again changes nothing; creating another replaces it.
      await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'example-mail' }));
      await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'example-mail-2' }));
      assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, ['example-mail-2']);

      for (const bad of ['Upper-case', 'double--dash', '-leading', 'ab']) {
        await rejectsWith(iam.send(new CreateAccountAliasCommand({ AccountAlias: bad })), 'ValidationError', 400, /accountAlias/);
      }

      const other = await createAccount(t.server.store.db, t.server.box, { email: 'other@example.com', password: 'another horse battery' }, new Date());
      const otherIam = t.iam({ accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey });
      await rejectsWith(otherIam.send(new CreateAccountAliasCommand({ AccountAlias: 'example-mail-2' })), 'EntityAlreadyExists', 409, 'The account alias example-mail-2 already exists.');
      await rejectsWith(otherIam.send(new DeleteAccountAliasCommand({ AccountAlias: 'example-mail-2' })), 'NoSuchEntity', 404, 'The account alias example-mail-2 cannot be found.');

      await rejectsWith(iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'example-mail' })), 'NoSuchEntity', 404, 'The account alias example-mail cannot be found.');
      await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'example-mail-2' }));
      assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
      // Freed, the alias can be taken by the other account.
      await otherIam.send(new CreateAccountAliasCommand({ AccountAlias: 'example-mail-2' }));
      assert.deepEqual((await otherIam.send(new ListAccountAliasesCommand({}))).AccountAliases, ['example-mail-2']);
    });

    test('GetAccountSummary counts what the account holds, beside AWS quotas', async () => {
      const summary = async () => (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap as Record<string, number>;
      const start = await summary();
      // A new account holds the admin user, its group, and AdministratorAccess attached to that group.
      assert.equal(start.Users, 1);
      assert.equal(start.Groups, 1);
      assert.equal(start.Policies, 0);
      assert.equal(start.PolicyVersionsInUse, 1);
      assert.equal(start.AccountAccessKeysPresent, 0);
      assert.equal(start.AccountMFAEnabled, 0);
      for (const [key, value] of Object.entries({
        UsersQuota: 5000,
        GroupsQuota: 300,
        PoliciesQuota: 1500,
        PolicySizeQuota: 6144,
        VersionsPerPolicyQuota: 5,
        UserPolicySizeQuota: 2048,
        GroupPolicySizeQuota: 5120,
        GroupsPerUserQuota: 10,
        AccessKeysPerUserQuota: 2,
        AttachedPoliciesPerUserQuota: 10,
        AttachedPoliciesPerGroupQuota: 10,
        AttachedPoliciesPerRoleQuota: 10,
        AssumeRolePolicySizeQuota: 2048,
      })) {
        assert.equal(start[key], value, key);
      }
      for (const key of ['Roles', 'RolesQuota', 'InstanceProfiles', 'InstanceProfilesQuota', 'Providers', 'ServerCertificates', 'ServerCertificatesQuota', 'MFADevices', 'MFADevicesInUse', 'AccountSigningCertificatesPresent', 'PolicyVersionsInUseQuota']) {
        assert.equal(typeof start[key], 'number', key);
      }

      await iam.send(new CreateUserCommand({ UserName: 'counted' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'counted' }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'counted', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
      await iam.send(
        new CreatePolicyCommand({ PolicyName: 'counted', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}' }),
      );
      await createAccessKey(t.server.store.db, t.server.box, t.admin.accountId, undefined, new Date());
      const after = await summary();
      assert.equal(after.Users, 2);
      assert.equal(after.Groups, 2);
      assert.equal(after.Policies, 1);
      assert.equal(after.PolicyVersionsInUse, 2);
      assert.equal(after.AccountAccessKeysPresent, 1);
    });

    test('account-level operations act on resource "*" and need a policy', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'plain' }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'plain' }))).AccessKey!;
      const plain = t.iam({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
      const acct = t.admin.accountId;
      const denied = (promise: Promise<unknown>, action: string) =>
        rejectsWith(
          promise,
          'AccessDenied',
          403,
          `User: arn:aws:iam::${acct}:user/plain is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`,
        );
      await denied(plain.send(new GetAccountSummaryCommand({})), 'iam:GetAccountSummary');
      await denied(plain.send(new ListAccountAliasesCommand({})), 'iam:ListAccountAliases');
      await denied(plain.send(new CreateAccountAliasCommand({ AccountAlias: 'plain-alias' })), 'iam:CreateAccountAlias');
      await denied(plain.send(new DeleteAccountAliasCommand({ AccountAlias: 'plain-alias' })), 'iam:DeleteAccountAlias');
    });
  });
}
