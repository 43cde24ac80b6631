// Organization settings: the retention policy (PutRetentionPolicy, GetDefaultRetentionPolicy,
// DeleteRetentionPolicy), email monitoring (Put/Describe/DeleteEmailMonitoringConfiguration)
// and inbound DMARC (PutInboundDmarcSettings, DescribeInboundDmarcSettings).
import { deleteEmailMonitoring, describeEmailMonitoring, inboundDmarcEnforced, putEmailMonitoring, putInboundDmarc } from '../../workmail/monitoring.ts';
import { requireActiveOrganization } from '../../workmail/organizations.ts';
import { deleteRetentionPolicy, getRetentionPolicy, putRetentionPolicy } from '../../workmail/retention.ts';
import type { ApiContext, ApiOperation, Input } from '../operation.ts';
import { wm } from './operation.ts';

/** Every settings call acts on an Active organization of the caller's account. */
const inOrganization = (run: (input: Input, ctx: ApiContext) => Promise<unknown>) => async (input: Input, ctx: ApiContext) => {
  await requireActiveOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId);
  return run(input, ctx);
};

export const settingsOperations: ApiOperation[] = [
  wm(
    'PutRetentionPolicy',
    inOrganization(async (input, ctx) => {
      await putRetentionPolicy(
        ctx.db,
        input.OrganizationId,
        { id: input.Id, name: input.Name, description: input.Description, folders: input.FolderConfigurations },
        ctx.facts.now,
      );
      return {};
    }),
  ),
  wm(
    'GetDefaultRetentionPolicy',
    inOrganization(async (input, ctx) => {
      const policy = await getRetentionPolicy(ctx.db, input.OrganizationId);
      return { Id: policy.id, Name: policy.name, Description: policy.description, FolderConfigurations: policy.folders };
    }),
  ),
  wm(
    'DeleteRetentionPolicy',
    inOrganization(async (input, ctx) => {
      await deleteRetentionPolicy(ctx.db, input.OrganizationId, input.Id);
      return {};
    }),
  ),
  wm(
    'PutEmailMonitoringConfiguration',
    inOrganization(async (input, ctx) => {
      await putEmailMonitoring(ctx.db, input.OrganizationId, { roleArn: input.RoleArn, logGroupArn: input.LogGroupArn });
      return {};
    }),
  ),
  wm(
    'DescribeEmailMonitoringConfiguration',
    inOrganization(async (input, ctx) => {
      const monitoring = await describeEmailMonitoring(ctx.db, input.OrganizationId);
      return { RoleArn: monitoring.roleArn, LogGroupArn: monitoring.logGroupArn };
    }),
  ),
  wm(
    'DeleteEmailMonitoringConfiguration',
    inOrganization(async (input, ctx) => {
      await deleteEmailMonitoring(ctx.db, input.OrganizationId);
      return {};
    }),
  ),
  wm(
    'PutInboundDmarcSettings',
    inOrganization(async (input, ctx) => {
      await putInboundDmarc(ctx.db, input.OrganizationId, input.Enforced);
      return {};
    }),
  ),
  wm('DescribeInboundDmarcSettings', inOrganization(async (input, ctx) => ({ Enforced: await inboundDmarcEnforced(ctx.db, input.OrganizationId) }))),
];
