// Managed policy attachments: AttachUserPolicy, DetachUserPolicy, ListAttachedUserPolicies,
// AttachGroupPolicy, DetachGroupPolicy, ListAttachedGroupPolicies, ListEntitiesForPolicy.
import { attachManagedPolicy, detachPolicy, listAttachedPolicies, listEntitiesForPolicy } from '../../iam/attachments.ts';
import { resolvePolicy } from '../../iam/policies.ts';
import { pageRequest, pageResult } from '../../iam/pages.ts';
import { operation } from '../operation.ts';
import { groupArn } from './groups.ts';
import { userArn } from './users.ts';

const iam = (name: string, resource: Parameters<typeof operation>[2], run: Parameters<typeof operation>[3]) =>
  operation('iam', name, resource, run);

export const attachmentsOperations = [
  iam(
    'AttachUserPolicy',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      await attachManagedPolicy(ctx.db, ctx.principal.accountId, { type: 'user', name: input.UserName }, input.PolicyArn, ctx.facts.now);
      return {};
    },
  ),
  iam(
    'DetachUserPolicy',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      await detachPolicy(ctx.db, ctx.principal.accountId, { type: 'user', name: input.UserName }, input.PolicyArn);
      return {};
    },
  ),
  iam(
    'ListAttachedUserPolicies',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      const page = await listAttachedPolicies(ctx.db, ctx.principal.accountId, { type: 'user', name: input.UserName }, input.PathPrefix, pageRequest(input));
      return { AttachedPolicies: page.items, ...pageResult(page) };
    },
  ),
  iam(
    'AttachGroupPolicy',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      await attachManagedPolicy(ctx.db, ctx.principal.accountId, { type: 'group', name: input.GroupName }, input.PolicyArn, ctx.facts.now);
      return {};
    },
  ),
  iam(
    'DetachGroupPolicy',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      await detachPolicy(ctx.db, ctx.principal.accountId, { type: 'group', name: input.GroupName }, input.PolicyArn);
      return {};
    },
  ),
  iam(
    'ListAttachedGroupPolicies',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      const page = await listAttachedPolicies(ctx.db, ctx.principal.accountId, { type: 'group', name: input.GroupName }, input.PathPrefix, pageRequest(input));
      return { AttachedPolicies: page.items, ...pageResult(page) };
    },
  ),
  iam(
    'ListEntitiesForPolicy',
    (input) => input.PolicyArn,
    async (input, ctx) => {
      await resolvePolicy(ctx.db, ctx.principal.accountId, input.PolicyArn);
      const result = await listEntitiesForPolicy(
        ctx.db,
        ctx.principal.accountId,
        input.PolicyArn,
        { entityFilter: input.EntityFilter, pathPrefix: input.PathPrefix },
        pageRequest(input),
      );
      return { ...result.entities, IsTruncated: result.isTruncated, Marker: result.next };
    },
  ),
];
