// Managed policy attachments: AttachUserPolicy, DetachUserPolicy, ListAttachedUserPolicies,
// AttachGroupPolicy, DetachGroupPolicy, ListAttachedGroupPolicies, ListEntitiesForPolicy.
import { attachManagedPolicy, detachPolicy, listAttachedPolicies, listEntitiesForPolicy } from '../../iam/attachments.ts';
import { getGroup } from '../../iam/groups.ts';
import { resolvePolicy } from '../../iam/policies.ts';
import { getUser } from '../../iam/users.ts';
import { pageRequest, pageResult } from '../../store/page.ts';
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
      const user = await getUser(ctx.db, ctx.principal.accountId, input.UserName);
      await attachManagedPolicy(ctx.db, ctx.principal.accountId, 'user', user.id, input.PolicyArn, ctx.facts.now);
      return {};
    },
  ),
  iam(
    'DetachUserPolicy',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      const user = await getUser(ctx.db, ctx.principal.accountId, input.UserName);
      await detachPolicy(ctx.db, 'user', user.id, input.PolicyArn);
      return {};
    },
  ),
  iam(
    'ListAttachedUserPolicies',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      const user = await getUser(ctx.db, ctx.principal.accountId, input.UserName);
      const page = await listAttachedPolicies(ctx.db, 'user', user.id, input.PathPrefix, pageRequest(input));
      return { AttachedPolicies: page.items, ...pageResult(page) };
    },
  ),
  iam(
    'AttachGroupPolicy',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      const group = await getGroup(ctx.db, ctx.principal.accountId, input.GroupName);
      await attachManagedPolicy(ctx.db, ctx.principal.accountId, 'group', group.id, input.PolicyArn, ctx.facts.now);
      return {};
    },
  ),
  iam(
    'DetachGroupPolicy',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      const group = await getGroup(ctx.db, ctx.principal.accountId, input.GroupName);
      await detachPolicy(ctx.db, 'group', group.id, input.PolicyArn);
      return {};
    },
  ),
  iam(
    'ListAttachedGroupPolicies',
    (input, ctx) => groupArn(ctx, input.GroupName),
    async (input, ctx) => {
      const group = await getGroup(ctx.db, ctx.principal.accountId, input.GroupName);
      const page = await listAttachedPolicies(ctx.db, 'group', group.id, input.PathPrefix, pageRequest(input));
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
      return { ...result.entities, IsTruncated: result.isTruncated, Marker: result.marker };
    },
  ),
];
