// Aliases of users, groups and resources: CreateAlias, DeleteAlias, ListAliases.
import { createAlias, deleteAlias, listAliases } from '../../workmail/aliases.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import type { ApiOperation } from '../operation.ts';
import { wmOrg } from './operation.ts';

export const aliasesOperations: ApiOperation[] = [
  wmOrg('CreateAlias', async (input, ctx) => {
    await createAlias(ctx.db, input.OrganizationId, input.EntityId, input.Alias);
    return {};
  }),
  wmOrg('DeleteAlias', async (input, ctx) => {
    await deleteAlias(ctx.db, input.OrganizationId, input.EntityId, input.Alias);
    return {};
  }),
  wmOrg('ListAliases', async (input, ctx) => {
    const page = await listAliases(ctx.db, input.OrganizationId, input.EntityId, tokenRequest(input));
    return { Aliases: page.items, NextToken: page.nextToken };
  }),
];
