// IAM users: names unique per account without regard to case, paths, tags.
import { DeleteConflict, EntityAlreadyExists, NoSuchEntity } from '../errors.ts';
import { inTransaction, isUniqueViolation, type Db } from '../store/database.ts';
import type { UsersTable } from '../store/schema.ts';
import { pathStartsWith } from '../store/filters.ts';
import { pageOf, type Page, type PageRequest } from '../store/page.ts';
import { iamArn } from './arn.ts';
import { newUserId } from './ids.ts';
import { replaceTags, type Tag } from './tags.ts';

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
    await inTransaction(db, async (trx) => {
      await trx.insertInto('users').values(row).execute();
      if (input.tags?.length) await replaceTags(trx, 'user', row.id, input.tags);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EntityAlreadyExists(`User with name ${input.userName} already exists.`);
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
  const row = await getUser(db, accountId, userName);
  const name = changes.newUserName ?? row.name;
  try {
    await db
      .updateTable('users')
      .set({ name, name_lower: name.toLowerCase(), path: changes.newPath ?? row.path })
      .where('id', '=', row.id)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new EntityAlreadyExists(`User with name ${name} already exists.`);
    throw error;
  }
}

/** AWS refuses to delete a user that still has anything attached to it. */
export async function deleteUser(db: Db, accountId: string, userName: string): Promise<void> {
  const row = await getUser(db, accountId, userName);
  await inTransaction(db, async (trx) => {
    const count = async (table: 'access_keys' | 'group_members' | 'login_profiles', column: 'user_id') =>
      Number((await trx.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where(column, '=', row.id).executeTakeFirstOrThrow()).n);
    const attached = Number(
      (
        await trx
          .selectFrom('policy_attachments')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('entity_type', '=', 'user')
          .where('entity_id', '=', row.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const inline = Number(
      (
        await trx
          .selectFrom('inline_policies')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('entity_type', '=', 'user')
          .where('entity_id', '=', row.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (await count('login_profiles', 'user_id')) throw new DeleteConflict('Cannot delete entity, must delete login profile first.');
    if (await count('access_keys', 'user_id')) throw new DeleteConflict('Cannot delete entity, must delete access keys first.');
    if (inline) throw new DeleteConflict('Cannot delete entity, must delete policies first.');
    if (attached) throw new DeleteConflict('Cannot delete entity, must detach all policies first.');
    if (await count('group_members', 'user_id')) throw new DeleteConflict('Cannot delete entity, must remove users from group first.');
    await trx.deleteFrom('tags').where('entity_type', '=', 'user').where('entity_id', '=', row.id).execute();
    await trx.deleteFrom('users').where('id', '=', row.id).execute();
  });
}
