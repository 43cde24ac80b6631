// Mobile device access: CreateMobileDeviceAccessRule, UpdateMobileDeviceAccessRule,
// DeleteMobileDeviceAccessRule, ListMobileDeviceAccessRules, GetMobileDeviceAccessEffect, and
// the per-device overrides: PutMobileDeviceAccessOverride, GetMobileDeviceAccessOverride,
// DeleteMobileDeviceAccessOverride, ListMobileDeviceAccessOverrides.
import { requireEntity } from '../../workmail/entities.ts';
import { mobileDeviceAccessEffect } from '../../workmail/mobile-access.ts';
import {
  deleteMobileDeviceAccessOverride,
  listMobileDeviceAccessOverrides,
  putMobileDeviceAccessOverride,
  requireMobileDeviceAccessOverride,
} from '../../workmail/mobile-access-overrides.ts';
import {
  createMobileDeviceAccessRule,
  deleteMobileDeviceAccessRule,
  listMobileDeviceAccessRules,
  updateMobileDeviceAccessRule,
  type MobileDeviceAccessRuleInput,
  type StoredMobileDeviceAccessRule,
} from '../../workmail/mobile-access-rules.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import type { WmMobileAccessOverridesTable } from '../../store/schema.ts';
import type { ApiContext, ApiOperation, Input } from '../operation.ts';
import { wmOrg } from './operation.ts';

const ruleInput = (input: Input): MobileDeviceAccessRuleInput => ({
  name: input.Name,
  effect: input.Effect,
  description: input.Description,
  deviceTypes: input.DeviceTypes,
  notDeviceTypes: input.NotDeviceTypes,
  deviceModels: input.DeviceModels,
  notDeviceModels: input.NotDeviceModels,
  deviceOperatingSystems: input.DeviceOperatingSystems,
  notDeviceOperatingSystems: input.NotDeviceOperatingSystems,
  deviceUserAgents: input.DeviceUserAgents,
  notDeviceUserAgents: input.NotDeviceUserAgents,
});

const describeRule = (rule: StoredMobileDeviceAccessRule) => ({
  MobileDeviceAccessRuleId: rule.id,
  Name: rule.name,
  Description: rule.description,
  Effect: rule.effect,
  DeviceTypes: rule.deviceTypes,
  NotDeviceTypes: rule.notDeviceTypes,
  DeviceModels: rule.deviceModels,
  NotDeviceModels: rule.notDeviceModels,
  DeviceOperatingSystems: rule.deviceOperatingSystems,
  NotDeviceOperatingSystems: rule.notDeviceOperatingSystems,
  DeviceUserAgents: rule.deviceUserAgents,
  NotDeviceUserAgents: rule.notDeviceUserAgents,
  DateCreated: rule.createdAt,
  DateModified: rule.modifiedAt,
});

const describeOverride = (row: WmMobileAccessOverridesTable) => ({
  UserId: row.user_id,
  DeviceId: row.device_id,
  Effect: row.effect,
  Description: row.description ?? undefined,
  DateCreated: new Date(row.created_at),
  DateModified: new Date(row.modified_at),
});

/** The user an override names, by id, email or name. */
const overrideUser = async (ctx: ApiContext, orgId: string, identifier: string) => requireEntity(ctx.db, orgId, identifier, 'USER');

export const mobileOperations: ApiOperation[] = [
  wmOrg('CreateMobileDeviceAccessRule', async (input, ctx, org) => {
    const id = await createMobileDeviceAccessRule(ctx.db, org.id, { ...ruleInput(input), clientToken: input.ClientToken }, ctx.facts.now);
    return { MobileDeviceAccessRuleId: id };
  }),
  wmOrg('UpdateMobileDeviceAccessRule', async (input, ctx, org) => {
    await updateMobileDeviceAccessRule(ctx.db, org.id, input.MobileDeviceAccessRuleId, ruleInput(input), ctx.facts.now);
    return {};
  }),
  wmOrg('DeleteMobileDeviceAccessRule', async (input, ctx, org) => {
    await deleteMobileDeviceAccessRule(ctx.db, org.id, input.MobileDeviceAccessRuleId);
    return {};
  }),
  wmOrg('ListMobileDeviceAccessRules', async (input, ctx, org) => {
    return { Rules: (await listMobileDeviceAccessRules(ctx.db, org.id)).map(describeRule) };
  }),
  wmOrg('GetMobileDeviceAccessEffect', async (input, ctx, org) => {
    const decision = mobileDeviceAccessEffect(await listMobileDeviceAccessRules(ctx.db, org.id), {
      deviceType: input.DeviceType,
      deviceModel: input.DeviceModel,
      deviceOperatingSystem: input.DeviceOperatingSystem,
      deviceUserAgent: input.DeviceUserAgent,
    });
    return {
      Effect: decision.effect,
      MatchedRules: decision.matchedRules.map((rule) => ({ MobileDeviceAccessRuleId: rule.id, Name: rule.name })),
    };
  }),
  wmOrg('PutMobileDeviceAccessOverride', async (input, ctx) => {
    await putMobileDeviceAccessOverride(
      ctx.db,
      input.OrganizationId,
      { user: input.UserId, deviceId: input.DeviceId, effect: input.Effect, description: input.Description },
      ctx.facts.now,
    );
    return {};
  }),
  wmOrg('GetMobileDeviceAccessOverride', async (input, ctx) => {
    const user = await overrideUser(ctx, input.OrganizationId, input.UserId);
    return describeOverride(await requireMobileDeviceAccessOverride(ctx.db, input.OrganizationId, user.id, input.DeviceId));
  }),
  wmOrg('DeleteMobileDeviceAccessOverride', async (input, ctx) => {
    await deleteMobileDeviceAccessOverride(ctx.db, input.OrganizationId, input.UserId, input.DeviceId);
    return {};
  }),
  wmOrg('ListMobileDeviceAccessOverrides', async (input, ctx) => {
    const userId = input.UserId === undefined ? undefined : (await overrideUser(ctx, input.OrganizationId, input.UserId)).id;
    const page = await listMobileDeviceAccessOverrides(ctx.db, input.OrganizationId, { userId, deviceId: input.DeviceId }, tokenRequest(input));
    return { Overrides: page.items.map(describeOverride), NextToken: page.nextToken };
  }),
];
