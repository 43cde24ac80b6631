// The AWS CLI v2 (Debian's `awscli`, /usr/bin/aws) as the judge: an administrator's script,
// run against a real Godwit server. The CLI checks the wire far more strictly than our own
// code could (XML shapes, error codes, pagination tokens, exit codes).
//
// SQLite only: this suite judges the wire, which does not depend on the storage engine; the
// SDK suites run every operation on both engines, and each CLI call costs about a second.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateUserCommand } from '@aws-sdk/client-iam';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { awsCli, awsCliVersion, type AwsCli, type AwsCredentials } from '../helpers/awscli.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** The two policies of the WorkMail administrator guide, verbatim, with the guide's own syntax errors. */
const SEED = {
  full: fixture('seed-workmail-full-access.txt'),
  readOnly: fixture('seed-workmail-read-only.txt'),
};

/** The guide's policies with their mistakes mended: the missing commas, and one '}' too many. */
function mend(text: string, fixes: [string, string][]): string {
  let mended = text;
  for (const [from, to] of fixes) {
    assert.ok(mended.includes(from), `the seed text contains ${from}`);
    mended = mended.replace(from, to);
  }
  return mended;
}

describe('the AWS CLI v2 against Godwit', () => {
  let t: TestServer;
  let aws: AwsCli;
  let account: string;
  let alice: AwsCredentials;
  let aliceArn: string;

  before(async () => {
    t = await startTestServer({ engine: 'sqlite' });
    account = t.admin.accountId;
    aws = awsCli({ endpoint: t.endpoint, region: t.region, credentials: t.admin });
  });
  after(async () => {
    aws?.dispose();
    await t?.stop();
  });

  test('/usr/bin/aws is the AWS CLI v2', async () => {
    assert.match(await awsCliVersion(), /^aws-cli\/2\./);
  });

  test('sts get-caller-identity', async () => {
    const { json } = await aws.ok(['sts', 'get-caller-identity']);
    assert.equal(json.Account, account);
    assert.equal(json.Arn, `arn:aws:iam::${account}:user/admin`);
    assert.match(json.UserId, /^AIDA[A-Z0-9]{17}$/);
  });

  test('create a user with an access key, a group, membership and a managed policy', async () => {
    const user = await aws.ok(['iam', 'create-user', '--user-name', 'alice']);
    aliceArn = user.json.User.Arn;
    assert.equal(aliceArn, `arn:aws:iam::${account}:user/alice`);

    const key = await aws.ok(['iam', 'create-access-key', '--user-name', 'alice']);
    assert.equal(key.json.AccessKey.UserName, 'alice');
    assert.equal(key.json.AccessKey.Status, 'Active');
    assert.match(key.json.AccessKey.AccessKeyId, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(key.json.AccessKey.SecretAccessKey.length, 40);
    alice = { accessKeyId: key.json.AccessKey.AccessKeyId, secretAccessKey: key.json.AccessKey.SecretAccessKey };

    const group = await aws.ok(['iam', 'create-group', '--group-name', 'readers']);
    assert.equal(group.json.Group.Arn, `arn:aws:iam::${account}:group/readers`);
    const added = await aws.ok(['iam', 'add-user-to-group', '--user-name', 'alice', '--group-name', 'readers']);
    assert.equal(added.stdout, '');
    await aws.ok(['iam', 'attach-group-policy', '--group-name', 'readers', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonWorkMailReadOnlyAccess']);

    const attached = await aws.ok(['iam', 'list-attached-group-policies', '--group-name', 'readers']);
    assert.deepEqual(attached.json.AttachedPolicies, [
      { PolicyName: 'AmazonWorkMailReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonWorkMailReadOnlyAccess' },
    ]);
  });

  test("alice's key works at once, and IAM refuses her what no policy allows, in AWS's words", async () => {
    const me = await aws.ok(['sts', 'get-caller-identity'], alice);
    assert.equal(me.json.Arn, aliceArn);

    const denied = await aws.run(['iam', 'create-user', '--user-name', 'bob'], alice);
    assert.equal(denied.code, 254, denied.stderr);
    assert.match(denied.stderr, /An error occurred \(AccessDenied\) when calling the CreateUser operation/);
    assert.ok(
      denied.stderr.includes(
        `User: arn:aws:iam::${account}:user/alice is not authorized to perform: iam:CreateUser on resource: ` +
          `arn:aws:iam::${account}:user/bob because no identity-based policy allows the iam:CreateUser action`,
      ),
      denied.stderr,
    );
  });

  test("create-policy with the WorkMail guide's policies: refused with the position of the mistake, accepted once mended", async () => {
    const dir = aws.home;
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return `file://${path}`;
    };
    const cases = [
      {
        name: 'seed-full',
        text: SEED.full,
        at: `line 1, column ${SEED.full.indexOf('"lambda:ListFunctions"') + 1}`,
        mended: mend(SEED.full, [['"kms:ListAliases" "lambda', '"kms:ListAliases", "lambda']]),
      },
      {
        name: 'seed-readonly',
        text: SEED.readOnly,
        at: `line 1, column ${SEED.readOnly.indexOf('"ses:Get*"') + 1}`,
        mended: mend(SEED.readOnly, [
          ['"ses:Describe*" "ses:Get*"', '"ses:Describe*", "ses:Get*"'],
          ['] } }', '] }'],
        ]),
      },
    ];
    // The two policies are independent: check them side by side to halve the wait.
    await Promise.all(
      cases.map(async (c) => {
        const refused = await aws.run(['iam', 'create-policy', '--policy-name', c.name, '--policy-document', write(`${c.name}.json`, c.text)]);
        assert.equal(refused.code, 254, refused.stderr);
        assert.match(refused.stderr, /An error occurred \(MalformedPolicyDocument\) when calling the CreatePolicy operation/);
        assert.ok(refused.stderr.includes(c.at), `${c.name}: expected '${c.at}' in:\n${refused.stderr}`);

        const created = await aws.ok(['iam', 'create-policy', '--policy-name', c.name, '--policy-document', write(`${c.name}-mended.json`, c.mended)]);
        assert.equal(created.json.Policy.Arn, `arn:aws:iam::${account}:policy/${c.name}`);
        assert.equal(created.json.Policy.DefaultVersionId, 'v1');
        assert.match(created.json.Policy.PolicyId, /^ANPA[A-Z0-9]{17}$/);
      }),
    );
  });

  test('simulate-principal-policy answers as the policy engine decides', async () => {
    const { json } = await aws.ok([
      'iam',
      'simulate-principal-policy',
      '--policy-source-arn',
      aliceArn,
      '--action-names',
      'workmail:ListUsers',
      'workmail:CreateUser',
      'iam:CreateUser',
    ]);
    const decisions = Object.fromEntries(json.EvaluationResults.map((r: { EvalActionName: string; EvalDecision: string }) => [r.EvalActionName, r.EvalDecision]));
    assert.deepEqual(decisions, { 'workmail:ListUsers': 'allowed', 'workmail:CreateUser': 'implicitDeny', 'iam:CreateUser': 'implicitDeny' });
    const listUsers = json.EvaluationResults.find((r: { EvalActionName: string }) => r.EvalActionName === 'workmail:ListUsers');
    assert.equal(listUsers.MatchedStatements[0].SourcePolicyId, 'AmazonWorkMailReadOnlyAccess');
  });

  test('list-users follows Marker across pages; --max-items and --starting-token resume', async () => {
    const names = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
    for (const name of names) await t.iam().send(new CreateUserCommand({ UserName: name, Path: '/paged/' }));

    const all = await aws.ok(['iam', 'list-users', '--path-prefix', '/paged/', '--page-size', '2']);
    assert.deepEqual(all.json.Users.map((u: { UserName: string }) => u.UserName), names);

    const first = await aws.ok(['iam', 'list-users', '--path-prefix', '/paged/', '--page-size', '2', '--max-items', '3']);
    assert.deepEqual(first.json.Users.map((u: { UserName: string }) => u.UserName), names.slice(0, 3));
    assert.ok(first.json.NextToken, 'a NextToken to resume from');
    const rest = await aws.ok(['iam', 'list-users', '--path-prefix', '/paged/', '--page-size', '2', '--starting-token', first.json.NextToken]);
    assert.deepEqual(rest.json.Users.map((u: { UserName: string }) => u.UserName), names.slice(3));
  });

  test('get-user for an unknown user: exit 254, NoSuchEntity', async () => {
    const result = await aws.run(['iam', 'get-user', '--user-name', 'nobody']);
    assert.equal(result.code, 254, result.stderr);
    assert.match(result.stderr, /An error occurred \(NoSuchEntity\) when calling the GetUser operation: The user with name nobody cannot be found\./);
  });

  test('an access key the server never issued: InvalidClientTokenId', async () => {
    const result = await aws.run(['sts', 'get-caller-identity'], { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    assert.equal(result.code, 254, result.stderr);
    assert.match(result.stderr, /An error occurred \(InvalidClientTokenId\) when calling the GetCallerIdentity operation: The security token included in the request is invalid/);
  });
});
