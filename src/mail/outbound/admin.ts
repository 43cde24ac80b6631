// What `godwit queue` does: list the recipients waiting in the outbound queue, make them due
// now, or delete one. These work on the store directly, so they run in their own process
// beside a serving one; a serving worker sees a retried recipient at its next poll.
import { sql } from 'kysely';
import { inTransaction, type Db, type Reader } from '../../store/database.ts';
import { removeRecipients } from './queue-store.ts';

export interface QueueEntry {
  /** The recipient's entry: `<queue id>.<n>`. */
  id: string;
  queueId: string;
  sender: string;
  recipient: string;
  /** queued (never tried), deferred (tried, will try again), sending (a worker holds it now), bouncing (failed, DSN pending) */
  state: 'queued' | 'deferred' | 'sending' | 'bouncing';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  receivedAt: string;
  ageSeconds: number;
}

export class QueueEntryNotFound extends Error {
  override name = 'QueueEntryNotFound';
}

export async function listQueue(db: Reader, now: Date): Promise<QueueEntry[]> {
  const rows = await db
    .selectFrom('mail_outbound_recipients as r')
    .innerJoin('mail_outbound_messages as m', 'm.id', 'r.queue_id')
    .select(['r.id', 'r.queue_id', 'm.sender', 'r.recipient', 'r.state', 'r.attempts', 'r.next_attempt_at', 'r.lease_until', 'r.last_error', 'm.received_at'])
    .orderBy('m.received_at')
    .orderBy('r.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    queueId: row.queue_id,
    sender: row.sender,
    recipient: row.recipient,
    state: row.lease_until !== null && row.lease_until > now.getTime() ? 'sending' : (row.state as QueueEntry['state']),
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_at).toISOString(),
    lastError: row.last_error,
    receivedAt: new Date(row.received_at).toISOString(),
    ageSeconds: Math.max(0, Math.floor((now.getTime() - row.received_at) / 1000)),
  }));
}

/**
 * Makes recipients due now: one entry (`<queue id>.<n>`), every recipient of a queue id, or all
 * (`target` undefined). Entries a worker is sending right now are left to it. Returns how many.
 */
export async function retryQueue(db: Db, now: Date, target: string | undefined): Promise<number> {
  const updated = await inTransaction(db, async (trx) => {
    let query = trx
      .updateTable('mail_outbound_recipients')
      .set({ next_attempt_at: now.getTime() })
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now.getTime())]));
    if (target !== undefined) query = query.where((eb) => eb.or([eb('id', '=', target), eb('queue_id', '=', target)]));
    return query.executeTakeFirst();
  });
  const count = Number(updated.numUpdatedRows);
  if (target !== undefined && count === 0 && !(await exists(db, target))) throw notFound(target);
  return count;
}

/**
 * Deletes one entry, or every recipient of a queue id: they are never sent and bounce to no one.
 * The body stays until the orphan sweeper's next run (this process holds none of the server's
 * blob holds, so it leaves the removal to the server). Returns how many recipients went.
 */
export async function deleteQueueEntry(db: Db, target: string): Promise<number> {
  const ids = await db
    .selectFrom('mail_outbound_recipients')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', target), eb('queue_id', '=', target)]))
    .execute();
  if (!ids.length) throw notFound(target);
  await removeRecipients(
    db,
    ids.map((row) => row.id),
  );
  return ids.length;
}

async function exists(db: Reader, target: string): Promise<boolean> {
  const row = await db
    .selectFrom('mail_outbound_recipients')
    .select(sql<number>`1`.as('one'))
    .where((eb) => eb.or([eb('id', '=', target), eb('queue_id', '=', target)]))
    .executeTakeFirst();
  return row !== undefined;
}

const notFound = (target: string) => new QueueEntryNotFound(`no queue entry '${target}': 'godwit queue list' shows the ids (<queue id> for a message, <queue id>.<n> for one recipient)`);

/** `godwit queue list` as a table. */
export function queueText(entries: readonly QueueEntry[]): string {
  if (!entries.length) return 'The outbound queue is empty.\n';
  const header = ['ID', 'RECIPIENT', 'STATE', 'ATTEMPTS', 'NEXT TRY', 'AGE', 'LAST ERROR'];
  const rows = entries.map((entry) => [entry.id, entry.recipient, entry.state, String(entry.attempts), entry.nextAttemptAt, age(entry.ageSeconds), entry.lastError ?? '-']);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.slice(0).map((row) => (column === 6 ? 0 : row[column]!.length))));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

function age(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86400)}d${Math.floor((seconds % 86400) / 3600)}h`;
}
