// Inline policies of users and groups: PutUserPolicy, GetUserPolicy, DeleteUserPolicy,
// ListUserPolicies, PutGroupPolicy, GetGroupPolicy, DeleteGroupPolicy, ListGroupPolicies.
import type { EntityRef } from '../../iam/entities.ts';
import { deleteInlinePolicy, getInlinePolicy, listInlinePolicyNames, putInlinePolicy } from '../../iam/inline-policies.ts';
import { pageRequest, pageResult } from '../../iam/pages.ts';
import { operation } from '../operation.ts';
import { groupArn } from './groups.ts';
import { urlEncodeDocument } from './policies.ts';
import { userArn } from './users.ts';

const iam = (name: string, resource: Parameters<typeof operation>[2], run: Parameters<typeof operation>[3]) =>
  operation('iam', name, resource, run);

const userOwner = (userName: string): EntityRef => ({ type: 'user', name: userName });
const groupOwner = (groupName: string): EntityRef => ({ type: 'group', name: groupName });

export const inlinePoliciesOperations = [
  iam(
    'PutUserPolicy',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      await putInlinePolicy(ctx.db, ctx.principal.accountId, userOwner(input.UserName), input.PolicyName, input.PolicyDocument);
      return {};
    },
  ),
  iam(
    'GetUserPolicy',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      const policy = await getInlinePolicy(ctx.db, ctx.principal.accountId, userOwner(input.UserName), input.PolicyName);
      return { UserName: policy.owner.name, PolicyName: policy.name, PolicyDocument: urlEncodeDocument(policy.document) };
    },
  ),
  iam(
    'DeleteUserPolicy',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      await deleteInlinePolicy(ctx.db, ctx.principal.accountId, userOwner(input.UserName), input.PolicyName);
      return {};
    },
  ),
  iam(
    'ListUserPolicies',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      const page = await listInlinePolicyNames(ctx.db, ctx.principal.accountId, userOwner(input.UserName), pageRequest(input));
      return { PolicyNames: page.items, ...pageResult(page) };
    },
  ),
  iam(
    'PutGroupPolicy',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      await putInlinePolicy(ctx.db, ctx.principal.accountId, groupOwner(input.GroupName), input.PolicyName, input.PolicyDocument);
      return {};
    },
  ),
  iam(
    'GetGroupPolicy',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      const policy = await getInlinePolicy(ctx.db, ctx.principal.accountId, groupOwner(input.GroupName), input.PolicyName);
      return { GroupName: policy.owner.name, PolicyName: policy.name, PolicyDocument: urlEncodeDocument(policy.document) };
    },
  ),
  iam(
    'DeleteGroupPolicy',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      await deleteInlinePolicy(ctx.db, ctx.principal.accountId, groupOwner(input.GroupName), input.PolicyName);
      return {};
    },
  ),
  iam(
    'ListGroupPolicies',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      const page = await listInlinePolicyNames(ctx.db, ctx.principal.accountId, groupOwner(input.GroupName), pageRequest(input));
      return { PolicyNames: page.items, ...pageResult(page) };
    },
  ),
];
