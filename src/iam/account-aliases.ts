// Account aliases: at most one per account, unique across the server (it names the account in
// its sign-in URL). As in AWS, creating an alias when the account has one replaces it.
import { EntityAlreadyExists, NoSuchEntity } from '../errors.ts';
import { isUniqueViolation, type Db } from '../store/database.ts';

export async function listAccountAliases(db: Db, accountId: string): Promise<string[]> {
  const row = await db.selectFrom('accounts').select('alias').where('id', '=', accountId).executeTakeFirst();
  return row?.alias ? [row.alias] : [];
}

export async function createAccountAlias(db: Db, accountId: string, alias: string): Promise<void> {
  try {
    await db.updateTable('accounts').set({ alias }).where('id', '=', accountId).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new EntityAlreadyExists(`The account alias ${alias} already exists.`);
    throw error;
  }
}

export async function deleteAccountAlias(db: Db, accountId: string, alias: string): Promise<void> {
  const result = await db.updateTable('accounts').set({ alias: null }).where('id', '=', accountId).where('alias', '=', alias).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new NoSuchEntity(`The account alias ${alias} cannot be found.`);
}
