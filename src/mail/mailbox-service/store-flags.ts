// STORE (+FLAGS, -FLAGS, FLAGS) on a UID set, with CONDSTORE's UNCHANGEDSINCE: under the
// mailbox's lock, a message whose MODSEQ is above UNCHANGEDSINCE is left alone and reported
// (RFC 7162 MODIFIED), so of two sessions storing against the same MODSEQ exactly one wins.
// Each changed message gets its own MODSEQ; its row, keywords, the journal entry, the folder's
// unseen counter and HIGHESTMODSEQ move in one transaction, announced on commit.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { sql } from 'kysely';
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

/** Messages per statement: a CASE of 200 rows binds ~1,000 values, well under either engine's limit. */
const ROWS = 200;

/**
 * Messages per transaction: on SQLite a transaction holds the process's one connection, so a
 * STORE over a large folder commits in steps with other sessions' work between them.
 */
const MESSAGES_PER_TRANSACTION = 5000;

/**
 * A STORE over more than MESSAGES_PER_TRANSACTION messages commits in steps, in UID order; each
 * message changes once. RFC 3501 does not make STORE atomic, and a client sees every change in
 * its FETCH responses either way.
 */
export async function storeFlags(context: ServiceContext, handle: FolderHandle, request: StoreRequest): Promise<StoreResult> {
  const wanted = checkFlags(request.flags);
  const result: StoreResult = { updated: [], unchanged: [], failed: [] };
  for (const ranges of batches(request.uids)) {
    for (let after = 0; ; ) {
      const step = await writeTransaction(context.db, mailboxChange(handle.mailboxId), (trx) => storeStep(trx, handle, ranges, after, request, wanted));
      result.updated.push(...step.updated);
      result.unchanged.push(...step.unchanged);
      result.failed.push(...step.failed);
      if (step.last === undefined) break;
      after = step.last;
      await yieldToEventLoop();
    }
  }
  return result;
}

/** One transaction: the next messages of the ranges after UID `after`; `last` is where the next step starts (undefined: none left). */
async function storeStep(
  trx: Tx,
  handle: FolderHandle,
  ranges: Array<[number, number]>,
  after: number,
  request: StoreRequest,
  wanted: { mask: number; keywords: string[] },
): Promise<StoreResult & { last: number | undefined }> {
  const folder = await requireFolder(trx, handle);
  const rows = await currentFlags(trx, folder.id, ranges, after);
  const result: StoreResult & { last: number | undefined } = { updated: [], unchanged: [], failed: [], last: rows.length === MESSAGES_PER_TRANSACTION ? rows[rows.length - 1].uid : undefined };
  const changes: Change[] = [];
  for (const row of rows) {
    if (request.unchangedSince !== undefined && row.modseq > request.unchangedSince) {
      result.failed.push(row.uid);
      continue;
    }
    const next = apply(row, request.operation, wanted);
    if (next.mask === row.mask && sameSet(next.keywords, row.keywords)) result.unchanged.push({ uid: row.uid, flags: flagList(row.mask, row.keywords), modseq: row.modseq });
    else changes.push({ before: row, ...next });
  }
  if (!changes.length) return result;

  const first = (await allocate(trx, 'mail_mailboxes', handle.mailboxId, 'next_modseq', changes.length))!;
  let unseenDelta = 0;
  for (const [i, change] of changes.entries()) {
    unseenDelta += Number(!(change.mask & SEEN)) - Number(!(change.before.mask & SEEN));
    result.updated.push({ uid: change.before.uid, flags: flagList(change.mask, change.keywords), modseq: first + i });
  }
  for (let i = 0; i < changes.length; i += ROWS) await writeChunk(trx, handle, folder.id, changes.slice(i, i + ROWS), first + i);
  const last = first + changes.length - 1;
  await trx
    .updateTable('mail_folders')
    .set((eb) => ({ unseen: eb('unseen', '+', unseenDelta), highest_modseq: last }))
    .where('id', '=', folder.id)
    .execute();
  await writeTransaction(trx, mailboxChange(handle.mailboxId, last), async () => undefined);
  return result;
}

interface Change {
  before: Current;
  mask: number;
  keywords: string[];
}

/**
 * One UPDATE per chunk (each row's flags and MODSEQ by a CASE on its UID), the keyword changes
 * in a few statements, and the journal in one insert: a STORE over a whole large folder costs
 * a few statements per 200 messages rather than several per message.
 */
async function writeChunk(trx: Tx, handle: FolderHandle, folderId: string, chunk: Change[], firstModseq: number): Promise<void> {
  // The casts type the bound values on PostgreSQL, which would otherwise take them for text. The
  // BETWEEN (chunks are in UID order) steers the planner to the primary key even without statistics.
  const uids = chunk.map((change) => change.before.uid);
  const flags = sql.join(chunk.map((change) => sql`when ${change.before.uid} then cast(${change.mask} as integer)`), sql` `);
  const modseqs = sql.join(chunk.map((change, i) => sql`when ${change.before.uid} then cast(${firstModseq + i} as bigint)`), sql` `);
  await sql`update mail_messages set flags = case uid ${flags} end, modseq = case uid ${modseqs} end where folder_id = ${folderId} and uid between ${uids[0]} and ${uids[uids.length - 1]} and uid in (${sql.join(uids)})`.execute(trx);
  const removals = new Map<string, number[]>();
  const additions: Array<{ folder_id: string; uid: number; keyword: string }> = [];
  for (const change of chunk) {
    for (const keyword of change.before.keywords) if (!change.keywords.includes(keyword)) removals.set(keyword, [...(removals.get(keyword) ?? []), change.before.uid]);
    for (const keyword of change.keywords) if (!change.before.keywords.includes(keyword)) additions.push({ folder_id: folderId, uid: change.before.uid, keyword });
  }
  for (const [keyword, from] of removals) await trx.deleteFrom('mail_keywords').where('folder_id', '=', folderId).where('keyword', '=', keyword).where('uid', 'in', from).execute();
  for (let i = 0; i < additions.length; i += ROWS) await trx.insertInto('mail_keywords').values(additions.slice(i, i + ROWS)).execute();
  await trx
    .insertInto('mail_changes')
    .values(chunk.map((change, i) => ({ mailbox_id: handle.mailboxId, folder_id: folderId, modseq: firstModseq + i, uid: change.before.uid, kind: 'flags' })))
    .execute();
}

async function currentFlags(trx: Tx, folderId: string, ranges: Array<[number, number]>, after: number): Promise<Current[]> {
  const rows = await whereUids(trx.selectFrom('mail_messages').select(['uid', 'flags', 'modseq']).where('folder_id', '=', folderId).where('uid', '>', after), ranges)
    .orderBy('uid')
    .limit(MESSAGES_PER_TRANSACTION)
    .execute();
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
