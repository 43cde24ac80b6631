// Access control rules: PutAccessControlRule, DeleteAccessControlRule, ListAccessControlRules,
// GetAccessControlEffect.
import { deleteAccessControlRule, listAccessControlRules, putAccessControlRule, type StoredAccessControlRule } from '../../workmail/access-control-rules.ts';
import { decideAccess } from '../../workmail/access-decision.ts';
import type { ApiOperation } from '../operation.ts';
import { wmOrg } from './operation.ts';

const describeRule = (rule: StoredAccessControlRule) => ({
  Name: rule.name,
  Effect: rule.effect,
  Description: rule.description,
  IpRanges: rule.ipRanges,
  NotIpRanges: rule.notIpRanges,
  Actions: rule.actions,
  NotActions: rule.notActions,
  UserIds: rule.userIds,
  NotUserIds: rule.notUserIds,
  ImpersonationRoleIds: rule.impersonationRoleIds,
  NotImpersonationRoleIds: rule.notImpersonationRoleIds,
  DateCreated: rule.createdAt,
  DateModified: rule.modifiedAt,
});

export const accessRulesOperations: ApiOperation[] = [
  wmOrg('PutAccessControlRule', async (input, ctx, org) => {
    await putAccessControlRule(
      ctx.db,
      org.id,
      {
        name: input.Name,
        effect: input.Effect,
        description: input.Description,
        ipRanges: input.IpRanges,
        notIpRanges: input.NotIpRanges,
        actions: input.Actions,
        notActions: input.NotActions,
        userIds: input.UserIds,
        notUserIds: input.NotUserIds,
        impersonationRoleIds: input.ImpersonationRoleIds,
        notImpersonationRoleIds: input.NotImpersonationRoleIds,
      },
      ctx.facts.now,
    );
    return {};
  }),
  wmOrg('DeleteAccessControlRule', async (input, ctx, org) => {
    await deleteAccessControlRule(ctx.db, org.id, input.Name);
    return {};
  }),
  wmOrg('ListAccessControlRules', async (input, ctx, org) => {
    return { Rules: (await listAccessControlRules(ctx.db, org.id)).map(describeRule) };
  }),
  wmOrg('GetAccessControlEffect', async (input, ctx, org) => {
    const decision = await decideAccess(ctx.db, org.id, {
      action: input.Action,
      ipAddress: input.IpAddress,
      userId: input.UserId,
      impersonationRoleId: input.ImpersonationRoleId,
    });
    return { Effect: decision.effect, MatchedRules: decision.matchedRules };
  }),
];
