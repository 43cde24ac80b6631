// WorkMail operations are authorized as `workmail:<Operation>` on the organization's ARN
// (`*` for the calls that name no organization), as AWS's WorkMail authorization reference says.
import { organizationArn } from '../../workmail/ids.ts';
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
