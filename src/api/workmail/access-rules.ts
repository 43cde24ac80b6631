// Access control rules: PutAccessControlRule, DeleteAccessControlRule, ListAccessControlRules,
// GetAccessControlEffect.
import { accessControlEffect, isAccessControlAction } from '../../workmail/access-control.ts';
import { deleteAccessControlRule, listAccessControlRules, putAccessControlRule, type StoredAccessControlRule } from '../../workmail/access-control-rules.ts';
import { requireEntity } from '../../workmail/entities.ts';
import { InvalidParameter } from '../../workmail/errors.ts';
import { requireImpersonationRole } from '../../workmail/impersonation.ts';
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
      org,
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
    await deleteAccessControlRule(ctx.db, org, input.Name, ctx.facts.now);
    return {};
  }),
  wmOrg('ListAccessControlRules', async (input, ctx, org) => {
    return { Rules: (await listAccessControlRules(ctx.db, org, ctx.facts.now)).map(describeRule) };
  }),
  wmOrg('GetAccessControlEffect', async (input, ctx, org) => {
    if (!isAccessControlAction(input.Action)) {
      throw new InvalidParameter(`Invalid action ${input.Action}. Valid actions are ActiveSync, AutoDiscover, EWS, IMAP, SMTP, WindowsOutlook, WebMail.`);
    }
    if ((input.UserId === undefined) === (input.ImpersonationRoleId === undefined)) {
      throw new InvalidParameter('You must provide either the user ID or the impersonation role ID.');
    }
    let userId: string | undefined;
    if (input.UserId !== undefined) userId = (await requireEntity(ctx.db, org.id, input.UserId, 'USER')).id;
    if (input.ImpersonationRoleId !== undefined) {
      if (input.Action !== 'EWS') throw new InvalidParameter('An impersonation role ID can only be used with the EWS action.');
      await requireImpersonationRole(ctx.db, org.id, input.ImpersonationRoleId);
    }
    const decision = accessControlEffect(await listAccessControlRules(ctx.db, org, ctx.facts.now), {
      ipAddress: input.IpAddress,
      action: input.Action,
      userId,
      impersonationRoleId: input.ImpersonationRoleId,
    });
    return { Effect: decision.effect, MatchedRules: decision.matchedRules };
  }),
];
