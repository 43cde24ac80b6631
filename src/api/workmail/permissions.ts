// Mailbox permissions: PutMailboxPermissions, DeleteMailboxPermissions, ListMailboxPermissions.
import { deleteMailboxPermissions, listMailboxPermissions, putMailboxPermissions } from '../../workmail/mailbox-permissions.ts';
import { requireActiveOrganization } from '../../workmail/organizations.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import type { ApiOperation } from '../operation.ts';
import { wm } from './operation.ts';

export const permissionsOperations: ApiOperation[] = [
  wm('PutMailboxPermissions', async (input, ctx) => {
    await requireActiveOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId);
    await putMailboxPermissions(ctx.db, input.OrganizationId, input.EntityId, input.GranteeId, input.PermissionValues);
    return {};
  }),
  wm('DeleteMailboxPermissions', async (input, ctx) => {
    await requireActiveOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId);
    await deleteMailboxPermissions(ctx.db, input.OrganizationId, input.EntityId, input.GranteeId);
    return {};
  }),
  wm('ListMailboxPermissions', async (input, ctx) => {
    await requireActiveOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId);
    const page = await listMailboxPermissions(ctx.db, input.OrganizationId, input.EntityId, tokenRequest(input));
    return {
      Permissions: page.items.map((grant) => ({ GranteeId: grant.granteeId, GranteeType: grant.granteeType, PermissionValues: grant.permissions })),
      NextToken: page.nextToken,
    };
  }),
];
