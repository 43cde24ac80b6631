// IAM groups and their members. A user may be in at most 10 groups, as in AWS. Every change
// runs in the account's write transaction and looks its group and user up inside it.
import { DeleteConflict, EntityAlreadyExists, LimitExceeded, NoSuchEntity } from '../errors.ts';
import { isUniqueViolation, writeTransaction, type Db } from '../store/database.ts';
import { iamChange } from '../store/changes.ts';
import { pathStartsWith } from '../store/filters.ts';
import { pageOf, type Page, type PageRequest } from '../store/page.ts';
import type { GroupsTable, UsersTable } from '../store/schema.ts';
import { iamArn } from './arn.ts';
import { newGroupId } from './ids.ts';
import { getUser, noSuchUser } from './users.ts';

export const MAX_GROUPS_PER_USER = 10;

export interface IamGroup {
  Path: string;
  GroupName: string;
  GroupId: string;
  Arn: string;
  CreateDate: Date;
}

export const groupFromRow = (row: GroupsTable): IamGroup => ({
  Path: row.path,
  GroupName: row.name,
  GroupId: row.id,
  Arn: iamArn(row.account_id, 'group', row.path, row.name),
  CreateDate: new Date(row.created_at),
});

export const noSuchGroup = (name: string) => new NoSuchEntity(`The group with name ${name} cannot be found.`);
const groupExists = (name: string) => new EntityAlreadyExists(`Group with name ${name} already exists.`);

export async function createGroup(db: Db, accountId: string, input: { groupName: string; path?: string }, now: Date): Promise<GroupsTable> {
  const row: GroupsTable = {
    id: newGroupId(),
    account_id: accountId,
    name: input.groupName,
    name_lower: input.groupName.toLowerCase(),
    path: input.path ?? '/',
    created_at: now.toISOString(),
  };
  try {
    await writeTransaction(db, iamChange(accountId), async (trx) => {
      if (await findGroup(trx, accountId, input.groupName)) throw groupExists(input.groupName);
      await trx.insertInto('groups').values(row).execute();
    });
  } catch (error) {
    // The unique index stays the last word, for a writer that bypassed the account lock.
    if (isUniqueViolation(error)) throw groupExists(input.groupName);
    throw error;
  }
  return row;
}

export async function findGroup(db: Db, accountId: string, groupName: string): Promise<GroupsTable | undefined> {
  return db
    .selectFrom('groups')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_lower', '=', groupName.toLowerCase())
    .executeTakeFirst();
}

export async function getGroup(db: Db, accountId: string, groupName: string): Promise<GroupsTable> {
  const row = await findGroup(db, accountId, groupName);
  if (!row) throw noSuchGroup(groupName);
  return row;
}

/** Adding a user who is already a member succeeds without change, as in AWS. */
export async function addUserToGroup(db: Db, accountId: string, groupName: string, userName: string, now: Date): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const group = await getGroup(trx, accountId, groupName);
    const user = await getUser(trx, accountId, userName);
    const already = await trx
      .selectFrom('group_members')
      .select('user_id')
      .where('group_id', '=', group.id)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (already) return;
    const { n } = await trx
      .selectFrom('group_members')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    if (Number(n) >= MAX_GROUPS_PER_USER) {
      throw new LimitExceeded(`Cannot exceed quota for GroupsPerUser: ${MAX_GROUPS_PER_USER}`);
    }
    await trx.insertInto('group_members').values({ group_id: group.id, user_id: user.id, added_at: now.toISOString() }).execute();
  });
}

export async function listGroups(db: Db, accountId: string, pathPrefix: string | undefined, page: PageRequest): Promise<Page<GroupsTable>> {
  let query = db.selectFrom('groups').selectAll().where('account_id', '=', accountId);
  if (pathPrefix) query = query.where(pathStartsWith(pathPrefix));
  if (page.after !== undefined) query = query.where('name_lower', '>', page.after);
  const rows = await query.orderBy('name_lower').limit(page.limit + 1).execute();
  return pageOf(rows, page, (row) => row.name_lower);
}

/** The groups a user belongs to, by group name. */
export async function listGroupsForUser(db: Db, userId: string, page: PageRequest): Promise<Page<GroupsTable>> {
  let query = db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .selectAll('groups')
    .where('group_members.user_id', '=', userId);
  if (page.after !== undefined) query = query.where('groups.name_lower', '>', page.after);
  const rows = await query.orderBy('groups.name_lower').limit(page.limit + 1).execute();
  return pageOf(rows, page, (row) => row.name_lower);
}

/** The members of a group, by user name (GetGroup's Users). */
export async function listGroupMembers(db: Db, groupId: string, page: PageRequest): Promise<Page<UsersTable>> {
  let query = db
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .selectAll('users')
    .where('group_members.group_id', '=', groupId);
  if (page.after !== undefined) query = query.where('users.name_lower', '>', page.after);
  const rows = await query.orderBy('users.name_lower').limit(page.limit + 1).execute();
  return pageOf(rows, page, (row) => row.name_lower);
}

export async function updateGroup(
  db: Db,
  accountId: string,
  groupName: string,
  changes: { newGroupName?: string; newPath?: string },
): Promise<void> {
  const name = changes.newGroupName ?? groupName;
  try {
    await writeTransaction(db, iamChange(accountId), async (trx) => {
      const row = await getGroup(trx, accountId, groupName);
      const newName = changes.newGroupName ?? row.name;
      const holder = changes.newGroupName === undefined ? undefined : await findGroup(trx, accountId, newName);
      if (holder && holder.id !== row.id) throw groupExists(newName);
      await trx
        .updateTable('groups')
        .set({ name: newName, name_lower: newName.toLowerCase(), path: changes.newPath ?? row.path })
        .where('id', '=', row.id)
        .execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw groupExists(name);
    throw error;
  }
}

/** AWS refuses to delete a group that still has members or policies. */
export async function deleteGroup(db: Db, accountId: string, groupName: string): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const row = await getGroup(trx, accountId, groupName);
    const members = await trx.selectFrom('group_members').select('user_id').where('group_id', '=', row.id).limit(1).executeTakeFirst();
    if (members) throw new DeleteConflict('Cannot delete entity, must remove users from group first.');
    const inline = await trx
      .selectFrom('inline_policies')
      .select('name')
      .where('entity_type', '=', 'group')
      .where('entity_id', '=', row.id)
      .limit(1)
      .executeTakeFirst();
    if (inline) throw new DeleteConflict('Cannot delete entity, must delete policies first.');
    const attached = await trx
      .selectFrom('policy_attachments')
      .select('policy_arn')
      .where('entity_type', '=', 'group')
      .where('entity_id', '=', row.id)
      .limit(1)
      .executeTakeFirst();
    if (attached) throw new DeleteConflict('Cannot delete entity, must detach all policies first.');
    await trx.deleteFrom('groups').where('id', '=', row.id).execute();
  });
}

/** AWS answers NoSuchEntity, naming the user, when the user is not a member of the group. */
export async function removeUserFromGroup(db: Db, accountId: string, groupName: string, userName: string): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const group = await getGroup(trx, accountId, groupName);
    const user = await getUser(trx, accountId, userName);
    const removed = await trx.deleteFrom('group_members').where('group_id', '=', group.id).where('user_id', '=', user.id).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw noSuchUser(user.name);
  });
}
