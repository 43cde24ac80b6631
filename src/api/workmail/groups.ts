// Groups: CreateGroup, DescribeGroup, ListGroups, UpdateGroup, DeleteGroup, and their members:
// AssociateMemberToGroup, DisassociateMemberFromGroup, ListGroupMembers, ListGroupsForEntity.
import { listEntities } from '../../workmail/entities.ts';
import {
  addMember,
  createGroup,
  deleteGroup,
  describeGroup,
  listGroupsForEntity,
  listMembers,
  removeMember,
  updateGroup,
} from '../../workmail/groups.ts';
import { requireActiveOrganization } from '../../workmail/organizations.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import type { WmEntitiesTable } from '../../store/schema.ts';
import type { ApiContext, ApiOperation, Input } from '../operation.ts';
import { wm } from './operation.ts';

const date = (iso: string | null) => (iso ? new Date(iso) : undefined);

/** Every group operation acts inside an Active organization of the caller's account. */
async function activeOrg(input: Input, ctx: ApiContext): Promise<string> {
  await requireActiveOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId);
  return input.OrganizationId;
}

const groupSummary = (group: WmEntitiesTable) => ({
  Id: group.id,
  Email: group.email ?? undefined,
  Name: group.name,
  State: group.state,
  EnabledDate: date(group.enabled_at),
  DisabledDate: date(group.disabled_at),
});

export const groupsOperations: ApiOperation[] = [
  wm('CreateGroup', async (input, ctx) => {
    const group = await createGroup(ctx.db, await activeOrg(input, ctx), { name: input.Name, hidden: input.HiddenFromGlobalAddressList ?? false }, ctx.facts.now);
    return { GroupId: group.id };
  }),
  wm('DescribeGroup', async (input, ctx) => {
    const group = await describeGroup(ctx.db, await activeOrg(input, ctx), input.GroupId);
    const { Id, ...rest } = groupSummary(group);
    return { GroupId: Id, ...rest, HiddenFromGlobalAddressList: group.hidden === 1 };
  }),
  wm('ListGroups', async (input, ctx) => {
    const filters = input.Filters ?? {};
    const page = await listEntities(
      ctx.db,
      await activeOrg(input, ctx),
      'GROUP',
      { namePrefix: filters.NamePrefix, primaryEmailPrefix: filters.PrimaryEmailPrefix, state: filters.State },
      tokenRequest(input),
    );
    return { Groups: page.items.map(groupSummary), NextToken: page.nextToken };
  }),
  wm('UpdateGroup', async (input, ctx) => {
    await updateGroup(ctx.db, await activeOrg(input, ctx), input.GroupId, { hidden: input.HiddenFromGlobalAddressList });
    return {};
  }),
  wm('DeleteGroup', async (input, ctx) => {
    await deleteGroup(ctx.db, await activeOrg(input, ctx), input.GroupId, ctx.facts.now);
    return {};
  }),
  wm('AssociateMemberToGroup', async (input, ctx) => {
    await addMember(ctx.db, await activeOrg(input, ctx), input.GroupId, input.MemberId, ctx.facts.now);
    return {};
  }),
  wm('DisassociateMemberFromGroup', async (input, ctx) => {
    await removeMember(ctx.db, await activeOrg(input, ctx), input.GroupId, input.MemberId);
    return {};
  }),
  wm('ListGroupMembers', async (input, ctx) => {
    const page = await listMembers(ctx.db, await activeOrg(input, ctx), input.GroupId, tokenRequest(input));
    return {
      Members: page.items.map((member) => ({
        Id: member.id,
        Name: member.name,
        Type: member.type,
        State: member.state,
        EnabledDate: date(member.enabled_at),
        DisabledDate: date(member.disabled_at),
      })),
      NextToken: page.nextToken,
    };
  }),
  wm('ListGroupsForEntity', async (input, ctx) => {
    const page = await listGroupsForEntity(
      ctx.db,
      await activeOrg(input, ctx),
      input.EntityId,
      { groupNamePrefix: input.Filters?.GroupNamePrefix },
      tokenRequest(input),
    );
    return { Groups: page.items.map((group) => ({ GroupId: group.id, GroupName: group.name })), NextToken: page.nextToken };
  }),
];
