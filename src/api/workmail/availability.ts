// Availability configurations: Create/Update/Delete/List/TestAvailabilityConfiguration.
// Listings never carry the EWS password (WorkMail's RedactedEwsAvailabilityProvider).
import {
  createAvailabilityConfiguration,
  deleteAvailabilityConfiguration,
  listAvailabilityConfigurations,
  testAvailabilityConfiguration,
  updateAvailabilityConfiguration,
} from '../../workmail/availability.ts';
import { requireActiveOrganization } from '../../workmail/organizations.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import type { ApiContext, ApiOperation, Input } from '../operation.ts';
import { wm } from './operation.ts';

const inOrganization = (run: (input: Input, ctx: ApiContext) => Promise<unknown>) => async (input: Input, ctx: ApiContext) => {
  await requireActiveOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId);
  return run(input, ctx);
};

export const availabilityOperations: ApiOperation[] = [
  wm(
    'CreateAvailabilityConfiguration',
    inOrganization(async (input, ctx) => {
      await createAvailabilityConfiguration(
        ctx.db,
        ctx.box,
        input.OrganizationId,
        { domain: input.DomainName, ews: input.EwsProvider, lambda: input.LambdaProvider, clientToken: input.ClientToken },
        ctx.facts.now,
      );
      return {};
    }),
  ),
  wm(
    'UpdateAvailabilityConfiguration',
    inOrganization(async (input, ctx) => {
      await updateAvailabilityConfiguration(ctx.db, ctx.box, input.OrganizationId, input.DomainName, { ews: input.EwsProvider, lambda: input.LambdaProvider }, ctx.facts.now);
      return {};
    }),
  ),
  wm(
    'DeleteAvailabilityConfiguration',
    inOrganization(async (input, ctx) => {
      await deleteAvailabilityConfiguration(ctx.db, input.OrganizationId, input.DomainName);
      return {};
    }),
  ),
  wm(
    'ListAvailabilityConfigurations',
    inOrganization(async (input, ctx) => {
      const page = await listAvailabilityConfigurations(ctx.db, input.OrganizationId, tokenRequest(input));
      return {
        AvailabilityConfigurations: page.items.map((row) => ({
          DomainName: row.domain,
          ProviderType: row.provider_type,
          EwsProvider: { EwsEndpoint: row.ews_endpoint, EwsUsername: row.ews_username },
          DateCreated: new Date(row.created_at),
          DateModified: new Date(row.modified_at),
        })),
        NextToken: page.nextToken,
      };
    }),
  ),
  wm(
    'TestAvailabilityConfiguration',
    inOrganization(async (input, ctx) => {
      const result = await testAvailabilityConfiguration(ctx.db, ctx.box, input.OrganizationId, {
        domain: input.DomainName,
        ews: input.EwsProvider,
        lambda: input.LambdaProvider,
      });
      return { TestPassed: result.passed, FailureReason: result.reason };
    }),
  ),
];
