// WorkMail groups: created DISABLED (RegisterToWorkMail gives them an address), holding users
// and other groups. Nesting may not loop: a group never contains itself, directly or through
// the groups it contains, which holds under concurrency because every membership change checks
// the nesting under the organization's lock (directory-write.ts).
import { sql, type SqlBool } from 'kysely';
import type { Db, Reader } from '../store/database.ts';
import type { WmEntitiesTable } from '../store/schema.ts';
import { writeDirectory } from './directory-write.ts';
import { insertEntity, requireEntityOrDeleted, requireLiveEntity, requireNotDeleted } from './entities.ts';
import { deleteEntityIfPresent } from './entity-deletion.ts';
import { EntityNotFound, InvalidParameter } from './errors.ts';
import { newDirectoryEntityId } from './ids.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';

export async function createGroup(db: Db, orgId: string, input: { name: string; hidden: boolean }, now: Date): Promise<WmEntitiesTable> {
  const row: WmEntitiesTable = {
    id: newDirectoryEntityId(),
    org_id: orgId,
    type: 'GROUP',
    name: input.name,
    name_lower: input.name.toLowerCase(),
    display_name: null,
    email: null,
    state: 'DISABLED',
    created_at: now.toISOString(),
    enabled_at: null,
    disabled_at: null,
    role: null,
    hidden: input.hidden ? 1 : 0,
    password_hash: null,
    mailbox_quota_mb: null,
    attributes: '{}',
  };
  return insertEntity(db, row);
}

/** The group by id (deleted ones too, which WorkMail still describes), email address or name. */
export const describeGroup = (db: Reader, orgId: string, groupId: string) => requireEntityOrDeleted(db, orgId, groupId, 'GROUP');

export async function updateGroup(db: Db, orgId: string, groupId: string, changes: { hidden?: boolean }): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const group = await requireLiveEntity(trx, orgId, groupId, 'GROUP');
    if (changes.hidden !== undefined) await trx.updateTable('wm_entities').set({ hidden: changes.hidden ? 1 : 0 }).where('id', '=', group.id).execute();
  });
}

export const deleteGroup = (db: Db, orgId: string, groupId: string, now: Date): Promise<void> =>
  deleteEntityIfPresent(db, orgId, groupId, 'GROUP', now);

/** A user or group that may be a member of a group; resources cannot be. */
async function memberEntity(db: Reader, orgId: string, memberId: string): Promise<WmEntitiesTable> {
  const member = await requireEntityOrDeleted(db, orgId, memberId);
  if (member.type === 'RESOURCE') throw new InvalidParameter(`The resource ${member.id} cannot be a member of a group.`);
  requireNotDeleted(member);
  return member;
}

/** True when `target` is `start` or is contained, directly or through nested groups, in group `start`. */
async function containsTransitively(db: Reader, start: string, target: string): Promise<boolean> {
  const seen = new Set<string>([start]);
  let frontier = [start];
  while (frontier.length) {
    if (frontier.includes(target)) return true;
    const rows = await db
      .selectFrom('wm_group_members')
      .innerJoin('wm_entities', 'wm_entities.id', 'wm_group_members.member_id')
      .select('wm_group_members.member_id')
      .where('wm_group_members.group_id', 'in', frontier)
      .where('wm_entities.type', '=', 'GROUP')
      .execute();
    frontier = rows.map((row) => row.member_id).filter((id) => !seen.has(id));
    for (const id of frontier) seen.add(id);
  }
  return false;
}

/** Adds a user or group to the group; adding a present member again changes nothing. */
export async function addMember(db: Db, orgId: string, groupId: string, memberId: string, now: Date): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const group = await requireLiveEntity(trx, orgId, groupId, 'GROUP');
    const member = await memberEntity(trx, orgId, memberId);
    if (member.type === 'GROUP' && (await containsTransitively(trx, member.id, group.id))) {
      throw new InvalidParameter(
        member.id === group.id
          ? `The group ${group.id} cannot be a member of itself.`
          : `The group ${member.id} contains the group ${group.id}; adding it would create a cycle.`,
      );
    }
    await trx
      .insertInto('wm_group_members')
      .values({ group_id: group.id, member_id: member.id, added_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['group_id', 'member_id']).doNothing())
      .execute();
  });
}

export async function removeMember(db: Db, orgId: string, groupId: string, memberId: string): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const group = await requireLiveEntity(trx, orgId, groupId, 'GROUP');
    const member = await memberEntity(trx, orgId, memberId);
    const removed = await trx.deleteFrom('wm_group_members').where('group_id', '=', group.id).where('member_id', '=', member.id).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw new EntityNotFound(`The entity ${member.id} is not a member of the group ${group.id}.`);
  });
}

/** One page of the group's direct members, by member id. */
export async function listMembers(db: Reader, orgId: string, groupId: string, page: TokenRequest): Promise<TokenPage<WmEntitiesTable>> {
  const group = await requireLiveEntity(db, orgId, groupId, 'GROUP');
  let query = db
    .selectFrom('wm_group_members')
    .innerJoin('wm_entities', 'wm_entities.id', 'wm_group_members.member_id')
    .selectAll('wm_entities')
    .where('wm_group_members.group_id', '=', group.id);
  if (page.after !== undefined) query = query.where('wm_group_members.member_id', '>', page.after);
  const rows = await query.orderBy('wm_group_members.member_id').limit(page.limit + 1).execute();
  return tokenPage(rows, page, (row) => row.id);
}

/** One page of the groups a user or group belongs to directly, by group id. */
export async function listGroupsForEntity(
  db: Reader,
  orgId: string,
  entityId: string,
  filters: { groupNamePrefix?: string },
  page: TokenRequest,
): Promise<TokenPage<WmEntitiesTable>> {
  const entity = await memberEntity(db, orgId, entityId);
  let query = db
    .selectFrom('wm_group_members')
    .innerJoin('wm_entities', 'wm_entities.id', 'wm_group_members.group_id')
    .selectAll('wm_entities')
    .where('wm_group_members.member_id', '=', entity.id);
  const prefix = filters.groupNamePrefix?.toLowerCase();
  if (prefix) query = query.where(sql<SqlBool>`substr(wm_entities.name_lower, 1, ${prefix.length}) = ${prefix}`);
  if (page.after !== undefined) query = query.where('wm_group_members.group_id', '>', page.after);
  const rows = await query.orderBy('wm_group_members.group_id').limit(page.limit + 1).execute();
  return tokenPage(rows, page, (row) => row.id);
}
