import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateDelegateToResourceCommand,
  CreateGroupCommand,
  CreateOrganizationCommand,
  CreateResourceCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteOrganizationCommand,
  DeleteResourceCommand,
  DescribeResourceCommand,
  DisassociateDelegateFromResourceCommand,
  ListResourceDelegatesCommand,
  ListResourcesCommand,
  RegisterToWorkMailCommand,
  UpdateResourceCommand,
  paginateListResourceDelegates,
  paginateListResources,
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
  describe(`WorkMail resources and delegates through @aws-sdk/client-workmail (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let wm: WorkMailClient;
    let orgId: string;
    const domain = 'rooms-org.godwit.localhost';
    const resource = async (name: string, type: 'ROOM' | 'EQUIPMENT' = 'ROOM', description?: string) =>
      (await wm.send(new CreateResourceCommand({ OrganizationId: orgId, Name: name, Type: type, Description: description }))).ResourceId!;
    const describeResource = (id: string) => wm.send(new DescribeResourceCommand({ OrganizationId: orgId, ResourceId: id }));
    const delegates = async (id: string) =>
      (await wm.send(new ListResourceDelegatesCommand({ OrganizationId: orgId, ResourceId: id }))).Delegates!.map((d) => [d.Id, d.Type]).sort();

    before(async () => {
      t = await startTestServer({ engine });
      wm = t.workmail();
      orgId = (await wm.send(new CreateOrganizationCommand({ Alias: 'rooms-org' }))).OrganizationId!;
    });
    after(() => t.stop());

    test('create, describe, update and delete a resource', async () => {
      const id = await resource('Board-Room', 'ROOM', 'Third floor, 12 seats');
      assert.match(id, /^r-[0-9a-f]{32}$/);
      const described = await describeResource(id);
      assert.equal(described.ResourceId, id);
      assert.equal(described.Name, 'Board-Room');
      assert.equal(described.Type, 'ROOM');
      assert.equal(described.Description, 'Third floor, 12 seats');
      assert.equal(described.State, 'DISABLED', 'a resource is disabled until registered to WorkMail');
      assert.equal(described.HiddenFromGlobalAddressList, false);
      assert.equal(described.Email, undefined);
      assert.deepEqual(described.BookingOptions, { AutoAcceptRequests: true, AutoDeclineRecurringRequests: false, AutoDeclineConflictingRequests: true });
      assert.equal((await describeResource('board-room')).ResourceId, id, 'a resource is found by its name too');

      await rejectsWithWorkMail(resource('BOARD-ROOM'), 'NameAvailabilityException', /not available/);
      await wm.send(new CreateGroupCommand({ OrganizationId: orgId, Name: 'taken-by-group' }));
      await rejectsWithWorkMail(resource('taken-by-group'), 'NameAvailabilityException');
      await rejectsWithWorkMail(resource('guest'), 'ReservedNameException');
      await rejectsWithWorkMail(resource('x'.repeat(21)), 'InvalidParameterException', /name/i);

      await wm.send(
        new UpdateResourceCommand({
          OrganizationId: orgId,
          ResourceId: id,
          Name: 'Projector-1',
          Type: 'EQUIPMENT',
          BookingOptions: { AutoDeclineRecurringRequests: true },
          HiddenFromGlobalAddressList: true,
        }),
      );
      const updated = await describeResource(id);
      assert.equal(updated.Name, 'Projector-1');
      assert.equal(updated.Type, 'EQUIPMENT');
      assert.equal(updated.Description, 'Third floor, 12 seats', 'what the update does not name is kept');
      assert.equal(updated.HiddenFromGlobalAddressList, true);
      assert.deepEqual(updated.BookingOptions, { AutoAcceptRequests: true, AutoDeclineRecurringRequests: true, AutoDeclineConflictingRequests: true });
      await wm.send(new UpdateResourceCommand({ OrganizationId: orgId, ResourceId: id, Description: '', BookingOptions: { AutoAcceptRequests: false } }));
      const cleared = await describeResource(id);
      assert.equal(cleared.Description, undefined, 'an empty description removes it');
      assert.equal(cleared.BookingOptions!.AutoAcceptRequests, false);
      assert.equal(cleared.BookingOptions!.AutoDeclineRecurringRequests, true);
      await resource('Board-Room');
      await rejectsWithWorkMail(wm.send(new UpdateResourceCommand({ OrganizationId: orgId, ResourceId: id, Name: 'board-room' })), 'NameAvailabilityException');
      await wm.send(new UpdateResourceCommand({ OrganizationId: orgId, ResourceId: id, Name: 'PROJECTOR-1' }));
      assert.equal((await describeResource(id)).Name, 'PROJECTOR-1', 'a change of case keeps the name');

      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: id, Email: `projector@${domain}` }));
      const enabled = await describeResource(id);
      assert.equal(enabled.State, 'ENABLED');
      assert.equal(enabled.Email, `projector@${domain}`);

      await wm.send(new DeleteResourceCommand({ OrganizationId: orgId, ResourceId: id }));
      const deleted = await describeResource(id);
      assert.equal(deleted.State, 'DELETED', 'WorkMail still describes a deleted resource by id');
      assert.equal(deleted.Email, undefined);
      assert.ok(deleted.DisabledDate instanceof Date);
      await rejectsWithWorkMail(describeResource('projector-1'), 'EntityNotFoundException');
      await rejectsWithWorkMail(wm.send(new UpdateResourceCommand({ OrganizationId: orgId, ResourceId: id, Description: 'x' })), 'EntityStateException');
      await wm.send(new DeleteResourceCommand({ OrganizationId: orgId, ResourceId: id }));
      await wm.send(new DeleteResourceCommand({ OrganizationId: orgId, ResourceId: 'r-' + '0'.repeat(32) }));
      const reused = await resource('Projector-1', 'EQUIPMENT');
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: reused, Email: `projector@${domain}` }));
      assert.equal((await describeResource(`projector@${domain}`)).ResourceId, reused, 'a deleted resource frees its name and address');

      await rejectsWithWorkMail(describeResource('r-' + '1'.repeat(32)), 'EntityNotFoundException');
      await rejectsWithWorkMail(wm.send(new UpdateResourceCommand({ OrganizationId: orgId, ResourceId: 'nothing', Name: 'n' })), 'EntityNotFoundException');
      const user = (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: 'not-a-room', DisplayName: 'x' }))).UserId!;
      await rejectsWithWorkMail(describeResource(user), 'EntityNotFoundException', /resource/);
    });

    test('ListResources filters by name prefix, email prefix and state and pages with NextToken', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await resource(`cam_${i}`, 'EQUIPMENT', `camera ${i}`));
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: ids[0], Email: `camera-zero@${domain}` }));
      const pages = await collect(paginateListResources({ client: wm, pageSize: 2 }, { OrganizationId: orgId, Filters: { NamePrefix: 'CAM_' } }));
      assert.equal(pages.length, 3);
      const listed = pages.flatMap((page) => page.Resources!);
      assert.deepEqual(listed.map((r) => r.Id).sort(), [...ids].sort());
      const first = listed.find((r) => r.Id === ids[0])!;
      assert.deepEqual([first.Name, first.Type, first.Description, first.State, first.Email], ['cam_0', 'EQUIPMENT', 'camera 0', 'ENABLED', `camera-zero@${domain}`]);
      const byEmail = await wm.send(new ListResourcesCommand({ OrganizationId: orgId, Filters: { PrimaryEmailPrefix: 'camera-' } }));
      assert.deepEqual(byEmail.Resources!.map((r) => r.Id), [ids[0]]);
      const disabled = await wm.send(new ListResourcesCommand({ OrganizationId: orgId, Filters: { NamePrefix: 'cam_', State: 'DISABLED' } }));
      assert.equal(disabled.Resources!.length, 4);
      await wm.send(new DeleteResourceCommand({ OrganizationId: orgId, ResourceId: ids[1] }));
      const deleted = await wm.send(new ListResourcesCommand({ OrganizationId: orgId, Filters: { State: 'DELETED', NamePrefix: 'cam' } }));
      assert.deepEqual(deleted.Resources!.map((r) => [r.Id, r.Name]), [[ids[1], 'cam_1']]);
    });

    test('delegates: users and groups, listed, removed with the resource or the delegate', async () => {
      const room = await resource('delegated-room');
      const dana = (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: 'dana', DisplayName: 'Dana' }))).UserId!;
      const admins = (await wm.send(new CreateGroupCommand({ OrganizationId: orgId, Name: 'room-admins' }))).GroupId!;
      await wm.send(new AssociateDelegateToResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: dana }));
      await wm.send(new AssociateDelegateToResourceCommand({ OrganizationId: orgId, ResourceId: 'delegated-room', EntityId: 'room-admins' }));
      await wm.send(new AssociateDelegateToResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: dana }));
      assert.deepEqual(await delegates(room), [
        [admins, 'GROUP'],
        [dana, 'USER'],
      ].sort(), 'naming a delegate twice lists it once');

      const other = await resource('other-room');
      await rejectsWithWorkMail(wm.send(new AssociateDelegateToResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: other })), 'InvalidParameterException', /delegate/);
      await rejectsWithWorkMail(wm.send(new AssociateDelegateToResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: 'nobody' })), 'EntityNotFoundException');
      await rejectsWithWorkMail(wm.send(new AssociateDelegateToResourceCommand({ OrganizationId: orgId, ResourceId: 'no-room', EntityId: dana })), 'EntityNotFoundException');
      await rejectsWithWorkMail(wm.send(new AssociateDelegateToResourceCommand({ OrganizationId: orgId, ResourceId: dana, EntityId: admins })), 'EntityNotFoundException', /resource/);
      await rejectsWithWorkMail(wm.send(new ListResourceDelegatesCommand({ OrganizationId: orgId, ResourceId: 'no-room' })), 'EntityNotFoundException');

      await wm.send(new DisassociateDelegateFromResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: dana }));
      assert.deepEqual(await delegates(room), [[admins, 'GROUP']]);
      await rejectsWithWorkMail(wm.send(new DisassociateDelegateFromResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: dana })), 'EntityNotFoundException', /not a delegate/);
      await rejectsWithWorkMail(wm.send(new DisassociateDelegateFromResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: 'nobody' })), 'EntityNotFoundException');

      await wm.send(new DeleteGroupCommand({ OrganizationId: orgId, GroupId: admins }));
      assert.deepEqual(await delegates(room), [], 'a deleted group is no longer a delegate');
      await rejectsWithWorkMail(wm.send(new AssociateDelegateToResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: admins })), 'EntityStateException');

      await wm.send(new AssociateDelegateToResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: dana }));
      await wm.send(new DeleteResourceCommand({ OrganizationId: orgId, ResourceId: room }));
      await rejectsWithWorkMail(wm.send(new ListResourceDelegatesCommand({ OrganizationId: orgId, ResourceId: room })), 'EntityStateException');
      await rejectsWithWorkMail(wm.send(new AssociateDelegateToResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: dana })), 'EntityStateException');
      await rejectsWithWorkMail(wm.send(new DisassociateDelegateFromResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: dana })), 'EntityStateException');
      const left = await t.server.store.db.selectFrom('wm_resource_delegates').select('delegate_id').where('resource_id', '=', room).execute();
      assert.deepEqual(left, [], 'a deleted resource keeps no delegates');
    });

    test('ListResourceDelegates pages with NextToken', async () => {
      const room = await resource('busy-room');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: `booker-${i}`, DisplayName: 'b' }))).UserId!;
        ids.push(id);
        await wm.send(new AssociateDelegateToResourceCommand({ OrganizationId: orgId, ResourceId: room, EntityId: id }));
      }
      const pages = await collect(paginateListResourceDelegates({ client: wm, pageSize: 2 }, { OrganizationId: orgId, ResourceId: room }));
      assert.equal(pages.length, 3);
      assert.deepEqual(pages.flatMap((page) => page.Delegates!.map((d) => d.Id)).sort(), ids.sort());
    });

    test('every resource call needs an Active organization of the caller', async () => {
      const missing = 'm-' + '0'.repeat(32);
      await rejectsWithWorkMail(wm.send(new CreateResourceCommand({ OrganizationId: missing, Name: 'r', Type: 'ROOM' })), 'OrganizationNotFoundException');
      await rejectsWithWorkMail(wm.send(new ListResourcesCommand({ OrganizationId: missing })), 'OrganizationNotFoundException');
      const gone = (await wm.send(new CreateOrganizationCommand({ Alias: 'rooms-gone' }))).OrganizationId!;
      const room = (await wm.send(new CreateResourceCommand({ OrganizationId: gone, Name: 'r', Type: 'ROOM' }))).ResourceId!;
      await wm.send(new DeleteOrganizationCommand({ OrganizationId: gone, DeleteDirectory: true }));
      await rejectsWithWorkMail(wm.send(new DescribeResourceCommand({ OrganizationId: gone, ResourceId: room })), 'OrganizationStateException');
      await rejectsWithWorkMail(wm.send(new DeleteResourceCommand({ OrganizationId: gone, ResourceId: room })), 'OrganizationStateException');
      await rejectsWithWorkMail(wm.send(new ListResourceDelegatesCommand({ OrganizationId: gone, ResourceId: room })), 'OrganizationStateException');
      await rejectsWithWorkMail(wm.send(new CreateResourceCommand({ OrganizationId: orgId, Name: 'r', Type: 'ROOM', Description: '' })), 'InvalidParameterException', /description/i);
    });
  });
}
