// Finding folders by name or id, and the fresh UIDVALIDITY a new folder gets.
import type { Reader, Tx } from '../../store/database.ts';
import type { MailFoldersTable } from '../../store/schema.ts';
import type { FolderHandle } from './context.ts';
import { FolderNotFound } from './errors.ts';
import { displayName } from './names.ts';

export type FolderRow = MailFoldersTable;

export function folderByName(db: Reader, mailboxId: string, stored: string): Promise<FolderRow | undefined> {
  return db.selectFrom('mail_folders').selectAll().where('mailbox_id', '=', mailboxId).where('name', '=', stored).executeTakeFirst();
}

export async function requireFolderByName(db: Reader, mailboxId: string, stored: string): Promise<FolderRow> {
  const folder = await folderByName(db, mailboxId, stored);
  if (!folder) throw new FolderNotFound(`No folder ${displayName(stored)}.`);
  return folder;
}

/** The folder a session opened; gone when another session deleted it (or INBOX's messages moved, never). */
export async function requireFolder(db: Reader, handle: FolderHandle): Promise<FolderRow> {
  const folder = await db.selectFrom('mail_folders').selectAll().where('id', '=', handle.folderId).where('mailbox_id', '=', handle.mailboxId).executeTakeFirst();
  if (!folder) throw new FolderNotFound('The folder no longer exists: another session deleted it.');
  return folder;
}

/** Every folder and placeholder name of the mailbox: few, so filtered by prefix in memory. */
export async function namesOf(db: Reader, mailboxId: string): Promise<{ folders: Set<string>; placeholders: Set<string> }> {
  const folders = await db.selectFrom('mail_folders').select('name').where('mailbox_id', '=', mailboxId).execute();
  const placeholders = await db.selectFrom('mail_folder_placeholders').select('name').where('mailbox_id', '=', mailboxId).execute();
  return { folders: new Set(folders.map((row) => row.name)), placeholders: new Set(placeholders.map((row) => row.name)) };
}

/**
 * A UIDVALIDITY no folder of this mailbox has had: above the last one handed out and above every
 * folder's now (WorkMail's folders, made by the mail store, share their mailbox's creation
 * second), and at least the current second, as RFC 3501 suggests. Called under the mailbox's lock.
 */
export async function freshUidValidity(trx: Tx, mailboxId: string, now: Date): Promise<number> {
  const mailbox = await trx.selectFrom('mail_mailboxes').select('last_uid_validity').where('id', '=', mailboxId).executeTakeFirstOrThrow();
  const top = await trx
    .selectFrom('mail_folders')
    .select((eb) => eb.fn.max<number | string | null>('uid_validity').as('top'))
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  const value = Math.max(Math.floor(now.getTime() / 1000), Number(mailbox.last_uid_validity) + 1, Number(top?.top ?? 0) + 1);
  await trx.updateTable('mail_mailboxes').set({ last_uid_validity: value }).where('id', '=', mailboxId).execute();
  return value;
}

export async function insertFolder(trx: Tx, mailboxId: string, stored: string, now: Date): Promise<FolderRow> {
  const row: FolderRow = {
    id: crypto.randomUUID(),
    mailbox_id: mailboxId,
    name: stored,
    uid_validity: await freshUidValidity(trx, mailboxId, now),
    uid_next: 1,
    highest_modseq: 0,
    messages: 0,
    unseen: 0,
    bytes: 0,
    created_at: now.toISOString(),
  };
  await trx.insertInto('mail_folders').values(row).execute();
  await trx.deleteFrom('mail_folder_placeholders').where('mailbox_id', '=', mailboxId).where('name', '=', stored).execute();
  return row;
}
