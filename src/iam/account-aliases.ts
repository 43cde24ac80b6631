// Account aliases: at most one per account, unique across the server (it names the account in
// its sign-in URL). As in AWS, creating an alias when the account has one replaces it.
import { EntityAlreadyExists, NoSuchEntity } from '../errors.ts';
import { isUniqueViolation, writeTransaction, type Db } from '../store/database.ts';
import { iamChange } from '../store/changes.ts';

export async function listAccountAliases(db: Db, accountId: string): Promise<string[]> {
  const row = await db.selectFrom('accounts').select('alias').where('id', '=', accountId).executeTakeFirst();
  return row?.alias ? [row.alias] : [];
}

export async function createAccountAlias(db: Db, accountId: string, alias: string): Promise<void> {
  try {
    await writeTransaction(db, iamChange(accountId), async (trx) => {
      // The alias is unique across accounts, which lock only themselves: the unique index decides.
      await trx.updateTable('accounts').set({ alias }).where('id', '=', accountId).execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EntityAlreadyExists(`The account alias ${alias} already exists.`);
    throw error;
  }
}

export async function deleteAccountAlias(db: Db, accountId: string, alias: string): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const result = await trx.updateTable('accounts').set({ alias: null }).where('id', '=', accountId).where('alias', '=', alias).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new NoSuchEntity(`The account alias ${alias} cannot be found.`);
  });
}
