// COPY and MOVE (RFC 4315 COPYUID, RFC 6851), between folders of one mailbox or from a mailbox
// shared with the user into another.
//
// A copy is a new message row in the target pointing at the same body: a body lives as long as
// some row references it (blob-references.ts), so nothing is written to disk. The copies are
// filed as a delivery files (file-messages.ts): the target's quota is checked under its lock,
// and the copy is all or nothing. The search index needs each body's text, and SQLite's index
// keeps none (contentless FTS5), so the bodies are read and parsed before the transaction (which
// must await nothing but the database), held meanwhile so that no expunge can free them.
//
// A move within one mailbox rewrites the rows in place (moves.ts); across mailboxes it is a copy
// and an expunge of the originals in one transaction holding both mailboxes' locks.
import { mailboxChange } from '../../store/changes.ts';
import { inTransaction, writeTransaction, type Reader, type Tx } from '../../store/database.ts';
import { freeUnreferenced } from '../store/blob-references.ts';
import { lockMailboxes } from '../store/filing.ts';
import { flagNames } from '../store/flags.ts';
import { parseMessage, type ParsedMessage } from '../store/mime.ts';
import { expungeMessages, moveMessages } from '../store/moves.ts';
import type { FolderHandle, ServiceContext } from './context.ts';
import { fileMessages } from './file-messages.ts';
import { requireFolder, requireFolderByName } from './folder-rows.ts';
import { keywordsBetween } from './message-flags.ts';
import { canonicalName } from './names.ts';
import { batches, whereUids, type UidSet } from './uid-set.ts';

export interface CopyResult {
  /** The target folder's UIDVALIDITY, for COPYUID. */
  uidValidity: number;
  /** [source UID, target UID] in source UID order; UIDs of the set that no longer exist are left out. */
  mapping: Array<[number, number]>;
}

export interface MoveResult extends CopyResult {
  /** Source UIDs that left the source folder, ascending. */
  expunged: number[];
}

interface SourceRow {
  uid: number;
  blobId: string;
  size: number;
  internalDate: number;
  mask: number;
  keywords: string[];
}

const CHUNK = 500;

async function sourceRows(db: Reader, handle: FolderHandle, uids: UidSet): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for (const ranges of batches(uids)) {
    const rows = await whereUids(
      db.selectFrom('mail_messages').select(['uid', 'blob_id', 'size', 'internal_date', 'flags']).where('folder_id', '=', handle.folderId),
      ranges,
    )
      .orderBy('uid')
      .execute();
    if (!rows.length) continue;
    const keywords = await keywordsBetween(db, handle.folderId, Number(rows[0].uid), Number(rows[rows.length - 1].uid));
    for (const row of rows) {
      const uid = Number(row.uid);
      out.push({ uid, blobId: row.blob_id, size: Number(row.size), internalDate: Number(row.internal_date), mask: Number(row.flags), keywords: keywords.get(uid) ?? [] });
    }
  }
  return out;
}

/** Reads and parses the bodies of the messages, held until `work` has committed. */
async function withParsedBodies<T>(context: ServiceContext, source: FolderHandle, uids: UidSet, work: (parsed: Map<string, ParsedMessage>) => Promise<T>): Promise<T> {
  await requireFolder(context.db, source);
  const ids = [...new Set((await sourceRows(context.db, source, uids)).map((row) => row.blobId))];
  const holds = ids.map((id) => context.blobs.hold(id));
  try {
    const parsed = new Map<string, ParsedMessage>();
    for (const id of ids) {
      // Gone: its message was expunged (and the body freed) after the rows were read; it is not copied.
      const body = await context.blobs.read(id).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
      if (body) parsed.set(id, parseMessage(body));
    }
    return await work(parsed);
  } finally {
    for (const hold of holds) hold.release();
  }
}

/** Under the locks of both mailboxes: files copies of the source rows (those whose bodies were prepared) into the target. */
async function copyLocked(trx: Tx, context: ServiceContext, source: FolderHandle, uids: UidSet, targetMailboxId: string, target: string, parsed: Map<string, ParsedMessage>) {
  await requireFolder(trx, source);
  const folder = await requireFolderByName(trx, targetMailboxId, target);
  // A message filed into the set's range after the bodies were read has no parsed body: it is left out, as if it came after the command.
  const rows = (await sourceRows(trx, source, uids)).filter((row) => parsed.has(row.blobId));
  const filed = await fileMessages(
    trx,
    context,
    targetMailboxId,
    target,
    rows.map((row) => ({ blobId: row.blobId, size: row.size, internalDate: new Date(row.internalDate), parsed: parsed.get(row.blobId)!, flags: [...flagNames(row.mask), ...row.keywords] })),
  );
  return { rows, result: { uidValidity: Number(folder.uid_validity), mapping: rows.map((row, i) => [row.uid, filed[i].uid] as [number, number]) } };
}

export async function copy(context: ServiceContext, source: FolderHandle, uids: UidSet, targetMailboxId: string, targetName: string): Promise<CopyResult> {
  const target = canonicalName(targetName);
  return withParsedBodies(context, source, uids, (parsed) =>
    inTransaction(context.db, async (trx) => {
      await lockMailboxes(trx, [source.mailboxId, targetMailboxId]);
      return (await copyLocked(trx, context, source, uids, targetMailboxId, target, parsed)).result;
    }),
  );
}

export async function move(context: ServiceContext, source: FolderHandle, uids: UidSet, targetMailboxId: string, targetName: string): Promise<MoveResult> {
  const target = canonicalName(targetName);
  if (source.mailboxId === targetMailboxId) return moveWithin(context, source, uids, target);
  const { result, blobIds } = await withParsedBodies(context, source, uids, (parsed) =>
    inTransaction(context.db, async (trx) => {
      await lockMailboxes(trx, [source.mailboxId, targetMailboxId]);
      const { rows, result } = await copyLocked(trx, context, source, uids, targetMailboxId, target, parsed);
      const expunged = rows.map((row) => row.uid);
      const blobs: string[] = [];
      for (let i = 0; i < expunged.length; i += CHUNK) blobs.push(...(await expungeMessages(trx, context.search, source.mailboxId, source.folderId, expunged.slice(i, i + CHUNK))));
      return { result: { ...result, expunged }, blobIds: blobs };
    }),
  );
  await freeUnreferenced(context.db, context.blobs, blobIds);
  return result;
}

async function moveWithin(context: ServiceContext, source: FolderHandle, uids: UidSet, target: string): Promise<MoveResult> {
  return writeTransaction(context.db, mailboxChange(source.mailboxId), async (trx) => {
    await requireFolder(trx, source);
    const folder = await requireFolderByName(trx, source.mailboxId, target);
    const moving: number[] = [];
    for (const ranges of batches(uids)) {
      const rows = await whereUids(trx.selectFrom('mail_messages').select('uid').where('folder_id', '=', source.folderId), ranges).orderBy('uid').execute();
      for (const row of rows) moving.push(Number(row.uid));
    }
    const mapping: Array<[number, number]> = [];
    for (let i = 0; i < moving.length; i += CHUNK) {
      const chunk = moving.slice(i, i + CHUNK);
      // moveMessages gives the moved rows consecutive UIDs from the target's UIDNEXT, in source UID order.
      const next = await trx.selectFrom('mail_folders').select('uid_next').where('id', '=', folder.id).executeTakeFirstOrThrow();
      await moveMessages(trx, source.mailboxId, source.folderId, folder.id, chunk);
      chunk.forEach((uid, j) => mapping.push([uid, Number(next.uid_next) + j]));
    }
    return { uidValidity: Number(folder.uid_validity), mapping, expunged: moving };
  });
}
