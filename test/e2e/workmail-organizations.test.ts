import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateOrganizationCommand,
  DeleteOrganizationCommand,
  DescribeOrganizationCommand,
  ListOrganizationsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  paginateListOrganizations,
} from '@aws-sdk/client-workmail';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWithWorkMail } from '../helpers/assertions.ts';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`WorkMail organizations through @aws-sdk/client-workmail (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer({ engine });
    });
    after(() => t.stop());

    test('create, describe, list, tag and delete an organization', async () => {
      const wm = t.workmail();
      const { OrganizationId } = await wm.send(new CreateOrganizationCommand({ Alias: 'acme-corp', ClientToken: 'token-1' }));
      assert.match(OrganizationId!, /^m-[0-9a-f]{32}$/);
      const again = await wm.send(new CreateOrganizationCommand({ Alias: 'acme-corp', ClientToken: 'token-1' }));
      assert.equal(again.OrganizationId, OrganizationId, 'ClientToken makes creation idempotent');
      await rejectsWithWorkMail(wm.send(new CreateOrganizationCommand({ Alias: 'ACME-corp' })), 'NameAvailabilityException');

      const described = await wm.send(new DescribeOrganizationCommand({ OrganizationId }));
      assert.equal(described.State, 'Active');
      assert.equal(described.Alias, 'acme-corp');
      assert.equal(described.DefaultMailDomain, 'acme-corp.godwit.localhost');
      assert.equal(described.ARN, `arn:aws:workmail:${t.region}:${t.admin.accountId}:organization/${OrganizationId}`);
      assert.ok(described.CompletedDate instanceof Date && !Number.isNaN(described.CompletedDate.getTime()));

      await wm.send(new TagResourceCommand({ ResourceARN: described.ARN, Tags: [{ Key: 'team', Value: 'mail' }] }));
      assert.deepEqual((await wm.send(new ListTagsForResourceCommand({ ResourceARN: described.ARN }))).Tags, [{ Key: 'team', Value: 'mail' }]);
      await wm.send(new UntagResourceCommand({ ResourceARN: described.ARN, TagKeys: ['team'] }));
      assert.deepEqual((await wm.send(new ListTagsForResourceCommand({ ResourceARN: described.ARN }))).Tags, []);

      const listed = await wm.send(new ListOrganizationsCommand({}));
      assert.ok(listed.OrganizationSummaries!.some((org) => org.OrganizationId === OrganizationId && org.State === 'Active'));

      const deleted = await wm.send(new DeleteOrganizationCommand({ OrganizationId, DeleteDirectory: true }));
      assert.equal(deleted.State, 'Deleted');
      assert.equal((await wm.send(new DescribeOrganizationCommand({ OrganizationId }))).State, 'Deleted');
      const reused = await wm.send(new CreateOrganizationCommand({ Alias: 'acme-corp' }));
      assert.notEqual(reused.OrganizationId, OrganizationId, 'a deleted organization frees its alias');
    });

    test('ListOrganizations pages with NextToken', async () => {
      const wm = t.workmail();
      for (let i = 0; i < 5; i++) await wm.send(new CreateOrganizationCommand({ Alias: `paged-${i}` }));
      const aliases: string[] = [];
      const ids: string[] = [];
      for await (const page of paginateListOrganizations({ client: wm, pageSize: 2 }, {})) {
        assert.ok(page.OrganizationSummaries!.length <= 2);
        aliases.push(...page.OrganizationSummaries!.map((org) => org.Alias!));
        ids.push(...page.OrganizationSummaries!.map((org) => org.OrganizationId!));
      }
      for (let i = 0; i < 5; i++) assert.ok(aliases.includes(`paged-${i}`));
      assert.equal(new Set(ids).size, ids.length, 'no organization listed twice');
    });

    test('errors in WorkMail\'s words: unknown organization, bad input naming the member', async () => {
      const wm = t.workmail();
      await rejectsWithWorkMail(wm.send(new DescribeOrganizationCommand({ OrganizationId: 'm-' + '0'.repeat(32) })), 'OrganizationNotFoundException');
      await rejectsWithWorkMail(wm.send(new DescribeOrganizationCommand({ OrganizationId: 'not-an-id' })), 'InvalidParameterException', /at 'organizationId' failed to satisfy constraint/);
      await rejectsWithWorkMail(wm.send(new CreateOrganizationCommand({ Alias: 'd-reserved' })), 'InvalidParameterException', /'alias'/);
    });
  });
}
