// IAM groups: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, AddUserToGroup,
// RemoveUserFromGroup, ListGroupsForUser.
import { iamArn } from '../../iam/arn.ts';
import {
  addUserToGroup,
  createGroup,
  deleteGroup,
  findGroup,
  getGroup,
  groupFromRow,
  listGroupMembers,
  listGroups,
  listGroupsForUser,
  removeUserFromGroup,
  updateGroup,
} from '../../iam/groups.ts';
import { getUser, userFromRow } from '../../iam/users.ts';
import { pageRequest, pageResult } from '../../iam/pages.ts';
import { operation, type ApiContext, type ApiOperation } from '../operation.ts';
import { userArn } from './users.ts';

const iam = (name: string, resource: Parameters<typeof operation>[2], run: Parameters<typeof operation>[3]) =>
  operation('iam', name, resource, run);

/** The ARN of a named group, with its real path when it exists (AWS reports the path in denials). */
export async function groupArn(ctx: ApiContext, groupName: string): Promise<string> {
  const path = (await findGroup(ctx.db, ctx.principal.accountId, groupName))?.path;
  return iamArn(ctx.principal.accountId, 'group', path ?? '/', groupName);
}

export const groupsOperations: ApiOperation[] = [
  iam(
    'CreateGroup',
    (input, ctx) => iamArn(ctx.principal.accountId, 'group', input.Path ?? '/', input.GroupName),
    async (input, ctx) => {
      const row = await createGroup(ctx.db, ctx.principal.accountId, { groupName: input.GroupName, path: input.Path }, ctx.facts.now);
      return { Group: groupFromRow(row) };
    },
  ),
  iam(
    'GetGroup',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      const group = await getGroup(ctx.db, ctx.principal.accountId, input.GroupName);
      const page = await listGroupMembers(ctx.db, group.id, pageRequest(input));
      return { Group: groupFromRow(group), Users: page.items.map(userFromRow), ...pageResult(page) };
    },
  ),
  iam(
    'ListGroups',
    (_input, ctx) => iamArn(ctx.principal.accountId, 'group', '/', ''),
    async (input, ctx) => {
      const page = await listGroups(ctx.db, ctx.principal.accountId, input.PathPrefix, pageRequest(input));
      return { Groups: page.items.map(groupFromRow), ...pageResult(page) };
    },
  ),
  iam(
    'UpdateGroup',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      await updateGroup(ctx.db, ctx.principal.accountId, input.GroupName, { newGroupName: input.NewGroupName, newPath: input.NewPath });
      return {};
    },
  ),
  iam(
    'DeleteGroup',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      await deleteGroup(ctx.db, ctx.principal.accountId, input.GroupName);
      return {};
    },
  ),
  iam(
    'AddUserToGroup',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      await addUserToGroup(ctx.db, ctx.principal.accountId, input.GroupName, input.UserName, ctx.facts.now);
      return {};
    },
  ),
  iam(
    'RemoveUserFromGroup',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      await removeUserFromGroup(ctx.db, ctx.principal.accountId, input.GroupName, input.UserName);
      return {};
    },
  ),
  iam(
    'ListGroupsForUser',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      const user = await getUser(ctx.db, ctx.principal.accountId, input.UserName);
      const page = await listGroupsForUser(ctx.db, user.id, pageRequest(input));
      return { Groups: page.items.map(groupFromRow), ...pageResult(page) };
    },
  ),
];
