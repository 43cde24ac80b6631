// `aws workmail …` (AWS CLI v2, /usr/bin/aws) scripted as a WorkMail administrator would,
// against a real Godwit server: the CLI judges the JSON 1.1 wire, its pagination and its errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserCommand } from '@aws-sdk/client-workmail';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { awsCli, type AwsCli, type AwsCredentials } from '../helpers/awscli.ts';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.ts';

describe('aws workmail against Godwit', () => {
  let t: TestServer;
  let dns: TestDnsServer;
  let aws: AwsCli;
  let org: string;
  let domain: string;
  let alice: string;

  before(async () => {
    dns = await startDnsServer();
    t = await startTestServer({ engine: 'sqlite', env: { GODWIT_DNS_SERVER: dns.address } });
    aws = awsCli({ endpoint: t.endpoint, region: t.region, credentials: t.admin });
  });
  after(async () => {
    aws?.dispose();
    await t?.stop();
    await dns?.stop();
  });

  const wm = (args: string[], credentials?: AwsCredentials) => aws.ok(['workmail', ...args, ...(org ? ['--organization-id', org] : [])], credentials);

  test('create an organization and read it back', async () => {
    org = (await aws.ok(['workmail', 'create-organization', '--alias', 'cli-corp'])).json.OrganizationId;
    assert.match(org, /^m-[0-9a-f]{32}$/);
    const described = (await wm(['describe-organization'])).json;
    assert.equal(described.State, 'Active');
    domain = described.DefaultMailDomain;
    assert.equal(domain, 'cli-corp.godwit.localhost');
  });

  test('create and register users, a group with members, and aliases', async () => {
    alice = (await wm(['create-user', '--name', 'alice', '--display-name', 'Alice Liddell', '--password', 'Wonder-Land-42'])).json.UserId;
    const bob = (await wm(['create-user', '--name', 'bob', '--display-name', 'Bob', '--password', 'Builder-Bob-77'])).json.UserId;
    await wm(['register-to-work-mail', '--entity-id', alice, '--email', `alice@${domain}`]);
    await wm(['register-to-work-mail', '--entity-id', bob, '--email', `bob@${domain}`]);
    const described = (await wm(['describe-user', '--user-id', alice])).json;
    assert.equal(described.State, 'ENABLED');
    assert.equal(described.Email, `alice@${domain}`);

    const group = (await wm(['create-group', '--name', 'staff'])).json.GroupId;
    await wm(['register-to-work-mail', '--entity-id', group, '--email', `staff@${domain}`]);
    await wm(['associate-member-to-group', '--group-id', group, '--member-id', alice]);
    await wm(['associate-member-to-group', '--group-id', group, '--member-id', bob]);
    const members = (await wm(['list-group-members', '--group-id', group])).json.Members.map((m: { Name: string }) => m.Name).sort();
    assert.deepEqual(members, ['alice', 'bob']);

    await wm(['create-alias', '--entity-id', alice, '--alias', `al@${domain}`]);
    assert.deepEqual((await wm(['list-aliases', '--entity-id', alice])).json.Aliases, [`al@${domain}`]);
    const taken = await aws.run(['workmail', 'create-alias', '--organization-id', org, '--entity-id', bob, '--alias', `al@${domain}`]);
    assert.equal(taken.code, 254);
    assert.match(taken.stderr, /EmailAddressInUseException/);
  });

  test('a room with a delegate', async () => {
    const room = (await wm(['create-resource', '--name', 'boardroom', '--type', 'ROOM'])).json.ResourceId;
    assert.match(room, /^r-[0-9a-f]{32}$/);
    await wm(['associate-delegate-to-resource', '--resource-id', room, '--entity-id', alice]);
    const delegates = (await wm(['list-resource-delegates', '--resource-id', room])).json.Delegates;
    assert.deepEqual(delegates, [{ Id: alice, Type: 'USER' }]);
  });

  test('register a domain, read the records to publish, publish them and see it verified', async () => {
    await wm(['register-mail-domain', '--domain-name', 'cli-corp.example']);
    const pending = (await wm(['get-mail-domain', '--domain-name', 'cli-corp.example'])).json;
    assert.equal(pending.OwnershipVerificationStatus, 'PENDING');
    assert.equal(pending.DkimVerificationStatus, 'PENDING');
    const records = pending.Records as { Type: string; Hostname: string; Value: string }[];
    assert.deepEqual([...new Set(records.map((r) => r.Type))].sort(), ['CNAME', 'MX', 'TXT']);
    assert.ok(records.some((r) => r.Type === 'MX' && r.Hostname === 'cli-corp.example.' && r.Value === '10 mail.godwit.localhost.'));
    const dkim = records.find((r) => /^godwit1\._domainkey\.cli-corp\.example\.$/.test(r.Hostname));
    assert.match(dkim?.Value ?? '', /^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    const ownership = records.find((r) => r.Hostname === '_godwit.cli-corp.example.')!;
    dns.setTxt(ownership.Hostname, ownership.Value);
    dns.setTxt(dkim!.Hostname, dkim!.Value);
    const verified = (await wm(['get-mail-domain', '--domain-name', 'cli-corp.example'])).json;
    assert.equal(verified.OwnershipVerificationStatus, 'VERIFIED');
    assert.equal(verified.DkimVerificationStatus, 'VERIFIED');
  });

  test('list 1,000 users through the CLI\'s auto-pagination', async () => {
    const client = t.workmail();
    const names = Array.from({ length: 1000 }, (_, i) => `member${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((name) => client.send(new CreateUserCommand({ OrganizationId: org, Name: name, DisplayName: name }))));
    }
    const listed = (await wm(['list-users'])).json.Users.map((u: { Name: string }) => u.Name);
    for (const name of names) assert.ok(listed.includes(name), `${name} listed`);
    assert.equal(new Set(listed).size, listed.length, 'no user listed twice');
  });

  test('AmazonWorkMailReadOnlyAccess lets a user list and describe, not create', async () => {
    await aws.ok(['iam', 'create-user', '--user-name', 'auditor']);
    await aws.ok(['iam', 'attach-user-policy', '--user-name', 'auditor', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonWorkMailReadOnlyAccess']);
    const key = (await aws.ok(['iam', 'create-access-key', '--user-name', 'auditor'])).json.AccessKey;
    const auditor = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    await wm(['list-users', '--max-items', '5'], auditor);
    await wm(['describe-user', '--user-id', alice], auditor);
    const denied = await aws.run(['workmail', 'create-user', '--organization-id', org, '--name', 'mallory', '--display-name', 'M', '--password', 'Mallory-Pass-99'], auditor);
    assert.equal(denied.code, 254);
    assert.match(denied.stderr, /AccessDeniedException/);
    assert.ok(
      denied.stderr.includes(
        `User: arn:aws:iam::${t.admin.accountId}:user/auditor is not authorized to perform: workmail:CreateUser on resource: ` +
          `arn:aws:workmail:${t.region}:${t.admin.accountId}:organization/${org} because no identity-based policy allows the workmail:CreateUser action`,
      ),
      denied.stderr,
    );
  });
});
