// Resources (rooms, equipment): CreateResource, DescribeResource, ListResources,
// UpdateResource, DeleteResource, and their delegates: AssociateDelegateToResource,
// DisassociateDelegateFromResource, ListResourceDelegates.
import { listEntities } from '../../workmail/entities.ts';
import { requireActiveOrganization } from '../../workmail/organizations.ts';
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
import type { ApiContext, ApiOperation, Input } from '../operation.ts';
import { wm } from './operation.ts';

const date = (iso: string | null) => (iso ? new Date(iso) : undefined);

/** Every resource operation acts inside an Active organization of the caller's account. */
async function activeOrg(input: Input, ctx: ApiContext): Promise<string> {
  await requireActiveOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId);
  return input.OrganizationId;
}

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
  wm('CreateResource', async (input, ctx) => {
    const resource = await createResource(
      ctx.db,
      await activeOrg(input, ctx),
      { name: input.Name, type: input.Type, description: input.Description, hidden: input.HiddenFromGlobalAddressList ?? false },
      ctx.facts.now,
    );
    return { ResourceId: resource.id };
  }),
  wm('DescribeResource', async (input, ctx) => {
    const resource = await describeResource(ctx.db, await activeOrg(input, ctx), input.ResourceId);
    const { Id, ...summary } = resourceSummary(resource);
    return {
      ResourceId: Id,
      ...summary,
      BookingOptions: resourceView(resource).bookingOptions,
      HiddenFromGlobalAddressList: resource.hidden === 1,
    };
  }),
  wm('ListResources', async (input, ctx) => {
    const filters = input.Filters ?? {};
    const page = await listEntities(
      ctx.db,
      await activeOrg(input, ctx),
      'RESOURCE',
      { namePrefix: filters.NamePrefix, primaryEmailPrefix: filters.PrimaryEmailPrefix, state: filters.State },
      tokenRequest(input),
    );
    return { Resources: page.items.map(resourceSummary), NextToken: page.nextToken };
  }),
  wm('UpdateResource', async (input, ctx) => {
    await updateResource(ctx.db, await activeOrg(input, ctx), input.ResourceId, {
      name: input.Name,
      type: input.Type,
      description: input.Description,
      bookingOptions: input.BookingOptions,
      hidden: input.HiddenFromGlobalAddressList,
    });
    return {};
  }),
  wm('DeleteResource', async (input, ctx) => {
    await deleteResource(ctx.db, await activeOrg(input, ctx), input.ResourceId, ctx.facts.now);
    return {};
  }),
  wm('AssociateDelegateToResource', async (input, ctx) => {
    await addDelegate(ctx.db, await activeOrg(input, ctx), input.ResourceId, input.EntityId, ctx.facts.now);
    return {};
  }),
  wm('DisassociateDelegateFromResource', async (input, ctx) => {
    await removeDelegate(ctx.db, await activeOrg(input, ctx), input.ResourceId, input.EntityId);
    return {};
  }),
  wm('ListResourceDelegates', async (input, ctx) => {
    const page = await listDelegates(ctx.db, await activeOrg(input, ctx), input.ResourceId, tokenRequest(input));
    return { Delegates: page.items.map((delegate) => ({ Id: delegate.id, Type: delegate.type })), NextToken: page.nextToken };
  }),
];
