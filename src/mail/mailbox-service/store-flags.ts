// STORE (+FLAGS, -FLAGS, FLAGS) on a UID set, with CONDSTORE's UNCHANGEDSINCE: under the
// mailbox's lock, a message whose MODSEQ is above UNCHANGEDSINCE is left alone and reported
// (RFC 7162 MODIFIED), so of two sessions storing against the same MODSEQ exactly one wins.
// Each changed message gets its own MODSEQ; its row, keywords, the journal, the folder's unseen
// counter and HIGHESTMODSEQ move in the same transaction, announced on commit.
import { mailboxChange } from '../../store/changes.ts';
import { allocate, writeTransaction, type Tx } from '../../store/database.ts';
import { SEEN } from '../store/flags.ts';
import type { FolderHandle, ServiceContext } from './context.ts';
import { requireFolder } from './folder-rows.ts';
import { checkFlags, flagList, keywordsBetween, type MessageFlags } from './message-flags.ts';
import { batches, whereUids, type UidSet } from './uid-set.ts';

export type FlagOperation = 'add' | 'remove' | 'replace';

export interface StoreRequest {
  uids: UidSet;
  operation: FlagOperation;
  flags: readonly string[];
  /** CONDSTORE: change only messages whose MODSEQ is at most this. */
  unchangedSince?: number;
}

export interface StoreResult {
  /** Messages whose flags changed, with their new flags and MODSEQ. */
  updated: MessageFlags[];
  /** Messages of the set already as asked (their MODSEQ unchanged): a non-.SILENT STORE still reports their flags. */
  unchanged: MessageFlags[];
  /** UIDs that failed the UNCHANGEDSINCE test (RFC 7162 [MODIFIED …]). */
  failed: number[];
}

interface Current {
  uid: number;
  mask: number;
  keywords: string[];
  modseq: number;
}

const JOURNAL_ROWS = 200;

export async function storeFlags(context: ServiceContext, handle: FolderHandle, request: StoreRequest): Promise<StoreResult> {
  const wanted = checkFlags(request.flags);
  return writeTransaction(context.db, mailboxChange(handle.mailboxId), async (trx) => {
    const folder = await requireFolder(trx, handle);
    const result: StoreResult = { updated: [], unchanged: [], failed: [] };
    const changes: Array<{ before: Current; mask: number; keywords: string[] }> = [];
    for (const ranges of batches(request.uids)) {
      for (const row of await currentFlags(trx, folder.id, ranges)) {
        if (request.unchangedSince !== undefined && row.modseq > request.unchangedSince) {
          result.failed.push(row.uid);
          continue;
        }
        const next = apply(row, request.operation, wanted);
        if (next.mask === row.mask && sameSet(next.keywords, row.keywords)) result.unchanged.push({ uid: row.uid, flags: flagList(row.mask, row.keywords), modseq: row.modseq });
        else changes.push({ before: row, ...next });
      }
    }
    if (!changes.length) return result;

    const first = (await allocate(trx, 'mail_mailboxes', handle.mailboxId, 'next_modseq', changes.length))!;
    let unseenDelta = 0;
    for (const [i, change] of changes.entries()) {
      const { uid } = change.before;
      const modseq = first + i;
      await trx.updateTable('mail_messages').set({ flags: change.mask, modseq }).where('folder_id', '=', folder.id).where('uid', '=', uid).execute();
      const removed = change.before.keywords.filter((keyword) => !change.keywords.includes(keyword));
      const added = change.keywords.filter((keyword) => !change.before.keywords.includes(keyword));
      if (removed.length) await trx.deleteFrom('mail_keywords').where('folder_id', '=', folder.id).where('uid', '=', uid).where('keyword', 'in', removed).execute();
      if (added.length) await trx.insertInto('mail_keywords').values(added.map((keyword) => ({ folder_id: folder.id, uid, keyword }))).execute();
      unseenDelta += Number(!(change.mask & SEEN)) - Number(!(change.before.mask & SEEN));
      result.updated.push({ uid, flags: flagList(change.mask, change.keywords), modseq });
    }
    for (let i = 0; i < changes.length; i += JOURNAL_ROWS) {
      await trx
        .insertInto('mail_changes')
        .values(changes.slice(i, i + JOURNAL_ROWS).map((change, j) => ({ mailbox_id: handle.mailboxId, folder_id: folder.id, modseq: first + i + j, uid: change.before.uid, kind: 'flags' })))
        .execute();
    }
    const last = first + changes.length - 1;
    await trx
      .updateTable('mail_folders')
      .set((eb) => ({ unseen: eb('unseen', '+', unseenDelta), highest_modseq: last }))
      .where('id', '=', folder.id)
      .execute();
    await writeTransaction(trx, mailboxChange(handle.mailboxId, last), async () => undefined);
    return result;
  });
}

async function currentFlags(trx: Tx, folderId: string, ranges: Array<[number, number]>): Promise<Current[]> {
  const rows = await whereUids(trx.selectFrom('mail_messages').select(['uid', 'flags', 'modseq']).where('folder_id', '=', folderId), ranges).orderBy('uid').execute();
  if (!rows.length) return [];
  const keywords = await keywordsBetween(trx, folderId, Number(rows[0].uid), Number(rows[rows.length - 1].uid));
  return rows.map((row) => ({ uid: Number(row.uid), mask: Number(row.flags), keywords: keywords.get(Number(row.uid)) ?? [], modseq: Number(row.modseq) }));
}

function apply(row: Current, operation: FlagOperation, wanted: { mask: number; keywords: string[] }): { mask: number; keywords: string[] } {
  switch (operation) {
    case 'replace':
      return { mask: wanted.mask, keywords: wanted.keywords };
    case 'add':
      return { mask: row.mask | wanted.mask, keywords: [...new Set([...row.keywords, ...wanted.keywords])] };
    case 'remove':
      return { mask: row.mask & ~wanted.mask, keywords: row.keywords.filter((keyword) => !wanted.keywords.includes(keyword)) };
  }
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((value) => b.includes(value));
