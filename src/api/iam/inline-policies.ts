// Inline policies of users and groups: PutUserPolicy, GetUserPolicy, DeleteUserPolicy,
// ListUserPolicies, PutGroupPolicy, GetGroupPolicy, DeleteGroupPolicy, ListGroupPolicies.
import { getGroup } from '../../iam/groups.ts';
import { deleteInlinePolicy, getInlinePolicy, listInlinePolicyNames, putInlinePolicy, type InlineOwner } from '../../iam/inline-policies.ts';
import { getUser } from '../../iam/users.ts';
import { pageRequest, pageResult } from '../../store/page.ts';
import { operation, type ApiContext } from '../operation.ts';
import { groupArn } from './groups.ts';
import { urlEncodeDocument } from './policies.ts';
import { userArn } from './users.ts';

const iam = (name: string, resource: Parameters<typeof operation>[2], run: Parameters<typeof operation>[3]) =>
  operation('iam', name, resource, run);

async function userOwner(ctx: ApiContext, userName: string): Promise<InlineOwner> {
  const row = await getUser(ctx.db, ctx.principal.accountId, userName);
  return { type: 'user', id: row.id, name: row.name };
}

async function groupOwner(ctx: ApiContext, groupName: string): Promise<InlineOwner> {
  const row = await getGroup(ctx.db, ctx.principal.accountId, groupName);
  return { type: 'group', id: row.id, name: row.name };
}

export const inlinePoliciesOperations = [
  iam(
    'PutUserPolicy',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      await putInlinePolicy(ctx.db, await userOwner(ctx, input.UserName), input.PolicyName, input.PolicyDocument);
      return {};
    },
  ),
  iam(
    'GetUserPolicy',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      const owner = await userOwner(ctx, input.UserName);
      const policy = await getInlinePolicy(ctx.db, owner, input.PolicyName);
      return { UserName: owner.name, PolicyName: policy.name, PolicyDocument: urlEncodeDocument(policy.document) };
    },
  ),
  iam(
    'DeleteUserPolicy',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      await deleteInlinePolicy(ctx.db, await userOwner(ctx, input.UserName), input.PolicyName);
      return {};
    },
  ),
  iam(
    'ListUserPolicies',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      const page = await listInlinePolicyNames(ctx.db, await userOwner(ctx, input.UserName), pageRequest(input));
      return { PolicyNames: page.items, ...pageResult(page) };
    },
  ),
  iam(
    'PutGroupPolicy',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      await putInlinePolicy(ctx.db, await groupOwner(ctx, input.GroupName), input.PolicyName, input.PolicyDocument);
      return {};
    },
  ),
  iam(
    'GetGroupPolicy',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      const owner = await groupOwner(ctx, input.GroupName);
      const policy = await getInlinePolicy(ctx.db, owner, input.PolicyName);
      return { GroupName: owner.name, PolicyName: policy.name, PolicyDocument: urlEncodeDocument(policy.document) };
    },
  ),
  iam(
    'DeleteGroupPolicy',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      await deleteInlinePolicy(ctx.db, await groupOwner(ctx, input.GroupName), input.PolicyName);
      return {};
    },
  ),
  iam(
    'ListGroupPolicies',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      const page = await listInlinePolicyNames(ctx.db, await groupOwner(ctx, input.GroupName), pageRequest(input));
      return { PolicyNames: page.items, ...pageResult(page) };
    },
  ),
];
