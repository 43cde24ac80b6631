// What changed in a folder after a MODSEQ, for NOOP and IDLE (untagged EXISTS, EXPUNGE and FETCH
// FLAGS), CONDSTORE and QRESYNC (VANISHED (EARLIER) and the changed FLAGS of a reconnecting
// client). Changed and new messages come from their rows (a message's row holds its latest
// MODSEQ); expunged UIDs from the journal, which keeps them (it is not pruned yet, so any MODSEQ
// a client brings back is answered exactly).
import type { Reader } from '../../store/database.ts';
import type { FolderHandle } from './context.ts';
import { requireFolder } from './folder-rows.ts';
import { flagList, keywordsBetween, type MessageFlags } from './message-flags.ts';
import { batches, whereUids, type UidSet } from './uid-set.ts';

export interface FolderChanges {
  /** The folder's counters when the changes were read: the session's new high-water marks. */
  uidNext: number;
  highestModseq: number;
  messages: number;
  /** Messages added or whose flags changed after `since`, in UID order. */
  changed: MessageFlags[];
  /** UIDs expunged (or moved out) after `since`, ascending. */
  expunged: number[];
}

export async function changesSince(db: Reader, handle: FolderHandle, since: number): Promise<FolderChanges> {
  const folder = await requireFolder(db, handle);
  const rows = await db.selectFrom('mail_messages').select(['uid', 'flags', 'modseq']).where('folder_id', '=', folder.id).where('modseq', '>', since).orderBy('uid').execute();
  const keywords = rows.length ? await keywordsBetween(db, folder.id, Number(rows[0].uid), Number(rows[rows.length - 1].uid)) : new Map<number, string[]>();
  return {
    uidNext: Number(folder.uid_next),
    highestModseq: Number(folder.highest_modseq),
    messages: Number(folder.messages),
    changed: rows.map((row) => ({ uid: Number(row.uid), flags: flagList(Number(row.flags), keywords.get(Number(row.uid))), modseq: Number(row.modseq) })),
    expunged: await vanishedSince(db, handle, since),
  };
}

/** QRESYNC's VANISHED (EARLIER): UIDs expunged after `since`, limited to `uids` when the client named its known UIDs. */
export async function vanishedSince(db: Reader, handle: FolderHandle, since: number, uids?: UidSet): Promise<number[]> {
  const query = db
    .selectFrom('mail_changes')
    .select('uid')
    .distinct()
    .where('folder_id', '=', handle.folderId)
    .where('kind', '=', 'expunged')
    .where('modseq', '>', since);
  const found = new Set<number>();
  for (const ranges of uids ? batches(uids) : [undefined]) {
    const rows = await (ranges ? whereUids(query, ranges) : query).execute();
    for (const row of rows) found.add(Number(row.uid));
  }
  return [...found].sort((a, b) => a - b);
}
