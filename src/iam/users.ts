// IAM users: names unique per account without regard to case, paths, tags.
//
// Every change runs in the account's write transaction (store/tx.ts), which on PostgreSQL holds
// the account's lock: the user is looked up again inside it, so a check such as "nothing is
// left attached" still holds when the change commits, and the account cache hears of it.
import { DeleteConflict, EntityAlreadyExists, NoSuchEntity } from '../errors.ts';
import { isUniqueViolation, writeTransaction, type Db } from '../store/database.ts';
import { iamChange } from '../store/changes.ts';
import type { UsersTable } from '../store/schema.ts';
import { pathStartsWith } from '../store/filters.ts';
import { pageOf, type Page, type PageRequest } from '../store/page.ts';
import { iamArn } from './arn.ts';
import { newUserId } from './ids.ts';
import { listTags, pageOfTags, removeTags, replaceTags, type Tag } from './tags.ts';

export interface IamUser {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: Date;
  PasswordLastUsed?: Date;
}

export const userFromRow = (row: UsersTable): IamUser => ({
  Path: row.path,
  UserName: row.name,
  UserId: row.id,
  Arn: iamArn(row.account_id, 'user', row.path, row.name),
  CreateDate: new Date(row.created_at),
  PasswordLastUsed: row.password_last_used ? new Date(row.password_last_used) : undefined,
});

export const noSuchUser = (name: string) => new NoSuchEntity(`The user with name ${name} cannot be found.`);
const userExists = (name: string) => new EntityAlreadyExists(`User with name ${name} already exists.`);

export async function createUser(
  db: Db,
  accountId: string,
  input: { userName: string; path?: string; tags?: Tag[] },
  now: Date,
): Promise<UsersTable> {
  const row: UsersTable = {
    id: newUserId(),
    account_id: accountId,
    name: input.userName,
    name_lower: input.userName.toLowerCase(),
    path: input.path ?? '/',
    created_at: now.toISOString(),
    password_last_used: null,
    permissions_boundary: null,
  };
  try {
    await writeTransaction(db, iamChange(accountId), async (trx) => {
      if (await findUser(trx, accountId, input.userName)) throw userExists(input.userName);
      await trx.insertInto('users').values(row).execute();
      if (input.tags?.length) await replaceTags(trx, 'user', row.id, input.tags);
    });
  } catch (error) {
    // The unique index stays the last word, for a writer that bypassed the account lock.
    if (isUniqueViolation(error)) throw userExists(input.userName);
    throw error;
  }
  return row;
}

export async function findUser(db: Db, accountId: string, userName: string): Promise<UsersTable | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_lower', '=', userName.toLowerCase())
    .executeTakeFirst();
}

export async function getUser(db: Db, accountId: string, userName: string): Promise<UsersTable> {
  const row = await findUser(db, accountId, userName);
  if (!row) throw noSuchUser(userName);
  return row;
}

/** The user a key or principal points at, by id (undefined once deleted). */
export async function findUserById(db: Db, userId: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

export async function listUsers(db: Db, accountId: string, pathPrefix: string | undefined, page: PageRequest): Promise<Page<UsersTable>> {
  let query = db.selectFrom('users').selectAll().where('account_id', '=', accountId);
  if (pathPrefix) query = query.where(pathStartsWith(pathPrefix));
  if (page.after !== undefined) query = query.where('name_lower', '>', page.after);
  const rows = await query.orderBy('name_lower').limit(page.limit + 1).execute();
  return pageOf(rows, page, (row) => row.name_lower);
}

export async function updateUser(
  db: Db,
  accountId: string,
  userName: string,
  changes: { newUserName?: string; newPath?: string },
): Promise<void> {
  const name = changes.newUserName ?? userName;
  try {
    await writeTransaction(db, iamChange(accountId), async (trx) => {
      const row = await getUser(trx, accountId, userName);
      const newName = changes.newUserName ?? row.name;
      const holder = changes.newUserName === undefined ? undefined : await findUser(trx, accountId, newName);
      if (holder && holder.id !== row.id) throw userExists(newName);
      await trx
        .updateTable('users')
        .set({ name: newName, name_lower: newName.toLowerCase(), path: changes.newPath ?? row.path })
        .where('id', '=', row.id)
        .execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw userExists(name);
    throw error;
  }
}

/** AWS refuses to delete a user that still has anything attached to it. */
export async function deleteUser(db: Db, accountId: string, userName: string): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const row = await getUser(trx, accountId, userName);
    const count = async (table: 'access_keys' | 'group_members' | 'login_profiles') =>
      Number((await trx.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', row.id).executeTakeFirstOrThrow()).n);
    const countOwned = async (table: 'policy_attachments' | 'inline_policies') =>
      Number(
        (
          await trx
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where('entity_type', '=', 'user')
            .where('entity_id', '=', row.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    if (await count('login_profiles')) throw new DeleteConflict('Cannot delete entity, must delete login profile first.');
    if (await count('access_keys')) throw new DeleteConflict('Cannot delete entity, must delete access keys first.');
    if (await countOwned('inline_policies')) throw new DeleteConflict('Cannot delete entity, must delete policies first.');
    if (await countOwned('policy_attachments')) throw new DeleteConflict('Cannot delete entity, must detach all policies first.');
    if (await count('group_members')) throw new DeleteConflict('Cannot delete entity, must remove users from group first.');
    await trx.deleteFrom('tags').where('entity_type', '=', 'user').where('entity_id', '=', row.id).execute();
    await trx.deleteFrom('users').where('id', '=', row.id).execute();
  });
}

export async function tagUser(db: Db, accountId: string, userName: string, tags: Tag[]): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const row = await getUser(trx, accountId, userName);
    await replaceTags(trx, 'user', row.id, tags);
  });
}

export async function untagUser(db: Db, accountId: string, userName: string, keys: string[]): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const row = await getUser(trx, accountId, userName);
    await removeTags(trx, 'user', row.id, keys);
  });
}

export async function listUserTags(db: Db, accountId: string, userName: string, page: PageRequest): Promise<Page<Tag>> {
  const row = await getUser(db, accountId, userName);
  return pageOfTags(await listTags(db, 'user', row.id), page);
}
