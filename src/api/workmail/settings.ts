// Organization settings: the retention policy (PutRetentionPolicy, GetDefaultRetentionPolicy,
// DeleteRetentionPolicy), email monitoring (Put/Describe/DeleteEmailMonitoringConfiguration)
// and inbound DMARC (PutInboundDmarcSettings, DescribeInboundDmarcSettings).
import { deleteEmailMonitoring, describeEmailMonitoring, inboundDmarcEnforced, putEmailMonitoring, putInboundDmarc } from '../../workmail/monitoring.ts';
import { deleteRetentionPolicy, getRetentionPolicy, putRetentionPolicy } from '../../workmail/retention.ts';
import type { ApiOperation } from '../operation.ts';
import { wmOrg } from './operation.ts';

export const settingsOperations: ApiOperation[] = [
  wmOrg('PutRetentionPolicy', async (input, ctx) => {
    await putRetentionPolicy(
      ctx.db,
      input.OrganizationId,
      { id: input.Id, name: input.Name, description: input.Description, folders: input.FolderConfigurations },
      ctx.facts.now,
    );
    return {};
  }),
  wmOrg('GetDefaultRetentionPolicy', async (input, ctx) => {
    const policy = await getRetentionPolicy(ctx.db, input.OrganizationId);
    return { Id: policy.id, Name: policy.name, Description: policy.description, FolderConfigurations: policy.folders };
  }),
  wmOrg('DeleteRetentionPolicy', async (input, ctx) => {
    await deleteRetentionPolicy(ctx.db, input.OrganizationId, input.Id);
    return {};
  }),
  wmOrg('PutEmailMonitoringConfiguration', async (input, ctx) => {
    await putEmailMonitoring(ctx.db, input.OrganizationId, { roleArn: input.RoleArn, logGroupArn: input.LogGroupArn });
    return {};
  }),
  wmOrg('DescribeEmailMonitoringConfiguration', async (input, ctx) => {
    const monitoring = await describeEmailMonitoring(ctx.db, input.OrganizationId);
    return { RoleArn: monitoring.roleArn, LogGroupArn: monitoring.logGroupArn };
  }),
  wmOrg('DeleteEmailMonitoringConfiguration', async (input, ctx) => {
    await deleteEmailMonitoring(ctx.db, input.OrganizationId);
    return {};
  }),
  wmOrg('PutInboundDmarcSettings', async (input, ctx) => {
    await putInboundDmarc(ctx.db, input.OrganizationId, input.Enforced);
    return {};
  }),
  wmOrg('DescribeInboundDmarcSettings', async (input, ctx) => ({ Enforced: await inboundDmarcEnforced(ctx.db, input.OrganizationId) })),
];
