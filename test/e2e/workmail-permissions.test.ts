import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateGroupCommand,
  CreateOrganizationCommand,
  CreateResourceCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteMailboxPermissionsCommand,
  DeleteOrganizationCommand,
  ListMailboxPermissionsCommand,
  PutMailboxPermissionsCommand,
  RegisterToWorkMailCommand,
  paginateListMailboxPermissions,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWithWorkMail } from '../helpers/assertions.ts';

interface Org {
  id: string;
  domain: string;
}

async function organization(wm: WorkMailClient, alias: string): Promise<Org> {
  const { OrganizationId } = await wm.send(new CreateOrganizationCommand({ Alias: alias }));
  return { id: OrganizationId!, domain: `${alias}.godwit.localhost` };
}

/** A user, or with `registered` false one that is not registered to WorkMail (DISABLED). */
async function user(wm: WorkMailClient, org: Org, name: string, registered = true): Promise<string> {
  const { UserId } = await wm.send(new CreateUserCommand({ OrganizationId: org.id, Name: name, DisplayName: name }));
  if (registered) await wm.send(new RegisterToWorkMailCommand({ OrganizationId: org.id, EntityId: UserId, Email: `${name}@${org.domain}` }));
  return UserId!;
}

async function group(wm: WorkMailClient, org: Org, name: string): Promise<string> {
  const { GroupId } = await wm.send(new CreateGroupCommand({ OrganizationId: org.id, Name: name }));
  await wm.send(new RegisterToWorkMailCommand({ OrganizationId: org.id, EntityId: GroupId, Email: `${name}@${org.domain}` }));
  return GroupId!;
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`WorkMail mailbox permissions through @aws-sdk/client-workmail (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let wm: WorkMailClient;
    let org: Org;
    let alice: string;
    let bob: string;
    let team: string;
    before(async () => {
      t = await startTestServer({ engine });
      wm = t.workmail();
      org = await organization(wm, 'perms');
      alice = await user(wm, org, 'alice');
      bob = await user(wm, org, 'bob');
      team = await group(wm, org, 'team');
    });
    after(() => t.stop());

    const list = async (entityId: string) => (await wm.send(new ListMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: entityId }))).Permissions;

    test('grant to a user and a group, replace, list and revoke', async () => {
      assert.deepEqual(await list(alice), [], 'a mailbox starts with no grants');
      await wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: alice, GranteeId: bob, PermissionValues: ['SEND_AS', 'FULL_ACCESS'] }));
      // Grantee named by email address, mailbox by user name: WorkMail accepts either.
      await wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: 'alice', GranteeId: `team@${org.domain}`, PermissionValues: ['SEND_ON_BEHALF'] }));
      const granted = await list(alice);
      assert.deepEqual(
        [...granted!].sort((a, b) => a.GranteeId!.localeCompare(b.GranteeId!)),
        [
          { GranteeId: bob, GranteeType: 'USER', PermissionValues: ['FULL_ACCESS', 'SEND_AS'] },
          { GranteeId: team, GranteeType: 'GROUP', PermissionValues: ['SEND_ON_BEHALF'] },
        ].sort((a, b) => a.GranteeId.localeCompare(b.GranteeId)),
      );
      assert.deepEqual(await list(bob), [], 'grants are per mailbox');

      await wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: alice, GranteeId: bob, PermissionValues: ['SEND_ON_BEHALF'] }));
      assert.deepEqual(
        (await list(alice))!.find((p) => p.GranteeId === bob)?.PermissionValues,
        ['SEND_ON_BEHALF'],
        'a put replaces what the grantee held',
      );

      await wm.send(new DeleteMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: alice, GranteeId: bob }));
      await wm.send(new DeleteMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: alice, GranteeId: bob }));
      assert.deepEqual((await list(alice))!.map((p) => p.GranteeId), [team], 'delete removes the grant and is idempotent');
      await wm.send(new DeleteMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: alice, GranteeId: team }));
      assert.deepEqual(await list(alice), []);
    });

    test('a resource has a mailbox too; ListMailboxPermissions pages with NextToken', async () => {
      const { ResourceId } = await wm.send(new CreateResourceCommand({ OrganizationId: org.id, Name: 'room1', Type: 'ROOM' }));
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: org.id, EntityId: ResourceId, Email: `room1@${org.domain}` }));
      const grantees = [bob, alice, team];
      for (const grantee of grantees) {
        await wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: ResourceId, GranteeId: grantee, PermissionValues: ['FULL_ACCESS'] }));
      }
      const seen: string[] = [];
      for await (const page of paginateListMailboxPermissions({ client: wm, pageSize: 2 }, { OrganizationId: org.id, EntityId: ResourceId })) {
        assert.ok(page.Permissions!.length <= 2);
        seen.push(...page.Permissions!.map((p) => p.GranteeId!));
      }
      assert.deepEqual([...seen].sort(), [...grantees].sort());
    });

    test('a group\'s mailbox takes grants too, named by id, name or address; grantees are users and groups', async () => {
      const sales = await group(wm, org, 'sales');
      assert.deepEqual(await list(sales), [], 'a group starts with no grants');
      await wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: sales, GranteeId: alice, PermissionValues: ['SEND_AS'] }));
      await wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: 'sales', GranteeId: 'team', PermissionValues: ['SEND_ON_BEHALF', 'SEND_AS'] }));
      const byGrantee = <T extends { GranteeId?: string }>(permissions: T[] | undefined) => [...permissions!].sort((a, b) => a.GranteeId!.localeCompare(b.GranteeId!));
      assert.deepEqual(
        byGrantee(await list(`sales@${org.domain}`)),
        byGrantee([
          { GranteeId: alice, GranteeType: 'USER', PermissionValues: ['SEND_AS'] },
          { GranteeId: team, GranteeType: 'GROUP', PermissionValues: ['SEND_AS', 'SEND_ON_BEHALF'] },
        ]),
      );

      const { ResourceId } = await wm.send(new CreateResourceCommand({ OrganizationId: org.id, Name: 'van', Type: 'EQUIPMENT' }));
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: org.id, EntityId: ResourceId, Email: `van@${org.domain}` }));
      await rejectsWithWorkMail(
        wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: sales, GranteeId: ResourceId, PermissionValues: ['SEND_AS'] })),
        'InvalidParameterException',
        /users and groups only/,
      );
      const { GroupId: unregistered } = await wm.send(new CreateGroupCommand({ OrganizationId: org.id, Name: 'drafts' }));
      await rejectsWithWorkMail(
        wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: unregistered, GranteeId: alice, PermissionValues: ['SEND_AS'] })),
        'EntityStateException',
      );

      await wm.send(new DeleteMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: sales, GranteeId: alice }));
      assert.deepEqual((await list(sales))!.map((p) => p.GranteeId), [team]);
      await wm.send(new DeleteGroupCommand({ OrganizationId: org.id, GroupId: sales }));
      await rejectsWithWorkMail(wm.send(new ListMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: sales })), 'EntityNotFoundException');
      const again = await group(wm, org, 'sales');
      assert.deepEqual(await list(again), [], 'a new group of the same name inherits no grants');
    });

    test('errors: unknown entities, disabled entities, bad values, organization state', async () => {
      await rejectsWithWorkMail(
        wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: 'nobody', GranteeId: bob, PermissionValues: ['FULL_ACCESS'] })),
        'EntityNotFoundException',
      );
      await rejectsWithWorkMail(
        wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: alice, GranteeId: 'nobody', PermissionValues: ['FULL_ACCESS'] })),
        'EntityNotFoundException',
      );
      await rejectsWithWorkMail(wm.send(new DeleteMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: alice, GranteeId: 'nobody' })), 'EntityNotFoundException');

      const carol = await user(wm, org, 'carol', false);
      await rejectsWithWorkMail(
        wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: carol, GranteeId: bob, PermissionValues: ['FULL_ACCESS'] })),
        'EntityStateException',
      );
      await rejectsWithWorkMail(
        wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: alice, GranteeId: carol, PermissionValues: ['FULL_ACCESS'] })),
        'EntityStateException',
      );

      await rejectsWithWorkMail(
        wm.send(new PutMailboxPermissionsCommand({ OrganizationId: org.id, EntityId: alice, GranteeId: bob, PermissionValues: ['READ' as 'FULL_ACCESS'] })),
        'InvalidParameterException',
      );
      await rejectsWithWorkMail(
        wm.send(new ListMailboxPermissionsCommand({ OrganizationId: 'm-' + '0'.repeat(32), EntityId: alice })),
        'OrganizationNotFoundException',
      );
      const gone = await organization(wm, 'perms-gone');
      await wm.send(new DeleteOrganizationCommand({ OrganizationId: gone.id, DeleteDirectory: true }));
      await rejectsWithWorkMail(wm.send(new ListMailboxPermissionsCommand({ OrganizationId: gone.id, EntityId: alice })), 'OrganizationStateException');
    });
  });
}
