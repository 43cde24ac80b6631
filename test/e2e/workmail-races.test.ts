// Directory invariants that concurrent writes could break if a check and its write were not
// made under the organization's lock (src/workmail/directory-write.ts): requests race through
// the real SDK client against a real server, on both engines. On SQLite transactions are serial
// anyway; on PostgreSQL each of these fails when the lock is taken away, except the address
// claim, which the address's primary key also guards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateMemberToGroupCommand,
  CreateAliasCommand,
  CreateGroupCommand,
  CreateImpersonationRoleCommand,
  CreateMobileDeviceAccessRuleCommand,
  CreateOrganizationCommand,
  CreateUserCommand,
  DeleteOrganizationCommand,
  DeleteUserCommand,
  DescribeOrganizationCommand,
  DescribeUserCommand,
  ListAccessControlRulesCommand,
  ListAliasesCommand,
  ListGroupMembersCommand,
  ListImpersonationRolesCommand,
  ListMobileDeviceAccessRulesCommand,
  ListUsersCommand,
  PutAccessControlRuleCommand,
  RegisterToWorkMailCommand,
  paginateListAliases,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';

const TRIALS = 30;

/** 'ok', or the name of the WorkMail error a request failed with. */
const outcome = (result: PromiseSettledResult<unknown>): string => (result.status === 'fulfilled' ? 'ok' : (result.reason as Error).name);

const tally = (outcomes: string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const name of outcomes) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
};

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`WorkMail directory invariants under concurrent requests (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let wm: WorkMailClient;
    let serial = 0;

    /** A fresh organization, so that each race starts from a known directory. */
    const organization = async (): Promise<{ id: string; domain: string }> => {
      const alias = `races-${engine}-${++serial}`;
      const { OrganizationId } = await wm.send(new CreateOrganizationCommand({ Alias: alias }));
      return { id: OrganizationId!, domain: `${alias}.godwit.localhost` };
    };
    const group = async (orgId: string, name: string) => (await wm.send(new CreateGroupCommand({ OrganizationId: orgId, Name: name }))).GroupId!;
    const user = async (orgId: string, name: string) => (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: name, DisplayName: name }))).UserId!;
    const members = async (orgId: string, groupId: string) => (await wm.send(new ListGroupMembersCommand({ OrganizationId: orgId, GroupId: groupId }))).Members!;

    before(async () => {
      t = await startTestServer({ engine });
      wm = t.workmail();
    });
    after(() => t.stop());

    test(`group nesting: ${TRIALS} pairs of opposite AssociateMemberToGroup calls never make a cycle`, async () => {
      const org = await organization();
      const pairs = await Promise.all(
        Array.from({ length: TRIALS }, async (_, i) => ({ a: await group(org.id, `a${i}`), b: await group(org.id, `b${i}`) })),
      );
      const outcomes = await Promise.all(
        pairs.map(({ a, b }) =>
          Promise.allSettled([
            wm.send(new AssociateMemberToGroupCommand({ OrganizationId: org.id, GroupId: b, MemberId: a })),
            wm.send(new AssociateMemberToGroupCommand({ OrganizationId: org.id, GroupId: a, MemberId: b })),
          ]),
        ),
      );
      for (const [i, results] of outcomes.entries()) {
        const names = results.map(outcome).sort();
        assert.deepEqual(names, ['InvalidParameterException', 'ok'], `pair ${i}: exactly one of the two nestings is refused`);
        const { a, b } = pairs[i]!;
        const aInB = (await members(org.id, b)).some((m) => m.Id === a);
        const bInA = (await members(org.id, a)).some((m) => m.Id === b);
        assert.ok(aInB !== bInA, `pair ${i}: exactly one group contains the other (a in b: ${aInB}, b in a: ${bInA})`);
      }
    });

    test('access control rules: 30 concurrent puts beside the default rule stop at the limit of 20', async () => {
      const org = await organization();
      const initial = (await wm.send(new ListAccessControlRulesCommand({ OrganizationId: org.id }))).Rules!;
      assert.deepEqual(initial.map((rule) => rule.Name), ['default']);
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          wm.send(new PutAccessControlRuleCommand({ OrganizationId: org.id, Name: `rule-${i}`, Effect: 'ALLOW', Description: `rule ${i}`, Actions: ['IMAP'] })),
        ),
      );
      assert.deepEqual(tally(results.map(outcome)), { ok: 19, LimitExceededException: 11 });
      const rules = (await wm.send(new ListAccessControlRulesCommand({ OrganizationId: org.id }))).Rules!;
      assert.equal(rules.length, 20);
      assert.ok(rules.some((rule) => rule.Name === 'default'));
    });

    test('mobile device access rules: 40 concurrent creates beside the default rule stop at the limit of 10', async () => {
      const org = await organization();
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          wm.send(new CreateMobileDeviceAccessRuleCommand({ OrganizationId: org.id, Name: `mobile-${i}`, Effect: 'DENY', DeviceTypes: [`type${i}`] })),
        ),
      );
      assert.deepEqual(tally(results.map(outcome)), { ok: 9, LimitExceededException: 31 });
      assert.equal((await wm.send(new ListMobileDeviceAccessRulesCommand({ OrganizationId: org.id }))).Rules!.length, 10);
    });

    test('impersonation roles: 30 concurrent creates stop at the limit of 20', async () => {
      const org = await organization();
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          wm.send(
            new CreateImpersonationRoleCommand({
              OrganizationId: org.id,
              Name: `role-${i}`,
              Type: 'READ_ONLY',
              Rules: [{ ImpersonationRuleId: 'all', Effect: 'ALLOW' }],
            }),
          ),
        ),
      );
      assert.deepEqual(tally(results.map(outcome)), { ok: 20, LimitExceededException: 10 });
      const listed = await wm.send(new ListImpersonationRolesCommand({ OrganizationId: org.id, MaxResults: 50 }));
      assert.equal(listed.Roles!.length, 20);
      assert.equal(listed.NextToken, undefined);
    });

    test('aliases: concurrent CreateAlias calls stop at the limit of 100 per entity', async () => {
      const org = await organization();
      const owner = await user(org.id, 'owner');
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: org.id, EntityId: owner, Email: `owner@${org.domain}` }));
      for (let i = 0; i < 95; i++) await wm.send(new CreateAliasCommand({ OrganizationId: org.id, EntityId: owner, Alias: `first${i}@${org.domain}` }));
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => wm.send(new CreateAliasCommand({ OrganizationId: org.id, EntityId: owner, Alias: `late${i}@${org.domain}` }))),
      );
      assert.deepEqual(tally(results.map(outcome)), { ok: 5, LimitExceededException: 15 });
      const aliases: string[] = [];
      for await (const page of paginateListAliases({ client: wm }, { OrganizationId: org.id, EntityId: owner })) aliases.push(...page.Aliases!);
      assert.equal(aliases.length, 100);
      // The limit is per entity: another entity still takes aliases.
      const other = await user(org.id, 'other');
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: org.id, EntityId: other, Email: `other@${org.domain}` }));
      await wm.send(new CreateAliasCommand({ OrganizationId: org.id, EntityId: other, Alias: `other.alias@${org.domain}` }));
      assert.deepEqual((await wm.send(new ListAliasesCommand({ OrganizationId: org.id, EntityId: other }))).Aliases, [`other.alias@${org.domain}`]);
    });

    test(`group membership: ${TRIALS} users deleted while being added to a group leave no deleted member behind`, async () => {
      const org = await organization();
      const team = await group(org.id, 'team');
      const users = await Promise.all(Array.from({ length: TRIALS }, (_, i) => user(org.id, `leaver${i}`)));
      const outcomes = await Promise.all(
        users.map((userId) =>
          Promise.allSettled([
            wm.send(new AssociateMemberToGroupCommand({ OrganizationId: org.id, GroupId: team, MemberId: userId })),
            wm.send(new DeleteUserCommand({ OrganizationId: org.id, UserId: userId })),
          ]),
        ),
      );
      for (const results of outcomes) {
        assert.equal(outcome(results[1]!), 'ok', 'deleting a user that is not registered succeeds');
        assert.ok(['ok', 'EntityStateException'].includes(outcome(results[0]!)), `associating: ${outcome(results[0]!)}`);
      }
      const left = await members(org.id, team);
      assert.deepEqual(
        left.map((m) => [m.Name, m.State]),
        [],
        'every user was deleted, and a deleted user belongs to no group',
      );
    });

    test(`addresses: ${TRIALS} pairs of users registering the same address concurrently; exactly one of each pair gets it`, async () => {
      const org = await organization();
      const pairs = await Promise.all(
        Array.from({ length: TRIALS }, async (_, i) => ({ i, first: await user(org.id, `first${i}`), second: await user(org.id, `second${i}`) })),
      );
      const outcomes = await Promise.all(
        pairs.map(({ i, first, second }) =>
          Promise.allSettled(
            [first, second].map((entityId) => wm.send(new RegisterToWorkMailCommand({ OrganizationId: org.id, EntityId: entityId, Email: `shared${i}@${org.domain}` }))),
          ),
        ),
      );
      for (const [index, results] of outcomes.entries()) {
        assert.deepEqual(results.map(outcome).sort(), ['EmailAddressInUseException', 'ok'], `pair ${index}`);
        const { i, first, second } = pairs[index]!;
        const described = await Promise.all([first, second].map((UserId) => wm.send(new DescribeUserCommand({ OrganizationId: org.id, UserId }))));
        assert.deepEqual(described.map((d) => d.State).sort(), ['DISABLED', 'ENABLED']);
        assert.equal(described.find((d) => d.State === 'ENABLED')!.Email, `shared${i}@${org.domain}`);
      }
    });

    test(`organizations: ${TRIALS} deletions without ForceDelete racing a registration never delete one with a registered user`, async () => {
      const orgs = await Promise.all(Array.from({ length: TRIALS }, async () => {
        const org = await organization();
        return { ...org, userId: await user(org.id, 'late') };
      }));
      const outcomes = await Promise.all(
        orgs.map((org) =>
          Promise.allSettled([
            wm.send(new DeleteOrganizationCommand({ OrganizationId: org.id, DeleteDirectory: true })),
            wm.send(new RegisterToWorkMailCommand({ OrganizationId: org.id, EntityId: org.userId, Email: `late@${org.domain}` })),
          ]),
        ),
      );
      for (const [i, results] of outcomes.entries()) {
        const [deleted, registered] = results.map(outcome);
        assert.ok(
          (deleted === 'ok' && registered === 'OrganizationStateException') || (deleted === 'OrganizationStateException' && registered === 'ok'),
          `organization ${i}: deletion ${deleted}, registration ${registered}`,
        );
        const org = orgs[i]!;
        const state = (await wm.send(new DescribeOrganizationCommand({ OrganizationId: org.id }))).State;
        if (state === 'Active') {
          const enabled = await wm.send(new ListUsersCommand({ OrganizationId: org.id, Filters: { State: 'ENABLED' } }));
          assert.deepEqual(enabled.Users!.map((u) => u.Id), [org.userId]);
        } else {
          assert.equal(state, 'Deleted');
        }
      }
    });
  });
}
