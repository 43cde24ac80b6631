import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateOrganizationCommand,
  DeleteEmailMonitoringConfigurationCommand,
  DeleteOrganizationCommand,
  DeleteRetentionPolicyCommand,
  DescribeEmailMonitoringConfigurationCommand,
  DescribeInboundDmarcSettingsCommand,
  GetDefaultRetentionPolicyCommand,
  PutEmailMonitoringConfigurationCommand,
  PutInboundDmarcSettingsCommand,
  PutRetentionPolicyCommand,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWithWorkMail } from '../helpers/assertions.ts';

const ROLE = '123456789012';
const LOG_GROUP = (name: string) => `arn:aws:logs:us-east-1:${ROLE}:log-group:${name}:*`;

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`WorkMail retention, monitoring and DMARC settings (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let wm: WorkMailClient;
    let orgId: string;
    before(async () => {
      t = await startTestServer({ engine });
      wm = t.workmail();
      orgId = (await wm.send(new CreateOrganizationCommand({ Alias: 'settings-org' }))).OrganizationId!;
    });
    after(() => t.stop());

    test('the retention policy: none, put, replaced in place, deleted', async () => {
      await rejectsWithWorkMail(wm.send(new GetDefaultRetentionPolicyCommand({ OrganizationId: orgId })), 'EntityNotFoundException');

      await wm.send(
        new PutRetentionPolicyCommand({
          OrganizationId: orgId,
          Name: 'default',
          Description: 'Keep the bin small',
          FolderConfigurations: [
            { Name: 'DELETED_ITEMS', Action: 'PERMANENTLY_DELETE', Period: 30 },
            { Name: 'INBOX', Action: 'NONE' },
          ],
        }),
      );
      const first = await wm.send(new GetDefaultRetentionPolicyCommand({ OrganizationId: orgId }));
      assert.match(first.Id!, /^[a-zA-Z0-9_-]{1,64}$/);
      assert.equal(first.Name, 'default');
      assert.equal(first.Description, 'Keep the bin small');
      assert.deepEqual(first.FolderConfigurations, [
        { Name: 'DELETED_ITEMS', Action: 'PERMANENTLY_DELETE', Period: 30 },
        { Name: 'INBOX', Action: 'NONE' },
      ]);

      // A Put without Id replaces the organization's one policy, which keeps its Id.
      await wm.send(new PutRetentionPolicyCommand({ OrganizationId: orgId, Name: 'stricter', FolderConfigurations: [{ Name: 'JUNK_EMAIL', Action: 'DELETE', Period: 7 }] }));
      const second = await wm.send(new GetDefaultRetentionPolicyCommand({ OrganizationId: orgId }));
      assert.equal(second.Id, first.Id);
      assert.equal(second.Name, 'stricter');
      assert.equal(second.Description, undefined);
      assert.deepEqual(second.FolderConfigurations, [{ Name: 'JUNK_EMAIL', Action: 'DELETE', Period: 7 }]);

      await wm.send(new PutRetentionPolicyCommand({ OrganizationId: orgId, Id: first.Id, Name: 'by-id', FolderConfigurations: [] }));
      assert.equal((await wm.send(new GetDefaultRetentionPolicyCommand({ OrganizationId: orgId }))).Name, 'by-id');
      await rejectsWithWorkMail(
        wm.send(new PutRetentionPolicyCommand({ OrganizationId: orgId, Id: 'another-policy', Name: 'second', FolderConfigurations: [] })),
        'LimitExceededException',
        /only one/,
      );

      await wm.send(new DeleteRetentionPolicyCommand({ OrganizationId: orgId, Id: 'not-that-one' }));
      assert.equal((await wm.send(new GetDefaultRetentionPolicyCommand({ OrganizationId: orgId }))).Id, first.Id, 'deleting another Id leaves the policy');
      await wm.send(new DeleteRetentionPolicyCommand({ OrganizationId: orgId, Id: first.Id }));
      await rejectsWithWorkMail(wm.send(new GetDefaultRetentionPolicyCommand({ OrganizationId: orgId })), 'EntityNotFoundException');
      await wm.send(new DeleteRetentionPolicyCommand({ OrganizationId: orgId, Id: first.Id }));
    });

    test('retention policy input is checked: periods, duplicate folders, the model', async () => {
      await rejectsWithWorkMail(
        wm.send(new PutRetentionPolicyCommand({ OrganizationId: orgId, Name: 'p', FolderConfigurations: [{ Name: 'INBOX', Action: 'DELETE' }] })),
        'InvalidParameterException',
        /INBOX needs a Period/,
      );
      await rejectsWithWorkMail(
        wm.send(
          new PutRetentionPolicyCommand({
            OrganizationId: orgId,
            Name: 'p',
            FolderConfigurations: [
              { Name: 'DRAFTS', Action: 'NONE' },
              { Name: 'DRAFTS', Action: 'DELETE', Period: 3 },
            ],
          }),
        ),
        'InvalidParameterException',
        /DRAFTS is configured more than once/,
      );
      await rejectsWithWorkMail(
        wm.send(new PutRetentionPolicyCommand({ OrganizationId: orgId, Name: 'p', FolderConfigurations: [{ Name: 'INBOX', Action: 'DELETE', Period: 731 }] })),
        'InvalidParameterException',
        /folderConfigurations\.1\.member\.period/,
      );
      await rejectsWithWorkMail(
        wm.send(new PutRetentionPolicyCommand({ OrganizationId: orgId, Name: 'p', FolderConfigurations: [{ Name: 'OUTBOX' as 'INBOX', Action: 'NONE' }] })),
        'InvalidParameterException',
        /enum value set/,
      );
      await rejectsWithWorkMail(wm.send(new GetDefaultRetentionPolicyCommand({ OrganizationId: orgId })), 'EntityNotFoundException', /No retention policy/);
    });

    test('email monitoring: put, describe, replace, delete (idempotent)', async () => {
      await rejectsWithWorkMail(wm.send(new DescribeEmailMonitoringConfigurationCommand({ OrganizationId: orgId })), 'ResourceNotFoundException');
      const roleArn = `arn:aws:iam::${ROLE}:role/WorkMailMonitoring`;
      await wm.send(new PutEmailMonitoringConfigurationCommand({ OrganizationId: orgId, RoleArn: roleArn, LogGroupArn: LOG_GROUP('/aws/workmail/events') }));
      assert.deepEqual(
        (({ RoleArn, LogGroupArn }) => ({ RoleArn, LogGroupArn }))(await wm.send(new DescribeEmailMonitoringConfigurationCommand({ OrganizationId: orgId }))),
        { RoleArn: roleArn, LogGroupArn: LOG_GROUP('/aws/workmail/events') },
      );
      await wm.send(new PutEmailMonitoringConfigurationCommand({ OrganizationId: orgId, LogGroupArn: LOG_GROUP('other-group') }));
      const replaced = await wm.send(new DescribeEmailMonitoringConfigurationCommand({ OrganizationId: orgId }));
      assert.equal(replaced.LogGroupArn, LOG_GROUP('other-group'));
      assert.equal(replaced.RoleArn, undefined, 'a Put replaces the whole configuration');

      await wm.send(new DeleteEmailMonitoringConfigurationCommand({ OrganizationId: orgId }));
      await rejectsWithWorkMail(wm.send(new DescribeEmailMonitoringConfigurationCommand({ OrganizationId: orgId })), 'ResourceNotFoundException', /not configured/);
      await wm.send(new DeleteEmailMonitoringConfigurationCommand({ OrganizationId: orgId }));

      await rejectsWithWorkMail(
        wm.send(new PutEmailMonitoringConfigurationCommand({ OrganizationId: orgId, LogGroupArn: `arn:aws:logs:us-east-1:${ROLE}:log-group:no-star` })),
        'InvalidParameterException',
        /at 'logGroupArn' failed to satisfy constraint/,
      );
      await rejectsWithWorkMail(
        wm.send(new PutEmailMonitoringConfigurationCommand({ OrganizationId: orgId, RoleArn: `arn:aws:iam::${ROLE}:user/alice`, LogGroupArn: LOG_GROUP('g') })),
        'InvalidParameterException',
        /not the ARN of an IAM role/,
      );
      await rejectsWithWorkMail(wm.send(new DescribeEmailMonitoringConfigurationCommand({ OrganizationId: orgId })), 'ResourceNotFoundException');
    });

    test('inbound DMARC: not enforced until put', async () => {
      assert.equal((await wm.send(new DescribeInboundDmarcSettingsCommand({ OrganizationId: orgId }))).Enforced, false);
      await wm.send(new PutInboundDmarcSettingsCommand({ OrganizationId: orgId, Enforced: true }));
      assert.equal((await wm.send(new DescribeInboundDmarcSettingsCommand({ OrganizationId: orgId }))).Enforced, true);
      await wm.send(new PutInboundDmarcSettingsCommand({ OrganizationId: orgId, Enforced: false }));
      assert.equal((await wm.send(new DescribeInboundDmarcSettingsCommand({ OrganizationId: orgId }))).Enforced, false);
    });

    test('settings are per organization, and need an active one', async () => {
      const other = (await wm.send(new CreateOrganizationCommand({ Alias: 'settings-other' }))).OrganizationId!;
      await wm.send(new PutInboundDmarcSettingsCommand({ OrganizationId: other, Enforced: true }));
      await wm.send(new PutRetentionPolicyCommand({ OrganizationId: other, Name: 'other', FolderConfigurations: [] }));
      assert.equal((await wm.send(new DescribeInboundDmarcSettingsCommand({ OrganizationId: orgId }))).Enforced, false);
      await rejectsWithWorkMail(wm.send(new GetDefaultRetentionPolicyCommand({ OrganizationId: orgId })), 'EntityNotFoundException');

      await wm.send(new DeleteOrganizationCommand({ OrganizationId: other, DeleteDirectory: true }));
      await rejectsWithWorkMail(wm.send(new DescribeInboundDmarcSettingsCommand({ OrganizationId: other })), 'OrganizationStateException');
      await rejectsWithWorkMail(wm.send(new PutRetentionPolicyCommand({ OrganizationId: other, Name: 'x', FolderConfigurations: [] })), 'OrganizationStateException');
      const missing = 'm-' + 'a'.repeat(32);
      await rejectsWithWorkMail(wm.send(new PutInboundDmarcSettingsCommand({ OrganizationId: missing, Enforced: true })), 'OrganizationNotFoundException');
      await rejectsWithWorkMail(wm.send(new DescribeEmailMonitoringConfigurationCommand({ OrganizationId: missing })), 'OrganizationNotFoundException');
    });
  });
}
