// WorkMail operations are authorized as `workmail:<Operation>` on the organization's ARN
// (`*` for the calls that name no organization), as AWS's WorkMail authorization reference says.
import type { WmOrganizationsTable } from '../../store/schema.ts';
import { organizationArn } from '../../workmail/ids.ts';
import { requireActiveOrganization } from '../../workmail/organizations.ts';
import { operation, type ApiContext, type ApiOperation, type Input } from '../operation.ts';

export function orgArn(ctx: ApiContext, organizationId: string): string {
  return organizationArn(ctx.region, ctx.principal.accountId, organizationId);
}

export function wm(
  name: string,
  run: ApiOperation['run'],
  options: { resource?: ApiOperation['resource'] } = {},
): ApiOperation {
  const resource = options.resource ?? ((input: Input, ctx: ApiContext) => (input.OrganizationId ? orgArn(ctx, input.OrganizationId) : '*'));
  return operation('workmail', name, resource, run);
}

/**
 * An operation inside one organization (its input names OrganizationId): the organization must
 * be the caller's (OrganizationNotFoundException) and Active (OrganizationStateException)
 * before the handler runs, and the handler receives it.
 */
export function wmOrg(
  name: string,
  run: (input: Input, ctx: ApiContext, org: WmOrganizationsTable) => Promise<unknown>,
  options: { resource?: ApiOperation['resource'] } = {},
): ApiOperation {
  return wm(name, async (input, ctx) => run(input, ctx, await requireActiveOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId)), options);
}
