// SELECT / EXAMINE: a folder's UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ, and every message's UID,
// flags and MODSEQ in UID order (the session's sequence numbers).
//
// A folder of 100,000 messages is read in chunks by UID, yielding to the event loop between
// them: on SQLite the process has one connection, and one long read would stall every other
// session's commands, IDLE wake-ups and deliveries until it ended.
//
// The counters are read first and the rows after, not in one snapshot: a message delivered or
// flagged meanwhile may show up with a MODSEQ above `highestModseq`, and one expunged meanwhile
// may be missing. Both are what the session's next `changesSince(highestModseq)` reports again,
// so the session converges; the rows are limited to UIDs below `uidNext` so that none is
// announced twice as new.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Reader } from '../../store/database.ts';
import type { FolderHandle } from './context.ts';
import { requireFolderByName } from './folder-rows.ts';
import { flagList, keywordsBetween, keywordsInUse, PERMANENT_FLAGS, type MessageFlags } from './message-flags.ts';
import { canonicalName, displayName } from './names.ts';

export interface OpenedFolder {
  handle: FolderHandle;
  /** As IMAP shows it. */
  name: string;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  /** In UID order. */
  messages: MessageFlags[];
  /** System flags and the keywords in use in the folder (SELECT's FLAGS). */
  flags: string[];
  permanentFlags: string[];
}

export const DEFAULT_CHUNK = 5000;

export async function openFolder(db: Reader, mailboxId: string, name: string, chunk = DEFAULT_CHUNK): Promise<OpenedFolder> {
  const folder = await requireFolderByName(db, mailboxId, canonicalName(name));
  const uidNext = Number(folder.uid_next);
  const messages: MessageFlags[] = [];
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('mail_messages')
      .select(['uid', 'flags', 'modseq'])
      .where('folder_id', '=', folder.id)
      .where('uid', '>', after)
      .where('uid', '<', uidNext)
      .orderBy('uid')
      .limit(chunk)
      .execute();
    if (!rows.length) break;
    const first = Number(rows[0].uid);
    after = Number(rows[rows.length - 1].uid);
    const keywords = await keywordsBetween(db, folder.id, first, after);
    for (const row of rows) messages.push({ uid: Number(row.uid), flags: flagList(Number(row.flags), keywords.get(Number(row.uid))), modseq: Number(row.modseq) });
    if (rows.length < chunk) break;
    await yieldToEventLoop();
  }
  const inUse = await keywordsInUse(db, folder.id);
  return {
    handle: { mailboxId, folderId: folder.id },
    name: displayName(folder.name),
    uidValidity: Number(folder.uid_validity),
    uidNext,
    highestModseq: Number(folder.highest_modseq),
    messages,
    flags: ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', ...inUse],
    permanentFlags: [...PERMANENT_FLAGS.slice(0, 5), ...inUse, '\\*'],
  };
}
