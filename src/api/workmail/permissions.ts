// Mailbox permissions: PutMailboxPermissions, DeleteMailboxPermissions, ListMailboxPermissions.
import { deleteMailboxPermissions, listMailboxPermissions, putMailboxPermissions } from '../../workmail/mailbox-permissions.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import type { ApiOperation } from '../operation.ts';
import { wmOrg } from './operation.ts';

export const permissionsOperations: ApiOperation[] = [
  wmOrg('PutMailboxPermissions', async (input, ctx) => {
    await putMailboxPermissions(ctx.db, input.OrganizationId, input.EntityId, input.GranteeId, input.PermissionValues);
    return {};
  }),
  wmOrg('DeleteMailboxPermissions', async (input, ctx) => {
    await deleteMailboxPermissions(ctx.db, input.OrganizationId, input.EntityId, input.GranteeId);
    return {};
  }),
  wmOrg('ListMailboxPermissions', async (input, ctx) => {
    const page = await listMailboxPermissions(ctx.db, input.OrganizationId, input.EntityId, tokenRequest(input));
    return {
      Permissions: page.items.map((grant) => ({ GranteeId: grant.granteeId, GranteeType: grant.granteeType, PermissionValues: grant.permissions })),
      NextToken: page.nextToken,
    };
  }),
];
