// IAM groups and their members. A user may be in at most 10 groups, as in AWS.
import { EntityAlreadyExists, LimitExceeded, NoSuchEntity } from '../errors.ts';
import { isUniqueViolation, type Db } from '../store/database.ts';
import type { GroupsTable } from '../store/schema.ts';
import { iamArn } from './arn.ts';
import { newGroupId } from './ids.ts';

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
    await db.insertInto('groups').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new EntityAlreadyExists(`Group with name ${input.groupName} already exists.`);
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
export async function addUserToGroup(db: Db, groupId: string, userId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const already = await trx
      .selectFrom('group_members')
      .select('user_id')
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (already) return;
    const { n } = await trx
      .selectFrom('group_members')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    if (Number(n) >= MAX_GROUPS_PER_USER) {
      throw new LimitExceeded(`Cannot exceed quota for GroupsPerUser: ${MAX_GROUPS_PER_USER}`);
    }
    await trx.insertInto('group_members').values({ group_id: groupId, user_id: userId, added_at: now.toISOString() }).execute();
  });
}
