// Resources (rooms, equipment): CreateResource, DescribeResource, ListResources,
// UpdateResource, DeleteResource, and their delegates: AssociateDelegateToResource,
// DisassociateDelegateFromResource, ListResourceDelegates.
import { listEntities } from '../../workmail/entities.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import {
  addDelegate,
  createResource,
  deleteResource,
  describeResource,
  listDelegates,
  removeDelegate,
  resourceView,
  updateResource,
} from '../../workmail/resources.ts';
import type { WmEntitiesTable } from '../../store/schema.ts';
import type { ApiOperation } from '../operation.ts';
import { wmOrg } from './operation.ts';

const date = (iso: string | null) => (iso ? new Date(iso) : undefined);

function resourceSummary(resource: WmEntitiesTable) {
  const view = resourceView(resource);
  return {
    Id: resource.id,
    Email: resource.email ?? undefined,
    Name: resource.name,
    Type: view.type,
    State: resource.state,
    EnabledDate: date(resource.enabled_at),
    DisabledDate: date(resource.disabled_at),
    Description: view.description,
  };
}

export const resourcesOperations: ApiOperation[] = [
  wmOrg('CreateResource', async (input, ctx) => {
    const resource = await createResource(
      ctx.db,
      input.OrganizationId,
      { name: input.Name, type: input.Type, description: input.Description, hidden: input.HiddenFromGlobalAddressList ?? false },
      ctx.facts.now,
    );
    return { ResourceId: resource.id };
  }),
  wmOrg('DescribeResource', async (input, ctx) => {
    const resource = await describeResource(ctx.db, input.OrganizationId, input.ResourceId);
    const { Id, ...summary } = resourceSummary(resource);
    return {
      ResourceId: Id,
      ...summary,
      BookingOptions: resourceView(resource).bookingOptions,
      HiddenFromGlobalAddressList: resource.hidden === 1,
    };
  }),
  wmOrg('ListResources', async (input, ctx) => {
    const filters = input.Filters ?? {};
    const page = await listEntities(
      ctx.db,
      input.OrganizationId,
      'RESOURCE',
      { namePrefix: filters.NamePrefix, primaryEmailPrefix: filters.PrimaryEmailPrefix, state: filters.State },
      tokenRequest(input),
    );
    return { Resources: page.items.map(resourceSummary), NextToken: page.nextToken };
  }),
  wmOrg('UpdateResource', async (input, ctx) => {
    await updateResource(ctx.db, input.OrganizationId, input.ResourceId, {
      name: input.Name,
      type: input.Type,
      description: input.Description,
      bookingOptions: input.BookingOptions,
      hidden: input.HiddenFromGlobalAddressList,
    });
    return {};
  }),
  wmOrg('DeleteResource', async (input, ctx) => {
    await deleteResource(ctx.db, input.OrganizationId, input.ResourceId, ctx.facts.now);
    return {};
  }),
  wmOrg('AssociateDelegateToResource', async (input, ctx) => {
    await addDelegate(ctx.db, input.OrganizationId, input.ResourceId, input.EntityId, ctx.facts.now);
    return {};
  }),
  wmOrg('DisassociateDelegateFromResource', async (input, ctx) => {
    await removeDelegate(ctx.db, input.OrganizationId, input.ResourceId, input.EntityId);
    return {};
  }),
  wmOrg('ListResourceDelegates', async (input, ctx) => {
    const page = await listDelegates(ctx.db, input.OrganizationId, input.ResourceId, tokenRequest(input));
    return { Delegates: page.items.map((delegate) => ({ Id: delegate.id, Type: delegate.type })), NextToken: page.nextToken };
  }),
];
