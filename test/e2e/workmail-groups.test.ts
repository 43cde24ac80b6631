import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateMemberToGroupCommand,
  CreateAliasCommand,
  CreateGroupCommand,
  CreateOrganizationCommand,
  CreateResourceCommand,
  CreateUserCommand,
  DeleteAliasCommand,
  DeleteGroupCommand,
  DeleteOrganizationCommand,
  DeleteUserCommand,
  DescribeGroupCommand,
  DisassociateMemberFromGroupCommand,
  ListAliasesCommand,
  ListGroupMembersCommand,
  ListGroupsCommand,
  ListGroupsForEntityCommand,
  RegisterToWorkMailCommand,
  UpdateGroupCommand,
  paginateListAliases,
  paginateListGroupMembers,
  paginateListGroups,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWithWorkMail } from '../helpers/assertions.ts';

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`WorkMail groups and aliases through @aws-sdk/client-workmail (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let wm: WorkMailClient;
    let orgId: string;
    let domain: string;
    const group = async (name: string, hidden?: boolean) =>
      (await wm.send(new CreateGroupCommand({ OrganizationId: orgId, Name: name, HiddenFromGlobalAddressList: hidden }))).GroupId!;
    const user = async (name: string) => (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: name, DisplayName: name }))).UserId!;
    const members = async (groupId: string) =>
      (await wm.send(new ListGroupMembersCommand({ OrganizationId: orgId, GroupId: groupId }))).Members!.map((m) => [m.Id, m.Type, m.Name, m.State]).sort();
    const groupsOf = async (entityId: string, prefix?: string) =>
      (await wm.send(new ListGroupsForEntityCommand({ OrganizationId: orgId, EntityId: entityId, Filters: prefix ? { GroupNamePrefix: prefix } : undefined })))
        .Groups!.map((g) => g.GroupName)
        .sort();

    before(async () => {
      t = await startTestServer({ engine });
      wm = t.workmail();
      orgId = (await wm.send(new CreateOrganizationCommand({ Alias: 'groups-org' }))).OrganizationId!;
      domain = 'groups-org.godwit.localhost';
    });
    after(() => t.stop());

    test('create, describe, update, list and delete a group', async () => {
      const id = await group('Sales-Team');
      assert.match(id, /^[0-9a-f-]{36}$/);
      const described = await wm.send(new DescribeGroupCommand({ OrganizationId: orgId, GroupId: id }));
      assert.equal(described.GroupId, id);
      assert.equal(described.Name, 'Sales-Team');
      assert.equal(described.State, 'DISABLED', 'a group is disabled until registered to WorkMail');
      assert.equal(described.HiddenFromGlobalAddressList, false);
      assert.equal(described.Email, undefined);
      assert.equal(described.EnabledDate, undefined);

      await rejectsWithWorkMail(group('sales-team'), 'NameAvailabilityException', /not available/);
      await user('sharedname');
      await rejectsWithWorkMail(group('SharedName'), 'NameAvailabilityException', /not available/);
      await rejectsWithWorkMail(group('Administrator'), 'ReservedNameException');

      await wm.send(new UpdateGroupCommand({ OrganizationId: orgId, GroupId: id, HiddenFromGlobalAddressList: true }));
      const byName = await wm.send(new DescribeGroupCommand({ OrganizationId: orgId, GroupId: 'sales-team' }));
      assert.equal(byName.GroupId, id, 'a group is found by its name too');
      assert.equal(byName.HiddenFromGlobalAddressList, true);

      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: id, Email: `sales@${domain}` }));
      const enabled = await wm.send(new DescribeGroupCommand({ OrganizationId: orgId, GroupId: `sales@${domain}` }));
      assert.equal(enabled.State, 'ENABLED');
      assert.equal(enabled.Email, `sales@${domain}`);
      assert.ok(enabled.EnabledDate instanceof Date);

      const byEmail = await wm.send(new ListGroupsCommand({ OrganizationId: orgId, Filters: { PrimaryEmailPrefix: 'SALES@' } }));
      assert.deepEqual(byEmail.Groups!.map((g) => [g.Id, g.Email, g.State]), [[id, `sales@${domain}`, 'ENABLED']]);

      await wm.send(new DeleteGroupCommand({ OrganizationId: orgId, GroupId: id }));
      const deleted = await wm.send(new DescribeGroupCommand({ OrganizationId: orgId, GroupId: id }));
      assert.equal(deleted.State, 'DELETED', 'WorkMail still describes a deleted group by id');
      assert.equal(deleted.Email, undefined);
      assert.ok(deleted.DisabledDate instanceof Date, 'deleting an enabled group deregisters it');
      await rejectsWithWorkMail(wm.send(new DescribeGroupCommand({ OrganizationId: orgId, GroupId: 'Sales-Team' })), 'EntityNotFoundException');
      await rejectsWithWorkMail(wm.send(new UpdateGroupCommand({ OrganizationId: orgId, GroupId: id, HiddenFromGlobalAddressList: false })), 'EntityStateException');
      const listedDeleted = await wm.send(new ListGroupsCommand({ OrganizationId: orgId, Filters: { State: 'DELETED' } }));
      assert.deepEqual(listedDeleted.Groups!.map((g) => [g.Id, g.Name]), [[id, 'Sales-Team']]);

      await wm.send(new DeleteGroupCommand({ OrganizationId: orgId, GroupId: id }));
      await wm.send(new DeleteGroupCommand({ OrganizationId: orgId, GroupId: '00000000-0000-0000-0000-000000000000' }));

      const again = await group('Sales-Team');
      assert.notEqual(again, id, 'a deleted group frees its name');
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: again, Email: `sales@${domain}` }));
      assert.equal((await wm.send(new DescribeGroupCommand({ OrganizationId: orgId, GroupId: again }))).Email, `sales@${domain}`, 'and its address');

      await rejectsWithWorkMail(wm.send(new DescribeGroupCommand({ OrganizationId: orgId, GroupId: 'no-such-group' })), 'EntityNotFoundException');
      await rejectsWithWorkMail(wm.send(new UpdateGroupCommand({ OrganizationId: orgId, GroupId: 'no-such-group' })), 'EntityNotFoundException');
      const userId = await user('not-a-group');
      await rejectsWithWorkMail(wm.send(new DescribeGroupCommand({ OrganizationId: orgId, GroupId: userId })), 'EntityNotFoundException', /group/);
    });

    test('ListGroups filters by name prefix and state and pages with NextToken', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await group(`paged_${i}`));
      await group('other-list');
      const pages = await collect(paginateListGroups({ client: wm, pageSize: 2 }, { OrganizationId: orgId, Filters: { NamePrefix: 'PAGED_' } }));
      assert.equal(pages.length, 3);
      const listed = pages.flatMap((page) => page.Groups!);
      assert.deepEqual(listed.map((g) => g.Id).sort(), [...ids].sort());
      assert.ok(listed.every((g) => g.State === 'DISABLED' && g.Name!.startsWith('paged_')));
      const disabled = await wm.send(new ListGroupsCommand({ OrganizationId: orgId, Filters: { State: 'DISABLED', NamePrefix: 'other' } }));
      assert.deepEqual(disabled.Groups!.map((g) => g.Name), ['other-list']);
      const literal = await wm.send(new ListGroupsCommand({ OrganizationId: orgId, Filters: { NamePrefix: 'paged%' } }));
      assert.deepEqual(literal.Groups, [], 'a prefix is compared literally, not as a LIKE pattern');
      await rejectsWithWorkMail(wm.send(new ListGroupsCommand({ OrganizationId: orgId, NextToken: 'garbage' })), 'InvalidParameterException');
    });

    test('members: users and nested groups, no cycles, listed both ways', async () => {
      const alice = await user('alice');
      const bob = await user('bob');
      const outer = await group('outer');
      const middle = await group('middle');
      const inner = await group('inner');
      await wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: outer, MemberId: alice }));
      await wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: outer, MemberId: 'alice' }));
      await wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: outer, MemberId: middle }));
      await wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: middle, MemberId: inner }));
      await wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: middle, MemberId: bob }));
      assert.deepEqual(
        await members(outer),
        [
          [alice, 'USER', 'alice', 'DISABLED'],
          [middle, 'GROUP', 'middle', 'DISABLED'],
        ].sort(),
        'adding a member twice lists it once',
      );
      assert.deepEqual(await groupsOf(alice), ['outer']);
      assert.deepEqual(await groupsOf(inner), ['middle']);
      assert.deepEqual(await groupsOf(middle, 'OUT'), ['outer']);
      assert.deepEqual(await groupsOf(middle, 'nope'), []);

      await rejectsWithWorkMail(wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: outer, MemberId: outer })), 'InvalidParameterException', /itself/);
      await rejectsWithWorkMail(wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: middle, MemberId: outer })), 'InvalidParameterException', /cycle/);
      await rejectsWithWorkMail(wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: inner, MemberId: outer })), 'InvalidParameterException', /cycle/);
      const room = (await wm.send(new CreateResourceCommand({ OrganizationId: orgId, Name: 'room-1', Type: 'ROOM' }))).ResourceId!;
      await rejectsWithWorkMail(wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: outer, MemberId: room })), 'InvalidParameterException', /resource/);
      await rejectsWithWorkMail(wm.send(new ListGroupsForEntityCommand({ OrganizationId: orgId, EntityId: room })), 'InvalidParameterException');
      await rejectsWithWorkMail(wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: outer, MemberId: 'nobody' })), 'EntityNotFoundException');
      await rejectsWithWorkMail(wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: 'nogroup', MemberId: alice })), 'EntityNotFoundException');
      await rejectsWithWorkMail(wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: alice, MemberId: bob })), 'EntityNotFoundException', /group/);
      await rejectsWithWorkMail(wm.send(new ListGroupMembersCommand({ OrganizationId: orgId, GroupId: 'nogroup' })), 'EntityNotFoundException');
      await rejectsWithWorkMail(wm.send(new ListGroupsForEntityCommand({ OrganizationId: orgId, EntityId: 'nobody' })), 'EntityNotFoundException');

      await wm.send(new DisassociateMemberFromGroupCommand({ OrganizationId: orgId, GroupId: outer, MemberId: alice }));
      assert.deepEqual(await members(outer), [[middle, 'GROUP', 'middle', 'DISABLED']]);
      assert.deepEqual(await groupsOf(alice), []);
      await rejectsWithWorkMail(wm.send(new DisassociateMemberFromGroupCommand({ OrganizationId: orgId, GroupId: outer, MemberId: alice })), 'EntityNotFoundException', /not a member/);
      await rejectsWithWorkMail(wm.send(new DisassociateMemberFromGroupCommand({ OrganizationId: orgId, GroupId: outer, MemberId: 'nobody' })), 'EntityNotFoundException');

      // Deleting a group or a user takes them out of every group, and out of their own members' lists.
      await wm.send(new DeleteGroupCommand({ OrganizationId: orgId, GroupId: middle }));
      assert.deepEqual(await members(outer), []);
      assert.deepEqual(await groupsOf(inner), []);
      assert.deepEqual(await groupsOf(bob), []);
      await rejectsWithWorkMail(wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: middle, MemberId: bob })), 'EntityStateException');
      await rejectsWithWorkMail(wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: outer, MemberId: middle })), 'EntityStateException');
      await rejectsWithWorkMail(wm.send(new ListGroupMembersCommand({ OrganizationId: orgId, GroupId: middle })), 'EntityStateException');
      await rejectsWithWorkMail(wm.send(new DisassociateMemberFromGroupCommand({ OrganizationId: orgId, GroupId: middle, MemberId: bob })), 'EntityStateException');
      await wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: inner, MemberId: bob }));
      await wm.send(new DeleteUserCommand({ OrganizationId: orgId, UserId: bob }));
      assert.deepEqual(await members(inner), []);
      await rejectsWithWorkMail(wm.send(new ListGroupsForEntityCommand({ OrganizationId: orgId, EntityId: bob })), 'EntityStateException');
    });

    test('ListGroupMembers pages with NextToken', async () => {
      const big = await group('big-group');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = await user(`member-${i}`);
        ids.push(id);
        await wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: big, MemberId: id }));
      }
      const pages = await collect(paginateListGroupMembers({ client: wm, pageSize: 2 }, { OrganizationId: orgId, GroupId: big }));
      assert.equal(pages.length, 3);
      assert.deepEqual(pages.flatMap((page) => page.Members!.map((m) => m.Id)).sort(), ids.sort());
    });

    test('aliases: on the organization\'s domains, used once, at most 100, the primary kept apart', async () => {
      const team = await group('alias-team');
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: team, Email: `team@${domain}` }));
      await wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: team, Alias: `Crew@${domain}` }));
      await wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: team, Alias: `band@${domain}` }));
      assert.deepEqual((await wm.send(new ListAliasesCommand({ OrganizationId: orgId, EntityId: team }))).Aliases, [`band@${domain}`, `crew@${domain}`]);
      assert.equal((await wm.send(new DescribeGroupCommand({ OrganizationId: orgId, GroupId: `crew@${domain}` }))).GroupId, team, 'an alias finds its entity');

      const carol = await user('carol');
      await wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: carol, Alias: `carol.alias@${domain}` }));
      assert.deepEqual((await wm.send(new ListAliasesCommand({ OrganizationId: orgId, EntityId: carol }))).Aliases, [`carol.alias@${domain}`]);
      await rejectsWithWorkMail(wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: carol, Alias: `CREW@${domain}` })), 'EmailAddressInUseException');
      await rejectsWithWorkMail(wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: carol, Alias: `team@${domain}` })), 'EmailAddressInUseException');
      await rejectsWithWorkMail(wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: team, Alias: `team@${domain}` })), 'EmailAddressInUseException');
      await rejectsWithWorkMail(wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: team, Alias: `band@${domain}` })), 'EmailAddressInUseException');
      await rejectsWithWorkMail(wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: team, Alias: 'x@not-ours.example.com' })), 'MailDomainNotFoundException');
      await rejectsWithWorkMail(wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: 'no-such-entity', Alias: `y@${domain}` })), 'EntityNotFoundException');
      await rejectsWithWorkMail(wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: team, Alias: 'not an address' })), 'InvalidParameterException', /alias/);

      await rejectsWithWorkMail(wm.send(new DeleteAliasCommand({ OrganizationId: orgId, EntityId: team, Alias: `team@${domain}` })), 'InvalidParameterException', /primary/);
      await wm.send(new DeleteAliasCommand({ OrganizationId: orgId, EntityId: team, Alias: `ghost@${domain}` }));
      await wm.send(new DeleteAliasCommand({ OrganizationId: orgId, EntityId: team, Alias: `carol.alias@${domain}` }));
      assert.deepEqual((await wm.send(new ListAliasesCommand({ OrganizationId: orgId, EntityId: carol }))).Aliases, [`carol.alias@${domain}`], 'another entity\'s alias is left alone');
      await wm.send(new DeleteAliasCommand({ OrganizationId: orgId, EntityId: team, Alias: `CREW@${domain}` }));
      assert.deepEqual((await wm.send(new ListAliasesCommand({ OrganizationId: orgId, EntityId: team }))).Aliases, [`band@${domain}`]);
      await wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: carol, Alias: `crew@${domain}` }));

      // 100 aliases at most: fill up to the limit directly, then ask for one more.
      const db = t.server.store.db;
      const existing = (await wm.send(new ListAliasesCommand({ OrganizationId: orgId, EntityId: carol }))).Aliases!.length;
      const rows = Array.from({ length: 100 - existing }, (_, i) => ({
        email_lower: `bulk-${i}@${domain}`,
        email: `bulk-${i}@${domain}`,
        org_id: orgId,
        entity_id: carol,
        is_primary: 0,
      }));
      await db.insertInto('wm_emails').values(rows).execute();
      await rejectsWithWorkMail(wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: carol, Alias: `one-more@${domain}` })), 'LimitExceededException');
      const pages = await collect(paginateListAliases({ client: wm, pageSize: 40 }, { OrganizationId: orgId, EntityId: carol }));
      assert.equal(pages.length, 3);
      const all = pages.flatMap((page) => page.Aliases!);
      assert.equal(all.length, 100);
      assert.equal(new Set(all).size, 100);
      await wm.send(new DeleteAliasCommand({ OrganizationId: orgId, EntityId: carol, Alias: `bulk-0@${domain}` }));
      await wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: carol, Alias: `one-more@${domain}` }));

      // A deleted entity can no longer take aliases, and its own are free again.
      await wm.send(new DeleteUserCommand({ OrganizationId: orgId, UserId: carol }));
      await rejectsWithWorkMail(wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: carol, Alias: `late@${domain}` })), 'EntityStateException');
      await rejectsWithWorkMail(wm.send(new ListAliasesCommand({ OrganizationId: orgId, EntityId: carol })), 'EntityStateException');
      await rejectsWithWorkMail(wm.send(new DeleteAliasCommand({ OrganizationId: orgId, EntityId: carol, Alias: `crew@${domain}` })), 'EntityStateException');
      await wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: team, Alias: `crew@${domain}` }));
    });

    test('every group and alias call needs an Active organization of the caller', async () => {
      const missing = 'm-' + '0'.repeat(32);
      await rejectsWithWorkMail(wm.send(new CreateGroupCommand({ OrganizationId: missing, Name: 'x' })), 'OrganizationNotFoundException');
      await rejectsWithWorkMail(wm.send(new ListGroupsCommand({ OrganizationId: missing })), 'OrganizationNotFoundException');
      await rejectsWithWorkMail(wm.send(new ListAliasesCommand({ OrganizationId: missing, EntityId: '000000000000' })), 'OrganizationNotFoundException');
      const gone = (await wm.send(new CreateOrganizationCommand({ Alias: 'groups-gone' }))).OrganizationId!;
      const groupId = (await wm.send(new CreateGroupCommand({ OrganizationId: gone, Name: 'g' }))).GroupId!;
      await wm.send(new DeleteOrganizationCommand({ OrganizationId: gone, DeleteDirectory: true }));
      await rejectsWithWorkMail(wm.send(new DescribeGroupCommand({ OrganizationId: gone, GroupId: groupId })), 'OrganizationStateException');
      await rejectsWithWorkMail(wm.send(new AssociateMemberToGroupCommand({ OrganizationId: gone, GroupId: groupId, MemberId: groupId })), 'OrganizationStateException');
      await rejectsWithWorkMail(wm.send(new CreateAliasCommand({ OrganizationId: gone, EntityId: groupId, Alias: 'a@groups-gone.godwit.localhost' })), 'OrganizationStateException');
      await rejectsWithWorkMail(wm.send(new CreateGroupCommand({ OrganizationId: orgId, Name: 'x'.repeat(257) })), 'InvalidParameterException', /name/i);
    });
  });
}
