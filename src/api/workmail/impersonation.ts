// Impersonation roles: CreateImpersonationRole, GetImpersonationRole, UpdateImpersonationRole,
// DeleteImpersonationRole, ListImpersonationRoles, GetImpersonationRoleEffect,
// AssumeImpersonationRole.
import { requireEnabled, requireEntity } from '../../workmail/entities.ts';
import {
  createImpersonationRole,
  deleteImpersonationRole,
  impersonationEffect,
  listImpersonationRoles,
  requireImpersonationRole,
  rulesOf,
  updateImpersonationRole,
  type ImpersonationRoleInput,
} from '../../workmail/impersonation.ts';
import { assumeImpersonationRole } from '../../workmail/impersonation-tokens.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import type { ApiOperation, Input } from '../operation.ts';
import { wmOrg } from './operation.ts';

const roleInput = (input: Input): ImpersonationRoleInput => ({
  name: input.Name,
  type: input.Type,
  description: input.Description,
  rules: input.Rules,
});

export const impersonationOperations: ApiOperation[] = [
  wmOrg('CreateImpersonationRole', async (input, ctx) => {
    const role = await createImpersonationRole(ctx.db, input.OrganizationId, { ...roleInput(input), clientToken: input.ClientToken }, ctx.facts.now);
    return { ImpersonationRoleId: role.id };
  }),
  wmOrg('GetImpersonationRole', async (input, ctx) => {
    const role = await requireImpersonationRole(ctx.db, input.OrganizationId, input.ImpersonationRoleId);
    return {
      ImpersonationRoleId: role.id,
      Name: role.name,
      Type: role.type,
      Description: role.description ?? undefined,
      Rules: rulesOf(role),
      DateCreated: new Date(role.created_at),
      DateModified: new Date(role.modified_at),
    };
  }),
  wmOrg('UpdateImpersonationRole', async (input, ctx) => {
    await updateImpersonationRole(ctx.db, input.OrganizationId, input.ImpersonationRoleId, roleInput(input), ctx.facts.now);
    return {};
  }),
  wmOrg('DeleteImpersonationRole', async (input, ctx) => {
    await deleteImpersonationRole(ctx.db, input.OrganizationId, input.ImpersonationRoleId);
    return {};
  }),
  wmOrg('ListImpersonationRoles', async (input, ctx) => {
    const page = await listImpersonationRoles(ctx.db, input.OrganizationId, tokenRequest(input, 20));
    return {
      Roles: page.items.map((role) => ({
        ImpersonationRoleId: role.id,
        Name: role.name,
        Type: role.type,
        DateCreated: new Date(role.created_at),
        DateModified: new Date(role.modified_at),
      })),
      NextToken: page.nextToken,
    };
  }),
  wmOrg('GetImpersonationRoleEffect', async (input, ctx) => {
    const role = await requireImpersonationRole(ctx.db, input.OrganizationId, input.ImpersonationRoleId);
    const target = await requireEntity(ctx.db, input.OrganizationId, input.TargetUser, 'USER');
    requireEnabled(target);
    const decision = impersonationEffect(rulesOf(role), target.id);
    return { Type: role.type, Effect: decision.effect, MatchedRules: decision.matchedRules };
  }),
  wmOrg('AssumeImpersonationRole', async (input, ctx) => {
    const assumed = await assumeImpersonationRole(ctx.db, input.OrganizationId, input.ImpersonationRoleId, ctx.facts.now);
    return { Token: assumed.token, ExpiresIn: assumed.expiresIn };
  }),
];
