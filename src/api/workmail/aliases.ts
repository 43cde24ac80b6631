// Aliases of users, groups and resources: CreateAlias, DeleteAlias, ListAliases.
import { createAlias, deleteAlias, listAliases } from '../../workmail/aliases.ts';
import { requireActiveOrganization } from '../../workmail/organizations.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import type { ApiOperation } from '../operation.ts';
import { wm } from './operation.ts';

export const aliasesOperations: ApiOperation[] = [
  wm('CreateAlias', async (input, ctx) => {
    await requireActiveOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId);
    await createAlias(ctx.db, input.OrganizationId, input.EntityId, input.Alias);
    return {};
  }),
  wm('DeleteAlias', async (input, ctx) => {
    await requireActiveOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId);
    await deleteAlias(ctx.db, input.OrganizationId, input.EntityId, input.Alias);
    return {};
  }),
  wm('ListAliases', async (input, ctx) => {
    await requireActiveOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId);
    const page = await listAliases(ctx.db, input.OrganizationId, input.EntityId, tokenRequest(input));
    return { Aliases: page.items, NextToken: page.nextToken };
  }),
];
