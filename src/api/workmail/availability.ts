// Availability configurations: Create/Update/Delete/List/TestAvailabilityConfiguration.
// Listings never carry the EWS password (WorkMail's RedactedEwsAvailabilityProvider).
import {
  createAvailabilityConfiguration,
  deleteAvailabilityConfiguration,
  listAvailabilityConfigurations,
  testAvailabilityConfiguration,
  updateAvailabilityConfiguration,
} from '../../workmail/availability.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import type { ApiOperation } from '../operation.ts';
import { wmOrg } from './operation.ts';

export const availabilityOperations: ApiOperation[] = [
  wmOrg('CreateAvailabilityConfiguration', async (input, ctx) => {
    await createAvailabilityConfiguration(
      ctx.db,
      ctx.box,
      input.OrganizationId,
      { domain: input.DomainName, ews: input.EwsProvider, lambda: input.LambdaProvider, clientToken: input.ClientToken },
      ctx.facts.now,
    );
    return {};
  }),
  wmOrg('UpdateAvailabilityConfiguration', async (input, ctx) => {
    await updateAvailabilityConfiguration(ctx.db, ctx.box, input.OrganizationId, input.DomainName, { ews: input.EwsProvider, lambda: input.LambdaProvider }, ctx.facts.now);
    return {};
  }),
  wmOrg('DeleteAvailabilityConfiguration', async (input, ctx) => {
    await deleteAvailabilityConfiguration(ctx.db, input.OrganizationId, input.DomainName);
    return {};
  }),
  wmOrg('ListAvailabilityConfigurations', async (input, ctx) => {
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
  wmOrg('TestAvailabilityConfiguration', async (input, ctx) => {
    const result = await testAvailabilityConfiguration(ctx.db, ctx.box, input.OrganizationId, {
      domain: input.DomainName,
      ews: input.EwsProvider,
      lambda: input.LambdaProvider,
    });
    return { TestPassed: result.passed, FailureReason: result.reason };
  }),
];
