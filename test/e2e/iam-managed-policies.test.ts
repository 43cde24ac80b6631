// The AWS managed policies admin scripts attach, through the real SDKs: readable with the ARN,
// path and description AWS gives them, and deciding real requests as they do in AWS for the
// services Godwit serves (docs/managed-policies.md).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  ListPoliciesCommand,
  ListUsersCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateOrganizationCommand, CreateUserCommand as CreateMailUserCommand, ListOrganizationsCommand } from '@aws-sdk/client-workmail';
import { startTestServer, type Credentials, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWith, rejectsWithWorkMail } from '../helpers/assertions.ts';

const AWS_POLICY = 'arn:aws:iam::aws:policy/';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`AWS managed policies through the SDKs (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let iam: IAMClient;
    before(async () => {
      t = await startTestServer({ engine });
      iam = t.iam();
    });
    after(() => t.stop());

    /** A new user holding only `policy`, and its credentials. */
    async function userWith(name: string, policy: string): Promise<Credentials> {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: AWS_POLICY + policy }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
      return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    }

    test('GetPolicy and GetPolicyVersion answer with the ARN, path, description and document AWS gives', async () => {
      const expected = [
        ['PowerUserAccess', '/', 'Provides full access to AWS services and resources, but does not allow management of Users and groups.', '"NotAction"'],
        ['ReadOnlyAccess', '/', 'Provides read-only access to AWS services and resources.', '"workmail:Describe*"'],
        ['SecurityAudit', '/', /^The security audit template grants access to read security configuration metadata\./, '"iam:GenerateCredentialReport"'],
        ['job-function/ViewOnlyAccess', '/job-function/', /^This policy grants permissions to view resources and basic metadata/, '"iam:List*"'],
        ['IAMFullAccess', '/', /IAM/, '"iam:*"'],
        ['IAMReadOnlyAccess', '/', /IAM/, '"iam:Get*"'],
      ] as const;
      for (const [name, path, description, excerpt] of expected) {
        const arn = AWS_POLICY + name;
        const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
        assert.equal(policy.Arn, arn);
        assert.equal(policy.Path, path);
        assert.equal(policy.PolicyName, name.split('/').pop());
        if (typeof description === 'string') assert.equal(policy.Description, description);
        else assert.match(policy.Description!, description);
        assert.equal(policy.IsAttachable, true);
        const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId }))).PolicyVersion!;
        assert.equal(version.IsDefaultVersion, true);
        const document = decodeURIComponent(version.Document!);
        assert.equal(JSON.parse(document).Version, '2012-10-17');
        assert.ok(document.includes(excerpt), `${name}: ${document}`);
      }
      const listed = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 100 }));
      for (const name of ['PowerUserAccess', 'ReadOnlyAccess', 'SecurityAudit', 'ViewOnlyAccess']) {
        assert.ok(listed.Policies?.some((p) => p.PolicyName === name), name);
      }
    });

    test('ReadOnlyAccess: a user may list and read IAM and WorkMail, and change nothing', async () => {
      const credentials = await userWith('reader', 'ReadOnlyAccess');
      const reader = t.iam(credentials);
      const users = await reader.send(new ListUsersCommand({}));
      assert.ok(users.Users?.some((u) => u.UserName === 'reader'));
      await reader.send(new GetUserCommand({ UserName: 'admin' }));
      await t.workmail(credentials).send(new ListOrganizationsCommand({}));
      await t.sts(credentials).send(new GetCallerIdentityCommand({}));
      await rejectsWith(reader.send(new CreateUserCommand({ UserName: 'not-by-reader' })), 'AccessDenied', 403, /not authorized to perform: iam:CreateUser/);
      await rejectsWithWorkMail(t.workmail(credentials).send(new CreateOrganizationCommand({ Alias: 'reader-org' })), 'AccessDeniedException', undefined, 403);
    });

    test('PowerUserAccess: a user may run WorkMail, and may not manage IAM users', async () => {
      const credentials = await userWith('power', 'PowerUserAccess');
      const wm = t.workmail(credentials);
      const { OrganizationId } = await wm.send(new CreateOrganizationCommand({ Alias: 'power-org' }));
      await wm.send(new CreateMailUserCommand({ OrganizationId, Name: 'mailbox', DisplayName: 'Mailbox', Password: 'Mailbox-password-1' }));
      await t.sts(credentials).send(new GetCallerIdentityCommand({}));
      const power = t.iam(credentials);
      await rejectsWith(power.send(new CreateUserCommand({ UserName: 'not-by-power' })), 'AccessDenied', 403, /not authorized to perform: iam:CreateUser/);
      await rejectsWith(power.send(new ListUsersCommand({})), 'AccessDenied', 403);
    });
  });
}
