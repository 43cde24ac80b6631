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
import { tokenRequest } from '../../workmail/pages.ts';
import type { WmEntitiesTable } from '../../store/schema.ts';
import type { ApiOperation } from '../operation.ts';
import { wmOrg } from './operation.ts';

const date = (iso: string | null) => (iso ? new Date(iso) : undefined);

const groupSummary = (group: WmEntitiesTable) => ({
  Id: group.id,
  Email: group.email ?? undefined,
  Name: group.name,
  State: group.state,
  EnabledDate: date(group.enabled_at),
  DisabledDate: date(group.disabled_at),
});

export const groupsOperations: ApiOperation[] = [
  wmOrg('CreateGroup', async (input, ctx) => {
    const group = await createGroup(ctx.db, input.OrganizationId, { name: input.Name, hidden: input.HiddenFromGlobalAddressList ?? false }, ctx.facts.now);
    return { GroupId: group.id };
  }),
  wmOrg('DescribeGroup', async (input, ctx) => {
    const group = await describeGroup(ctx.db, input.OrganizationId, input.GroupId);
    const { Id, ...rest } = groupSummary(group);
    return { GroupId: Id, ...rest, HiddenFromGlobalAddressList: group.hidden === 1 };
  }),
  wmOrg('ListGroups', async (input, ctx) => {
    const filters = input.Filters ?? {};
    const page = await listEntities(
      ctx.db,
      input.OrganizationId,
      'GROUP',
      { namePrefix: filters.NamePrefix, primaryEmailPrefix: filters.PrimaryEmailPrefix, state: filters.State },
      tokenRequest(input),
    );
    return { Groups: page.items.map(groupSummary), NextToken: page.nextToken };
  }),
  wmOrg('UpdateGroup', async (input, ctx) => {
    await updateGroup(ctx.db, input.OrganizationId, input.GroupId, { hidden: input.HiddenFromGlobalAddressList });
    return {};
  }),
  wmOrg('DeleteGroup', async (input, ctx) => {
    await deleteGroup(ctx.db, input.OrganizationId, input.GroupId, ctx.facts.now);
    return {};
  }),
  wmOrg('AssociateMemberToGroup', async (input, ctx) => {
    await addMember(ctx.db, input.OrganizationId, input.GroupId, input.MemberId, ctx.facts.now);
    return {};
  }),
  wmOrg('DisassociateMemberFromGroup', async (input, ctx) => {
    await removeMember(ctx.db, input.OrganizationId, input.GroupId, input.MemberId);
    return {};
  }),
  wmOrg('ListGroupMembers', async (input, ctx) => {
    const page = await listMembers(ctx.db, input.OrganizationId, input.GroupId, tokenRequest(input));
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
  wmOrg('ListGroupsForEntity', async (input, ctx) => {
    const page = await listGroupsForEntity(
      ctx.db,
      input.OrganizationId,
      input.EntityId,
      { groupNamePrefix: input.Filters?.GroupNamePrefix },
      tokenRequest(input),
    );
    return { Groups: page.items.map((group) => ({ GroupId: group.id, GroupName: group.name })), NextToken: page.nextToken };
  }),
];
