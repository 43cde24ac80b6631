import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateOrganizationCommand,
  CreateUserCommand,
  DeleteOrganizationCommand,
  DeleteUserCommand,
  DeregisterFromWorkMailCommand,
  DescribeEntityCommand,
  DescribeUserCommand,
  GetMailboxDetailsCommand,
  ListUsersCommand,
  RegisterToWorkMailCommand,
  ResetPasswordCommand,
  UpdateMailboxQuotaCommand,
  UpdatePrimaryEmailAddressCommand,
  UpdateUserCommand,
  paginateListUsers,
  type User,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand as CreateIamUserCommand } from '@aws-sdk/client-iam';
import { verifyPassword } from '../../src/security/passwords.ts';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWithWorkMail } from '../helpers/assertions.ts';

const PASSWORD = 'Mailbox-Passw0rd';
const UNKNOWN_ORG = 'm-' + '0'.repeat(32);
const UNKNOWN_USER = '00000000-0000-4000-8000-000000000000';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`WorkMail users and registration through @aws-sdk/client-workmail (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let wm: WorkMailClient;
    let OrganizationId: string;
    let domain: string;
    before(async () => {
      t = await startTestServer({ engine });
      wm = t.workmail();
      // acme-pending.example is added at creation but never verified.
      OrganizationId = (await wm.send(new CreateOrganizationCommand({ Alias: 'users-org', Domains: [{ DomainName: 'acme-pending.example' }] }))).OrganizationId!;
      domain = `users-org.godwit.localhost`;
    });
    after(() => t.stop());

    const storedHash = async (id: string) =>
      (await t.server.store.db.selectFrom('wm_entities').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow()).password_hash;

    test('CreateUser: a DISABLED user with its attributes; names, reserved names, roles and the password policy', async () => {
      const { UserId } = await wm.send(
        new CreateUserCommand({ OrganizationId, Name: 'alice', DisplayName: 'Alice Liddell', Password: PASSWORD, FirstName: 'Alice', LastName: 'Liddell', HiddenFromGlobalAddressList: true }),
      );
      assert.match(UserId!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const alice = await wm.send(new DescribeUserCommand({ OrganizationId, UserId }));
      assert.equal(alice.UserId, UserId);
      assert.equal(alice.Name, 'alice');
      assert.equal(alice.DisplayName, 'Alice Liddell');
      assert.equal(alice.State, 'DISABLED');
      assert.equal(alice.UserRole, 'USER');
      assert.equal(alice.FirstName, 'Alice');
      assert.equal(alice.LastName, 'Liddell');
      assert.equal(alice.HiddenFromGlobalAddressList, true);
      assert.equal(alice.Email, undefined);
      assert.equal(alice.EnabledDate, undefined);
      assert.equal(alice.MailboxProvisionedDate, undefined);
      assert.ok(await verifyPassword(PASSWORD, (await storedHash(UserId!))!), 'the password is stored hashed, and verifies');
      assert.equal((await wm.send(new DescribeUserCommand({ OrganizationId, UserId: 'ALICE' }))).UserId, UserId, 'found by name, case-insensitively');

      await rejectsWithWorkMail(wm.send(new CreateUserCommand({ OrganizationId, Name: 'Alice', DisplayName: 'Other', Password: PASSWORD })), 'NameAvailabilityException');
      await rejectsWithWorkMail(wm.send(new CreateUserCommand({ OrganizationId, Name: 'Administrator', DisplayName: 'Admin', Password: PASSWORD })), 'ReservedNameException');
      for (const weak of ['Sh0rt!', 'alllowercase1', 'NoDigitsOrSymbols', 'Aa1!'.repeat(16)]) {
        await rejectsWithWorkMail(
          wm.send(new CreateUserCommand({ OrganizationId, Name: 'weak', DisplayName: 'Weak', Password: weak })),
          'InvalidPasswordException',
          /minimum security constraints/,
        );
      }
      await rejectsWithWorkMail(wm.send(new CreateUserCommand({ OrganizationId, Name: 'sys', DisplayName: 'Sys', Role: 'SYSTEM_USER' })), 'InvalidParameterException');
      await rejectsWithWorkMail(wm.send(new CreateUserCommand({ OrganizationId, Name: 'bad name', DisplayName: 'x' })), 'InvalidParameterException', /'name'/);
      const remote = await wm.send(new CreateUserCommand({ OrganizationId, Name: 'remote', DisplayName: 'Remote', Role: 'REMOTE_USER' }));
      assert.equal((await wm.send(new DescribeUserCommand({ OrganizationId, UserId: remote.UserId }))).UserRole, 'REMOTE_USER');
      assert.equal(await storedHash(remote.UserId!), null, 'no password given, none stored');
    });

    test('register, change the primary address, mailbox, deregister and delete', async () => {
      const { UserId } = await wm.send(new CreateUserCommand({ OrganizationId, Name: 'bob', DisplayName: 'Bob', Password: PASSWORD }));
      const other = await wm.send(new CreateUserCommand({ OrganizationId, Name: 'carol', DisplayName: 'Carol', Password: PASSWORD }));
      await rejectsWithWorkMail(wm.send(new GetMailboxDetailsCommand({ OrganizationId, UserId })), 'EntityNotFoundException', /no mailbox/);
      await rejectsWithWorkMail(wm.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: UserId, Email: 'bob@elsewhere.example' })), 'MailDomainNotFoundException');
      await rejectsWithWorkMail(wm.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: UserId, Email: 'bob@acme-pending.example' })), 'MailDomainStateException');
      await rejectsWithWorkMail(wm.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: UNKNOWN_USER, Email: `x@${domain}` })), 'EntityNotFoundException');

      await wm.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: UserId, Email: `Bob@${domain}` }));
      const bob = await wm.send(new DescribeUserCommand({ OrganizationId, UserId }));
      assert.equal(bob.State, 'ENABLED');
      assert.equal(bob.Email, `bob@${domain}`);
      assert.ok(bob.EnabledDate instanceof Date && bob.MailboxProvisionedDate instanceof Date);
      assert.deepEqual(await wm.send(new DescribeEntityCommand({ OrganizationId, Email: `BOB@${domain}` })).then((e) => [e.EntityId, e.Name, e.Type]), [UserId, 'bob', 'USER']);
      await rejectsWithWorkMail(wm.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: UserId, Email: `bob2@${domain}` })), 'EntityAlreadyRegisteredException');
      await rejectsWithWorkMail(wm.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: other.UserId, Email: `bob@${domain}` })), 'EmailAddressInUseException');
      await rejectsWithWorkMail(wm.send(new DeleteUserCommand({ OrganizationId, UserId })), 'EntityStateException');

      await wm.send(new UpdatePrimaryEmailAddressCommand({ OrganizationId, EntityId: UserId, Email: `robert@${domain}` }));
      assert.equal((await wm.send(new DescribeUserCommand({ OrganizationId, UserId }))).Email, `robert@${domain}`);
      assert.equal((await wm.send(new DescribeEntityCommand({ OrganizationId, Email: `bob@${domain}` }))).EntityId, UserId, 'the former primary stays as an alias');
      await wm.send(new UpdatePrimaryEmailAddressCommand({ OrganizationId, EntityId: UserId, Email: `bob@${domain}` }));
      assert.equal((await wm.send(new DescribeUserCommand({ OrganizationId, UserId }))).Email, `bob@${domain}`, 'an alias swaps back to primary');
      await rejectsWithWorkMail(wm.send(new UpdatePrimaryEmailAddressCommand({ OrganizationId, EntityId: other.UserId, Email: `carol@${domain}` })), 'EntityStateException');
      await rejectsWithWorkMail(wm.send(new UpdatePrimaryEmailAddressCommand({ OrganizationId, EntityId: UserId, Email: 'bob@acme-pending.example' })), 'MailDomainStateException');

      assert.deepEqual(await wm.send(new GetMailboxDetailsCommand({ OrganizationId, UserId })).then((m) => [m.MailboxQuota, m.MailboxSize]), [51200, 0]);
      await wm.send(new UpdateMailboxQuotaCommand({ OrganizationId, UserId, MailboxQuota: 1024 }));
      assert.equal((await wm.send(new GetMailboxDetailsCommand({ OrganizationId, UserId }))).MailboxQuota, 1024);
      await rejectsWithWorkMail(wm.send(new UpdateMailboxQuotaCommand({ OrganizationId, UserId, MailboxQuota: 51201 })), 'InvalidParameterException');
      await rejectsWithWorkMail(wm.send(new UpdateMailboxQuotaCommand({ OrganizationId, UserId: other.UserId, MailboxQuota: 10 })), 'EntityStateException');

      await wm.send(new DeregisterFromWorkMailCommand({ OrganizationId, EntityId: UserId }));
      const deregistered = await wm.send(new DescribeUserCommand({ OrganizationId, UserId }));
      assert.equal(deregistered.State, 'DISABLED');
      assert.equal(deregistered.Email, undefined);
      assert.ok(deregistered.DisabledDate instanceof Date);
      await rejectsWithWorkMail(wm.send(new DescribeEntityCommand({ OrganizationId, Email: `robert@${domain}` })), 'EntityNotFoundException', undefined);
      assert.equal((await wm.send(new GetMailboxDetailsCommand({ OrganizationId, UserId }))).MailboxQuota, 1024, 'the mailbox and its quota are kept');
      await rejectsWithWorkMail(wm.send(new DeregisterFromWorkMailCommand({ OrganizationId, EntityId: UserId })), 'EntityStateException');
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: other.UserId, Email: `bob@${domain}` }));
      assert.equal((await wm.send(new DescribeEntityCommand({ OrganizationId, Email: `bob@${domain}` }))).EntityId, other.UserId, 'released addresses are free');

      await wm.send(new DeleteUserCommand({ OrganizationId, UserId }));
      const deleted = await wm.send(new DescribeUserCommand({ OrganizationId, UserId }));
      assert.equal(deleted.State, 'DELETED');
      assert.ok(deleted.MailboxDeprovisionedDate instanceof Date);
      await rejectsWithWorkMail(wm.send(new DescribeUserCommand({ OrganizationId, UserId: 'bob' })), 'EntityNotFoundException');
      await wm.send(new DeleteUserCommand({ OrganizationId, UserId }));
      await wm.send(new DeleteUserCommand({ OrganizationId, UserId: UNKNOWN_USER }));
      await rejectsWithWorkMail(wm.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: UserId, Email: `bob3@${domain}` })), 'EntityStateException');
      await rejectsWithWorkMail(wm.send(new UpdateUserCommand({ OrganizationId, UserId, DisplayName: 'x' })), 'EntityStateException');
      const again = await wm.send(new CreateUserCommand({ OrganizationId, Name: 'bob', DisplayName: 'New Bob' }));
      assert.notEqual(again.UserId, UserId, 'a deleted user frees its name');
    });

    test('UpdateUser sets and clears attributes; ResetPassword enforces the policy', async () => {
      const { UserId } = await wm.send(new CreateUserCommand({ OrganizationId, Name: 'dave', DisplayName: 'Dave', FirstName: 'Dave' }));
      await wm.send(
        new UpdateUserCommand({
          OrganizationId,
          UserId,
          DisplayName: 'David Bowman',
          FirstName: '',
          LastName: 'Bowman',
          Initials: 'DB',
          Telephone: '+1 555 0100',
          Street: '1 Discovery Way',
          JobTitle: 'Commander',
          City: 'Houston',
          Company: 'USAF',
          ZipCode: '77058',
          Department: 'Flight',
          Country: 'US',
          Office: 'Pod bay',
          HiddenFromGlobalAddressList: true,
          Role: 'REMOTE_USER',
        }),
      );
      const dave = await wm.send(new DescribeUserCommand({ OrganizationId, UserId }));
      assert.equal(dave.DisplayName, 'David Bowman');
      assert.equal(dave.FirstName, undefined, 'an empty string clears the attribute');
      assert.deepEqual(
        [dave.LastName, dave.Initials, dave.Telephone, dave.Street, dave.JobTitle, dave.City, dave.Company, dave.ZipCode, dave.Department, dave.Country, dave.Office],
        ['Bowman', 'DB', '+1 555 0100', '1 Discovery Way', 'Commander', 'Houston', 'USAF', '77058', 'Flight', 'US', 'Pod bay'],
      );
      assert.equal(dave.HiddenFromGlobalAddressList, true);
      assert.equal(dave.UserRole, 'REMOTE_USER');
      await wm.send(new UpdateUserCommand({ OrganizationId, UserId, City: 'Jupiter' }));
      const moved = await wm.send(new DescribeUserCommand({ OrganizationId, UserId }));
      assert.equal(moved.City, 'Jupiter');
      assert.equal(moved.Office, 'Pod bay', 'members not given are left as they are');
      await rejectsWithWorkMail(wm.send(new UpdateUserCommand({ OrganizationId, UserId, Role: 'RESOURCE' })), 'InvalidParameterException');
      await rejectsWithWorkMail(wm.send(new UpdateUserCommand({ OrganizationId, UserId: UNKNOWN_USER, City: 'x' })), 'EntityNotFoundException');

      await rejectsWithWorkMail(wm.send(new ResetPasswordCommand({ OrganizationId, UserId: UserId!, Password: 'password' })), 'InvalidPasswordException');
      assert.equal(await storedHash(UserId!), null);
      await wm.send(new ResetPasswordCommand({ OrganizationId, UserId: UserId!, Password: 'Open-the-pod-bay-d00rs' }));
      assert.ok(await verifyPassword('Open-the-pod-bay-d00rs', (await storedHash(UserId!))!));
      await rejectsWithWorkMail(wm.send(new ResetPasswordCommand({ OrganizationId, UserId: UNKNOWN_USER, Password: PASSWORD })), 'EntityNotFoundException');
    });

    test('ListUsers pages with MaxResults/NextToken and filters by name, display name, email, state and identity provider id', async () => {
      const org = (await wm.send(new CreateOrganizationCommand({ Alias: 'list-org' }))).OrganizationId!;
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) {
        const idp = i === 7 ? { IdentityProviderUserId: 'abcdef01-2345-6789-abcd-ef0123456789' } : {};
        const { UserId } = await wm.send(new CreateUserCommand({ OrganizationId: org, Name: `page-${i}`, DisplayName: `Person ${i}`, ...idp }));
        ids.push(UserId!);
      }
      for (const i of [3, 13]) await wm.send(new RegisterToWorkMailCommand({ OrganizationId: org, EntityId: ids[i], Email: `page-${i}@list-org.godwit.localhost` }));

      const pages: User[][] = [];
      for await (const page of paginateListUsers({ client: wm, pageSize: 10 }, { OrganizationId: org })) pages.push(page.Users!);
      assert.deepEqual(pages.map((page) => page.length), [10, 10, 5]);
      const listed = pages.flat();
      assert.deepEqual(new Set(listed.map((user) => user.Id)), new Set(ids), 'every user exactly once');
      assert.equal(listed.length, 25);
      const three = listed.find((user) => user.Id === ids[3])!;
      assert.equal(three.Name, 'page-3');
      assert.equal(three.DisplayName, 'Person 3');
      assert.equal(three.Email, 'page-3@list-org.godwit.localhost');
      assert.equal(three.State, 'ENABLED');
      assert.equal(three.UserRole, 'USER');
      assert.ok(three.EnabledDate instanceof Date);

      const names = async (Filters: object) =>
        ((await wm.send(new ListUsersCommand({ OrganizationId: org, Filters }))).Users ?? []).map((user) => user.Name).sort();
      assert.deepEqual(await names({ UsernamePrefix: 'PAGE-2' }), ['page-2', 'page-20', 'page-21', 'page-22', 'page-23', 'page-24']);
      assert.deepEqual(await names({ DisplayNamePrefix: 'person 1' }), ['page-1', ...Array.from({ length: 10 }, (_, i) => `page-1${i}`)].sort());
      assert.deepEqual(await names({ State: 'ENABLED' }), ['page-13', 'page-3']);
      assert.deepEqual(await names({ PrimaryEmailPrefix: 'page-1' }), ['page-13']);
      assert.deepEqual(await names({ IdentityProviderUserIdPrefix: 'ABCDEF01' }), ['page-7']);
      assert.deepEqual(await names({ UsernamePrefix: 'page_' }), [], "'_' is a character, not a wildcard");
      const second = await wm.send(new ListUsersCommand({ OrganizationId: org, MaxResults: 3, Filters: { UsernamePrefix: 'page-2' } }));
      const rest = await wm.send(new ListUsersCommand({ OrganizationId: org, MaxResults: 3, NextToken: second.NextToken, Filters: { UsernamePrefix: 'page-2' } }));
      assert.equal(rest.NextToken, undefined);
      assert.equal(second.Users!.length + rest.Users!.length, 6);
    });

    test('unknown and deleted organizations', async () => {
      await rejectsWithWorkMail(wm.send(new CreateUserCommand({ OrganizationId: UNKNOWN_ORG, Name: 'x', DisplayName: 'x' })), 'OrganizationNotFoundException');
      await rejectsWithWorkMail(wm.send(new ListUsersCommand({ OrganizationId: UNKNOWN_ORG })), 'OrganizationNotFoundException');
      await rejectsWithWorkMail(wm.send(new DescribeEntityCommand({ OrganizationId: UNKNOWN_ORG, Email: `x@${domain}` })), 'OrganizationNotFoundException');
      const gone = (await wm.send(new CreateOrganizationCommand({ Alias: 'gone-org' }))).OrganizationId!;
      await wm.send(new DeleteOrganizationCommand({ OrganizationId: gone, DeleteDirectory: true }));
      await rejectsWithWorkMail(wm.send(new CreateUserCommand({ OrganizationId: gone, Name: 'x', DisplayName: 'x' })), 'OrganizationStateException');
      await rejectsWithWorkMail(wm.send(new DescribeUserCommand({ OrganizationId: UNKNOWN_ORG, UserId: UNKNOWN_USER })), 'OrganizationNotFoundException');
      await rejectsWithWorkMail(wm.send(new DescribeUserCommand({ OrganizationId, UserId: UNKNOWN_USER })), 'EntityNotFoundException');
      await rejectsWithWorkMail(wm.send(new DescribeEntityCommand({ OrganizationId, Email: `nobody@${domain}` })), 'EntityNotFoundException');
    });

    test('an IAM user with AmazonWorkMailReadOnlyAccess reads users but cannot create them', async () => {
      const iam = t.iam();
      await iam.send(new CreateIamUserCommand({ UserName: 'wm-reader' }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'wm-reader', PolicyArn: 'arn:aws:iam::aws:policy/AmazonWorkMailReadOnlyAccess' }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'wm-reader' }))).AccessKey!;
      const reader = t.workmail({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });

      const listed = await reader.send(new ListUsersCommand({ OrganizationId, Filters: { UsernamePrefix: 'alice' } }));
      assert.deepEqual(listed.Users!.map((user) => user.Name), ['alice']);
      assert.equal((await reader.send(new DescribeUserCommand({ OrganizationId, UserId: 'alice' }))).Name, 'alice');
      await rejectsWithWorkMail(
        reader.send(new CreateUserCommand({ OrganizationId, Name: 'intruder', DisplayName: 'Intruder' })),
        'AccessDeniedException',
        `User: arn:aws:iam::${t.admin.accountId}:user/wm-reader is not authorized to perform: workmail:CreateUser on resource: ` +
          `arn:aws:workmail:${t.region}:${t.admin.accountId}:organization/${OrganizationId} because no identity-based policy allows the workmail:CreateUser action`,
        403,
      );
    });
  });
}
