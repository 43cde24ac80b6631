import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssumeImpersonationRoleCommand,
  CreateImpersonationRoleCommand,
  CreateMobileDeviceAccessRuleCommand,
  CreateOrganizationCommand,
  CreateUserCommand,
  DeleteAccessControlRuleCommand,
  DeleteImpersonationRoleCommand,
  DeleteMobileDeviceAccessOverrideCommand,
  DeleteMobileDeviceAccessRuleCommand,
  DeleteOrganizationCommand,
  GetAccessControlEffectCommand,
  GetImpersonationRoleCommand,
  GetImpersonationRoleEffectCommand,
  GetMobileDeviceAccessEffectCommand,
  GetMobileDeviceAccessOverrideCommand,
  ListAccessControlRulesCommand,
  ListImpersonationRolesCommand,
  ListMobileDeviceAccessOverridesCommand,
  ListMobileDeviceAccessRulesCommand,
  PutAccessControlRuleCommand,
  PutMobileDeviceAccessOverrideCommand,
  RegisterToWorkMailCommand,
  UpdateImpersonationRoleCommand,
  UpdateMobileDeviceAccessRuleCommand,
  paginateListImpersonationRoles,
  paginateListMobileDeviceAccessOverrides,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWithWorkMail } from '../helpers/assertions.ts';
import { verifyImpersonationToken } from '../../src/workmail/impersonation-tokens.ts';
import { directoryChange, type Change } from '../../src/store/changes.ts';

async function organization(wm: WorkMailClient, alias: string): Promise<string> {
  return (await wm.send(new CreateOrganizationCommand({ Alias: alias }))).OrganizationId!;
}

async function user(wm: WorkMailClient, orgId: string, alias: string, name: string, registered = true): Promise<string> {
  const { UserId } = await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: name, DisplayName: name }));
  if (registered) await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: UserId, Email: `${name}@${alias}.godwit.localhost` }));
  return UserId!;
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`WorkMail access rules, impersonation and mobile access through @aws-sdk/client-workmail (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let wm: WorkMailClient;
    let orgId: string;
    let alice: string;
    let bob: string;
    before(async () => {
      t = await startTestServer({ engine });
      wm = t.workmail();
      orgId = await organization(wm, 'rules');
      alice = await user(wm, orgId, 'rules', 'alice');
      bob = await user(wm, orgId, 'rules', 'bob');
    });
    after(() => t.stop());

    const effect = async (input: { IpAddress: string; Action: string; UserId?: string; ImpersonationRoleId?: string }) => {
      const out = await wm.send(new GetAccessControlEffectCommand({ OrganizationId: orgId, ...input }));
      return { Effect: out.Effect, MatchedRules: out.MatchedRules };
    };

    test('access control rules: the default rule, put/replace, DENY over ALLOW, delete, deny when none match', async () => {
      const initial = (await wm.send(new ListAccessControlRulesCommand({ OrganizationId: orgId }))).Rules!;
      assert.equal(initial.length, 1);
      assert.equal(initial[0]!.Name, 'default');
      assert.equal(initial[0]!.Effect, 'ALLOW');
      assert.equal(initial[0]!.Description, 'Default WorkMail Rule');
      assert.deepEqual(await effect({ IpAddress: '203.0.113.5', Action: 'IMAP', UserId: alice }), { Effect: 'ALLOW', MatchedRules: ['default'] });

      await wm.send(
        new PutAccessControlRuleCommand({
          OrganizationId: orgId,
          Name: 'imap-office-only',
          Effect: 'DENY',
          Description: 'IMAP from the office only',
          Actions: ['IMAP'],
          NotIpRanges: ['192.0.2.0/24'],
          NotUserIds: [bob],
        }),
      );
      assert.deepEqual(await effect({ IpAddress: '203.0.113.5', Action: 'IMAP', UserId: alice }), { Effect: 'DENY', MatchedRules: ['imap-office-only'] });
      assert.deepEqual(await effect({ IpAddress: '192.0.2.77', Action: 'IMAP', UserId: alice }), { Effect: 'ALLOW', MatchedRules: ['default'] });
      assert.equal((await effect({ IpAddress: '203.0.113.5', Action: 'SMTP', UserId: alice })).Effect, 'ALLOW');
      assert.equal((await effect({ IpAddress: '203.0.113.5', Action: 'IMAP', UserId: bob })).Effect, 'ALLOW', 'bob is excluded from the rule');
      // Users may be named by email address as well as by id.
      assert.equal((await effect({ IpAddress: '203.0.113.5', Action: 'IMAP', UserId: 'bob@rules.godwit.localhost' })).Effect, 'ALLOW');

      const [before] = (await wm.send(new ListAccessControlRulesCommand({ OrganizationId: orgId }))).Rules!.filter((r) => r.Name === 'imap-office-only');
      assert.deepEqual(before!.NotUserIds, [bob]);
      assert.deepEqual(before!.Actions, ['IMAP']);
      assert.ok(before!.DateCreated instanceof Date);
      await wm.send(new PutAccessControlRuleCommand({ OrganizationId: orgId, Name: 'imap-office-only', Effect: 'ALLOW', Description: 'replaced', Actions: ['IMAP'] }));
      const rules = (await wm.send(new ListAccessControlRulesCommand({ OrganizationId: orgId }))).Rules!;
      assert.equal(rules.length, 2, 'the same name replaces the rule');
      const replaced = rules.find((r) => r.Name === 'imap-office-only')!;
      assert.equal(replaced.Effect, 'ALLOW');
      assert.equal(replaced.Description, 'replaced');
      assert.equal(replaced.NotUserIds, undefined);
      assert.equal(replaced.DateCreated!.getTime(), before!.DateCreated!.getTime(), 'replacing keeps the creation date');

      await wm.send(new DeleteAccessControlRuleCommand({ OrganizationId: orgId, Name: 'imap-office-only' }));
      await wm.send(new DeleteAccessControlRuleCommand({ OrganizationId: orgId, Name: 'imap-office-only' }));
      await wm.send(new DeleteAccessControlRuleCommand({ OrganizationId: orgId, Name: 'default' }));
      assert.deepEqual((await wm.send(new ListAccessControlRulesCommand({ OrganizationId: orgId }))).Rules, [], 'the default rule can be deleted, and stays deleted');
      assert.deepEqual(await effect({ IpAddress: '203.0.113.5', Action: 'IMAP', UserId: alice }), { Effect: 'DENY', MatchedRules: [] });
      await wm.send(new PutAccessControlRuleCommand({ OrganizationId: orgId, Name: 'default', Effect: 'ALLOW', Description: 'Default WorkMail Rule' }));
    });

    test('an organization is created with both default rules; reading rules and effects writes nothing', async () => {
      const heard: Change[] = [];
      const unsubscribe = t.server.store.changes.subscribe((change) => heard.push(change));
      try {
        const fresh = await organization(wm, 'rules-fresh');
        const carol = await user(wm, fresh, 'rules-fresh', 'carol');
        assert.ok(heard.some((change) => change.kind === 'directory' && change.orgId === fresh), 'creating the organization announces its directory');
        // In the store before anything lists them, each with the marker that keeps a deleted default deleted.
        const db = t.server.store.db;
        assert.deepEqual(await db.selectFrom('wm_access_control_rules').select(['name', 'effect', 'conditions']).where('org_id', '=', fresh).execute(), [
          { name: 'default', effect: 'ALLOW', conditions: '{}' },
        ]);
        assert.deepEqual(await db.selectFrom('wm_mobile_access_rules').select(['name', 'effect', 'conditions']).where('org_id', '=', fresh).execute(), [
          { name: 'default', effect: 'ALLOW', conditions: '{}' },
        ]);
        assert.deepEqual((await db.selectFrom('wm_rule_defaults').select('kind').where('org_id', '=', fresh).orderBy('kind').execute()).map((row) => row.kind), ['access', 'mobile']);

        heard.length = 0;
        assert.deepEqual((await wm.send(new ListAccessControlRulesCommand({ OrganizationId: fresh }))).Rules!.map((rule) => rule.Name), ['default']);
        assert.deepEqual((await wm.send(new ListMobileDeviceAccessRulesCommand({ OrganizationId: fresh }))).Rules!.map((rule) => rule.Name), ['default']);
        assert.equal((await wm.send(new GetAccessControlEffectCommand({ OrganizationId: fresh, IpAddress: '192.0.2.1', Action: 'IMAP', UserId: carol }))).Effect, 'ALLOW');
        assert.equal((await wm.send(new GetMobileDeviceAccessEffectCommand({ OrganizationId: fresh, DeviceType: 'iPhone' }))).Effect, 'ALLOW');
        assert.deepEqual(heard, [], 'reads announce no change, because they make none');

        await wm.send(new DeleteAccessControlRuleCommand({ OrganizationId: fresh, Name: 'default' }));
        await wm.send(new DeleteMobileDeviceAccessRuleCommand({ OrganizationId: fresh, MobileDeviceAccessRuleId: (await wm.send(new ListMobileDeviceAccessRulesCommand({ OrganizationId: fresh }))).Rules![0]!.MobileDeviceAccessRuleId! }));
        assert.deepEqual(heard, [directoryChange(fresh), directoryChange(fresh)], 'each write announces one change of the directory');
        assert.deepEqual((await wm.send(new ListAccessControlRulesCommand({ OrganizationId: fresh }))).Rules, []);
        assert.deepEqual((await wm.send(new ListMobileDeviceAccessRulesCommand({ OrganizationId: fresh }))).Rules, []);
        assert.equal((await wm.send(new GetMobileDeviceAccessEffectCommand({ OrganizationId: fresh, DeviceType: 'iPhone' }))).Effect, 'DENY');
      } finally {
        unsubscribe();
      }
    });

    test('access control rule errors and the limit of 20 rules', async () => {
      const put = (name: string, extra: object = {}) =>
        wm.send(new PutAccessControlRuleCommand({ OrganizationId: orgId, Name: name, Effect: 'DENY', Description: 'x', ...extra }));
      await rejectsWithWorkMail(put('bad-action', { Actions: ['POP3'] }), 'InvalidParameterException', /POP3/);
      await rejectsWithWorkMail(put('bad-user', { UserIds: ['00000000-0000-0000-0000-000000000000'] }), 'EntityNotFoundException');
      await rejectsWithWorkMail(put('bad-role', { ImpersonationRoleIds: ['no-such-role'] }), 'ResourceNotFoundException');
      await rejectsWithWorkMail(put('bad-range', { IpRanges: ['2001:db8::/32'] }), 'InvalidParameterException', /ipRanges/);
      await rejectsWithWorkMail(effect({ IpAddress: '192.0.2.1', Action: 'POP3', UserId: alice }), 'InvalidParameterException');
      await rejectsWithWorkMail(effect({ IpAddress: '192.0.2.1', Action: 'IMAP' }), 'InvalidParameterException', /user ID or the impersonation role ID/);
      await rejectsWithWorkMail(effect({ IpAddress: '192.0.2.1', Action: 'IMAP', UserId: '00000000-0000-0000-0000-000000000000' }), 'EntityNotFoundException');

      // A fresh organization, so that its 20 rules do not disturb the other tests: the default rule and 19 more.
      const full = await organization(wm, 'rules-full');
      const putIn = (name: string) => wm.send(new PutAccessControlRuleCommand({ OrganizationId: full, Name: name, Effect: 'DENY', Description: 'x', Actions: ['WebMail'] }));
      for (let i = 1; i < 20; i++) await putIn(`rule-${i}`);
      await rejectsWithWorkMail(putIn('one-too-many'), 'LimitExceededException');
      await putIn('rule-19');
      assert.equal((await wm.send(new ListAccessControlRulesCommand({ OrganizationId: full }))).Rules!.length, 20, 'replacing a rule at the limit is allowed');
    });

    test('impersonation roles: create (idempotent), get, update, effect, list, assume, delete', async () => {
      const created = await wm.send(
        new CreateImpersonationRoleCommand({
          OrganizationId: orgId,
          ClientToken: 'role-token-1',
          Name: 'archiver',
          Type: 'READ_ONLY',
          Description: 'reads everyone but bob',
          Rules: [
            { ImpersonationRuleId: 'everyone', Name: 'everyone', Effect: 'ALLOW' },
            { ImpersonationRuleId: 'not-bob', Name: 'not bob', Effect: 'DENY', TargetUsers: ['bob'] },
          ],
        }),
      );
      const roleId = created.ImpersonationRoleId!;
      const again = await wm.send(
        new CreateImpersonationRoleCommand({ OrganizationId: orgId, ClientToken: 'role-token-1', Name: 'archiver', Type: 'READ_ONLY', Rules: [] }),
      );
      assert.equal(again.ImpersonationRoleId, roleId, 'ClientToken makes creation idempotent');

      const role = await wm.send(new GetImpersonationRoleCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId }));
      assert.equal(role.Name, 'archiver');
      assert.equal(role.Type, 'READ_ONLY');
      assert.equal(role.Description, 'reads everyone but bob');
      assert.deepEqual(role.Rules![1]!.TargetUsers, [bob], 'target users are resolved to user ids');
      assert.ok(role.DateCreated instanceof Date && role.DateModified instanceof Date);

      const roleEffect = (target: string) => wm.send(new GetImpersonationRoleEffectCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId, TargetUser: target }));
      const onAlice = await roleEffect('alice@rules.godwit.localhost');
      assert.equal(onAlice.Type, 'READ_ONLY');
      assert.equal(onAlice.Effect, 'ALLOW');
      assert.deepEqual(onAlice.MatchedRules, [{ ImpersonationRuleId: 'everyone', Name: 'everyone' }]);
      const onBob = await roleEffect(bob);
      assert.equal(onBob.Effect, 'DENY');
      assert.deepEqual(onBob.MatchedRules, [{ ImpersonationRuleId: 'not-bob', Name: 'not bob' }]);

      await wm.send(
        new UpdateImpersonationRoleCommand({
          OrganizationId: orgId,
          ImpersonationRoleId: roleId,
          Name: 'archiver-2',
          Type: 'FULL_ACCESS',
          Rules: [{ ImpersonationRuleId: 'only-bob', Effect: 'ALLOW', TargetUsers: [bob] }],
        }),
      );
      const updated = await wm.send(new GetImpersonationRoleCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId }));
      assert.equal(updated.Name, 'archiver-2');
      assert.equal(updated.Type, 'FULL_ACCESS');
      assert.equal(updated.Description, undefined);
      assert.equal((await roleEffect(bob)).Effect, 'ALLOW');
      assert.deepEqual((await roleEffect(alice)).Effect, 'DENY', 'no rule applies to alice now');

      // Access control rules can name impersonation roles; only with the EWS action.
      await wm.send(new PutAccessControlRuleCommand({ OrganizationId: orgId, Name: 'no-archiver', Effect: 'DENY', Description: 'x', ImpersonationRoleIds: [roleId] }));
      assert.deepEqual(await effect({ IpAddress: '192.0.2.1', Action: 'EWS', ImpersonationRoleId: roleId }), { Effect: 'DENY', MatchedRules: ['no-archiver'] });
      assert.equal((await effect({ IpAddress: '192.0.2.1', Action: 'EWS', UserId: alice })).Effect, 'ALLOW');
      await rejectsWithWorkMail(effect({ IpAddress: '192.0.2.1', Action: 'IMAP', ImpersonationRoleId: roleId }), 'InvalidParameterException', /EWS/);
      await wm.send(new DeleteAccessControlRuleCommand({ OrganizationId: orgId, Name: 'no-archiver' }));

      const second = (await wm.send(new CreateImpersonationRoleCommand({ OrganizationId: orgId, Name: 'other', Type: 'FULL_ACCESS', Rules: [] }))).ImpersonationRoleId!;
      const listed: string[] = [];
      for await (const page of paginateListImpersonationRoles({ client: wm, pageSize: 1 }, { OrganizationId: orgId })) {
        assert.ok(page.Roles!.length <= 1);
        listed.push(...page.Roles!.map((r) => r.ImpersonationRoleId!));
      }
      assert.deepEqual(listed.sort(), [roleId, second].sort());

      const assumed = await wm.send(new AssumeImpersonationRoleCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId }));
      assert.equal(assumed.ExpiresIn, 900);
      assert.match(assumed.Token!, /^[\x21-\x7e]+$/);
      const verified = await verifyImpersonationToken(t.server.store.db, assumed.Token!, new Date());
      assert.equal(verified?.roleId, roleId);
      const other = await wm.send(new AssumeImpersonationRoleCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId }));
      assert.notEqual(other.Token, assumed.Token, 'each token is new');

      await wm.send(new DeleteImpersonationRoleCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId }));
      await wm.send(new DeleteImpersonationRoleCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId }));
      assert.equal(await verifyImpersonationToken(t.server.store.db, assumed.Token!, new Date()), undefined, 'the token died with its role');
      await rejectsWithWorkMail(wm.send(new GetImpersonationRoleCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId })), 'ResourceNotFoundException');
      await rejectsWithWorkMail(wm.send(new AssumeImpersonationRoleCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId })), 'ResourceNotFoundException');
      assert.deepEqual((await wm.send(new ListImpersonationRolesCommand({ OrganizationId: orgId }))).Roles!.map((r) => r.ImpersonationRoleId), [second]);
      await wm.send(new DeleteImpersonationRoleCommand({ OrganizationId: orgId, ImpersonationRoleId: second }));
    });

    test('impersonation role errors', async () => {
      const create = (rules: object[]) => wm.send(new CreateImpersonationRoleCommand({ OrganizationId: orgId, Name: 'r', Type: 'READ_ONLY', Rules: rules as [] }));
      await rejectsWithWorkMail(create([{ ImpersonationRuleId: 'x', Effect: 'ALLOW', TargetUsers: ['nobody'] }]), 'EntityNotFoundException');
      await rejectsWithWorkMail(create([{ ImpersonationRuleId: 'x', Effect: 'ALLOW' }, { ImpersonationRuleId: 'x', Effect: 'DENY' }]), 'InvalidParameterException', /Duplicate/);
      await rejectsWithWorkMail(
        wm.send(new CreateImpersonationRoleCommand({ OrganizationId: orgId, Name: 'r', Type: 'ADMIN' as 'READ_ONLY', Rules: [] })),
        'InvalidParameterException',
      );
      await rejectsWithWorkMail(
        wm.send(new UpdateImpersonationRoleCommand({ OrganizationId: orgId, ImpersonationRoleId: 'missing', Name: 'r', Type: 'READ_ONLY', Rules: [] })),
        'ResourceNotFoundException',
      );
      const roleId = (await create([{ ImpersonationRuleId: 'all', Effect: 'ALLOW' }])).ImpersonationRoleId!;
      await rejectsWithWorkMail(wm.send(new GetImpersonationRoleEffectCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId, TargetUser: 'nobody' })), 'EntityNotFoundException');
      const dora = await user(wm, orgId, 'rules', 'dora', false);
      await rejectsWithWorkMail(wm.send(new GetImpersonationRoleEffectCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId, TargetUser: dora })), 'EntityStateException');
      await wm.send(new DeleteImpersonationRoleCommand({ OrganizationId: orgId, ImpersonationRoleId: roleId }));
    });

    test('mobile device access rules: default rule, create (idempotent), update, effect, delete', async () => {
      const initial = (await wm.send(new ListMobileDeviceAccessRulesCommand({ OrganizationId: orgId }))).Rules!;
      assert.equal(initial.length, 1);
      assert.equal(initial[0]!.Effect, 'ALLOW');
      const defaultId = initial[0]!.MobileDeviceAccessRuleId!;
      const mobileEffect = async (device: object) => {
        const out = await wm.send(new GetMobileDeviceAccessEffectCommand({ OrganizationId: orgId, ...device }));
        return { Effect: out.Effect, MatchedRules: out.MatchedRules };
      };
      assert.deepEqual(await mobileEffect({ DeviceType: 'iPhone' }), { Effect: 'ALLOW', MatchedRules: [{ MobileDeviceAccessRuleId: defaultId, Name: 'default' }] });

      const create = { OrganizationId: orgId, ClientToken: 'mobile-1', Name: 'no old android', Effect: 'DENY' as const, DeviceTypes: ['Android'], NotDeviceOperatingSystems: ['Android 14'] };
      const { MobileDeviceAccessRuleId: ruleId } = await wm.send(new CreateMobileDeviceAccessRuleCommand(create));
      assert.equal((await wm.send(new CreateMobileDeviceAccessRuleCommand(create))).MobileDeviceAccessRuleId, ruleId, 'ClientToken makes creation idempotent');
      assert.deepEqual(await mobileEffect({ DeviceType: 'Android', DeviceOperatingSystem: 'Android 8.1.0' }), {
        Effect: 'DENY',
        MatchedRules: [{ MobileDeviceAccessRuleId: ruleId, Name: 'no old android' }],
      });
      assert.equal((await mobileEffect({ DeviceType: 'Android', DeviceOperatingSystem: 'Android 14' })).Effect, 'ALLOW');
      assert.equal((await mobileEffect({ DeviceType: 'iPhone' })).Effect, 'ALLOW');

      await wm.send(
        new UpdateMobileDeviceAccessRuleCommand({ OrganizationId: orgId, MobileDeviceAccessRuleId: ruleId, Name: 'no htc', Effect: 'DENY', Description: 'HTC out', DeviceModels: ['HTCOneX'] }),
      );
      const listed = (await wm.send(new ListMobileDeviceAccessRulesCommand({ OrganizationId: orgId }))).Rules!.find((r) => r.MobileDeviceAccessRuleId === ruleId)!;
      assert.equal(listed.Name, 'no htc');
      assert.equal(listed.Description, 'HTC out');
      assert.deepEqual(listed.DeviceModels, ['HTCOneX']);
      assert.equal(listed.DeviceTypes, undefined, 'an update replaces the conditions');
      assert.equal((await mobileEffect({ DeviceType: 'Android', DeviceOperatingSystem: 'Android 8.1.0' })).Effect, 'ALLOW');
      assert.equal((await mobileEffect({ DeviceModel: 'HTCOneX' })).Effect, 'DENY');

      await rejectsWithWorkMail(
        wm.send(new UpdateMobileDeviceAccessRuleCommand({ OrganizationId: orgId, MobileDeviceAccessRuleId: 'missing', Name: 'x', Effect: 'DENY' })),
        'EntityNotFoundException',
      );
      await wm.send(new DeleteMobileDeviceAccessRuleCommand({ OrganizationId: orgId, MobileDeviceAccessRuleId: ruleId }));
      await wm.send(new DeleteMobileDeviceAccessRuleCommand({ OrganizationId: orgId, MobileDeviceAccessRuleId: ruleId }));
      await wm.send(new DeleteMobileDeviceAccessRuleCommand({ OrganizationId: orgId, MobileDeviceAccessRuleId: defaultId }));
      assert.deepEqual((await wm.send(new ListMobileDeviceAccessRulesCommand({ OrganizationId: orgId }))).Rules, []);
      assert.deepEqual(await mobileEffect({ DeviceType: 'iPhone' }), { Effect: 'DENY', MatchedRules: [] }, 'with no rules every device is blocked');

      for (let i = 0; i < 10; i++) await wm.send(new CreateMobileDeviceAccessRuleCommand({ OrganizationId: orgId, Name: `r${i}`, Effect: 'ALLOW' }));
      await rejectsWithWorkMail(wm.send(new CreateMobileDeviceAccessRuleCommand({ OrganizationId: orgId, Name: 'r10', Effect: 'ALLOW' })), 'LimitExceededException');
    });

    test('mobile device access overrides: put, get, list with filters and pages, delete', async () => {
      const put = (userId: string, deviceId: string, effect: 'ALLOW' | 'DENY', description?: string) =>
        wm.send(new PutMobileDeviceAccessOverrideCommand({ OrganizationId: orgId, UserId: userId, DeviceId: deviceId, Effect: effect, Description: description }));
      await put(alice, 'DEVICE1', 'DENY', 'lost phone');
      await put('alice@rules.godwit.localhost', 'DEVICE2', 'ALLOW');
      await put(bob, 'DEVICE1', 'ALLOW');
      await put(alice, 'DEVICE1', 'ALLOW', 'found it');

      const got = await wm.send(new GetMobileDeviceAccessOverrideCommand({ OrganizationId: orgId, UserId: 'alice', DeviceId: 'DEVICE1' }));
      assert.equal(got.UserId, alice);
      assert.equal(got.Effect, 'ALLOW', 'a put replaces the override');
      assert.equal(got.Description, 'found it');
      assert.ok(got.DateModified!.getTime() >= got.DateCreated!.getTime());

      const all: string[] = [];
      for await (const page of paginateListMobileDeviceAccessOverrides({ client: wm, pageSize: 2 }, { OrganizationId: orgId })) {
        assert.ok(page.Overrides!.length <= 2);
        all.push(...page.Overrides!.map((o) => `${o.UserId}/${o.DeviceId}`));
      }
      assert.deepEqual(all.sort(), [`${alice}/DEVICE1`, `${alice}/DEVICE2`, `${bob}/DEVICE1`].sort());
      const byUser = (await wm.send(new ListMobileDeviceAccessOverridesCommand({ OrganizationId: orgId, UserId: alice }))).Overrides!;
      assert.deepEqual(byUser.map((o) => o.DeviceId).sort(), ['DEVICE1', 'DEVICE2']);
      const byDevice = (await wm.send(new ListMobileDeviceAccessOverridesCommand({ OrganizationId: orgId, DeviceId: 'DEVICE1' }))).Overrides!;
      assert.deepEqual(byDevice.map((o) => o.UserId).sort(), [alice, bob].sort());

      await wm.send(new DeleteMobileDeviceAccessOverrideCommand({ OrganizationId: orgId, UserId: alice, DeviceId: 'DEVICE1' }));
      await wm.send(new DeleteMobileDeviceAccessOverrideCommand({ OrganizationId: orgId, UserId: alice, DeviceId: 'DEVICE1' }));
      await rejectsWithWorkMail(wm.send(new GetMobileDeviceAccessOverrideCommand({ OrganizationId: orgId, UserId: alice, DeviceId: 'DEVICE1' })), 'ResourceNotFoundException');

      await rejectsWithWorkMail(put('nobody', 'DEVICE1', 'DENY'), 'EntityNotFoundException');
      const eve = await user(wm, orgId, 'rules', 'eve', false);
      await rejectsWithWorkMail(put(eve, 'DEVICE1', 'DENY'), 'EntityStateException');
      await rejectsWithWorkMail(put(alice, 'not-alphanumeric!', 'DENY'), 'InvalidParameterException', /deviceId/);
      await rejectsWithWorkMail(wm.send(new ListMobileDeviceAccessOverridesCommand({ OrganizationId: orgId, UserId: 'nobody' })), 'EntityNotFoundException');
    });

    test('every operation checks the organization first', async () => {
      const missing = 'm-' + '0'.repeat(32);
      await rejectsWithWorkMail(wm.send(new ListAccessControlRulesCommand({ OrganizationId: missing })), 'OrganizationNotFoundException');
      await rejectsWithWorkMail(wm.send(new ListImpersonationRolesCommand({ OrganizationId: missing })), 'OrganizationNotFoundException');
      await rejectsWithWorkMail(wm.send(new ListMobileDeviceAccessRulesCommand({ OrganizationId: missing })), 'OrganizationNotFoundException');
      const gone = await organization(wm, 'rules-gone');
      await wm.send(new DeleteOrganizationCommand({ OrganizationId: gone, DeleteDirectory: true }));
      await rejectsWithWorkMail(wm.send(new PutAccessControlRuleCommand({ OrganizationId: gone, Name: 'x', Effect: 'DENY', Description: 'x' })), 'OrganizationStateException');
      await rejectsWithWorkMail(wm.send(new CreateImpersonationRoleCommand({ OrganizationId: gone, Name: 'x', Type: 'READ_ONLY', Rules: [] })), 'OrganizationStateException');
      await rejectsWithWorkMail(wm.send(new GetMobileDeviceAccessEffectCommand({ OrganizationId: gone })), 'OrganizationStateException');
    });
  });
}
