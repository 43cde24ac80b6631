// Moving and expunging messages, each inside the caller's transaction under the mailbox's lock.
// Both keep the folders' counters and the change journal in step with the rows, and announce
// the mailbox's new MODSEQ. A move rewrites the message row in place (new folder, UID and MODSEQ):
// its body, envelope, structure and search entry (SQLite's FTS row is keyed by the row's rowid,
// which an update keeps) go with it.
import { allocate, writeTransaction, type Tx } from '../../store/database.ts';
import { mailboxChange } from '../../store/changes.ts';
import { SEEN } from './flags.ts';
import type { MailSearch } from './search.ts';

interface Row {
  uid: number;
  size: number;
  flags: number;
}

async function rowsOf(trx: Tx, folderId: string, uids: readonly number[]): Promise<Row[]> {
  if (!uids.length) return [];
  const rows = await trx.selectFrom('mail_messages').select(['uid', 'size', 'flags']).where('folder_id', '=', folderId).where('uid', 'in', uids).orderBy('uid').execute();
  return rows.map((row) => ({ uid: Number(row.uid), size: Number(row.size), flags: Number(row.flags) }));
}

async function takeOut(trx: Tx, folderId: string, rows: Row[], modseq: number): Promise<void> {
  await trx
    .updateTable('mail_folders')
    .set((eb) => ({
      messages: eb('messages', '-', rows.length),
      unseen: eb('unseen', '-', rows.filter((row) => !(row.flags & SEEN)).length),
      bytes: eb('bytes', '-', rows.reduce((sum, row) => sum + row.size, 0)),
      highest_modseq: modseq,
    }))
    .where('id', '=', folderId)
    .execute();
}

/** Expunges messages; returns the blob ids they used, to free once the transaction has committed. */
export async function expungeMessages(trx: Tx, search: MailSearch, mailboxId: string, folderId: string, uids: readonly number[]): Promise<string[]> {
  const rows = await rowsOf(trx, folderId, uids);
  if (!rows.length) return [];
  const found = rows.map((row) => row.uid);
  const blobs = await trx.selectFrom('mail_messages').select('blob_id').distinct().where('folder_id', '=', folderId).where('uid', 'in', found).execute();
  const first = (await allocate(trx, 'mail_mailboxes', mailboxId, 'next_modseq', found.length))!;
  await search.forget(trx, folderId, found);
  await trx.deleteFrom('mail_keywords').where('folder_id', '=', folderId).where('uid', 'in', found).execute();
  await trx.deleteFrom('mail_messages').where('folder_id', '=', folderId).where('uid', 'in', found).execute();
  await trx
    .insertInto('mail_changes')
    .values(found.map((uid, i) => ({ mailbox_id: mailboxId, folder_id: folderId, modseq: first + i, uid, kind: 'expunged' })))
    .execute();
  const last = first + found.length - 1;
  await takeOut(trx, folderId, rows, last);
  await writeTransaction(trx, mailboxChange(mailboxId, last), async () => undefined);
  return blobs.map((row) => row.blob_id);
}

/** Moves messages to another folder of the same mailbox; returns how many moved. */
export async function moveMessages(trx: Tx, mailboxId: string, fromFolderId: string, toFolderId: string, uids: readonly number[]): Promise<number> {
  const rows = await rowsOf(trx, fromFolderId, uids);
  if (!rows.length) return 0;
  // Each message takes two MODSEQs: its expunge from the source, then its arrival.
  let modseq = (await allocate(trx, 'mail_mailboxes', mailboxId, 'next_modseq', rows.length * 2))!;
  const firstUid = (await allocate(trx, 'mail_folders', toFolderId, 'uid_next', rows.length))!;
  let sourceTop = 0;
  for (const [i, row] of rows.entries()) {
    const uid = firstUid + i;
    const expunged = modseq++;
    const added = modseq++;
    sourceTop = expunged;
    await trx.updateTable('mail_messages').set({ folder_id: toFolderId, uid, modseq: added }).where('folder_id', '=', fromFolderId).where('uid', '=', row.uid).execute();
    await trx.updateTable('mail_keywords').set({ folder_id: toFolderId, uid }).where('folder_id', '=', fromFolderId).where('uid', '=', row.uid).execute();
    await trx
      .insertInto('mail_changes')
      .values([
        { mailbox_id: mailboxId, folder_id: fromFolderId, modseq: expunged, uid: row.uid, kind: 'expunged' },
        { mailbox_id: mailboxId, folder_id: toFolderId, modseq: added, uid, kind: 'added' },
      ])
      .execute();
  }
  const last = modseq - 1;
  await takeOut(trx, fromFolderId, rows, sourceTop);
  await trx
    .updateTable('mail_folders')
    .set((eb) => ({
      messages: eb('messages', '+', rows.length),
      unseen: eb('unseen', '+', rows.filter((row) => !(row.flags & SEEN)).length),
      bytes: eb('bytes', '+', rows.reduce((sum, row) => sum + row.size, 0)),
      highest_modseq: last,
    }))
    .where('id', '=', toFolderId)
    .execute();
  await writeTransaction(trx, mailboxChange(mailboxId, last), async () => undefined);
  return rows.length;
}
