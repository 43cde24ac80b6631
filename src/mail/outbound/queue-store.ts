// The queue's rows: inserting a message with its recipients, claiming due recipients under a
// lease, and recording what an attempt gave. Every write is one short transaction (store/tx.ts)
// that awaits nothing but the database; the SMTP conversation happens between them, under the
// lease, never inside a transaction.
//
// Several workers (processes on one PostgreSQL database, or one process's loop) share the rows.
// A claim sets `lease_until`/`lease_owner` in one UPDATE … RETURNING over the due, unleased
// rows; on PostgreSQL the subquery takes the rows FOR UPDATE SKIP LOCKED, so a concurrent claim
// skips rows another is taking, and one that waited re-reads the lease after the other's commit.
// Later writes name the owner, so a worker whose lease ran out cannot undo its successor's work.
import { PostgresAdapter } from 'kysely';
import { inTransaction, type Db, type Reader } from '../../store/database.ts';
import type { MailOutboundMessagesTable, MailOutboundRecipientsTable } from '../../store/schema.ts';

export type QueuedMessage = MailOutboundMessagesTable;
export type QueuedRecipient = MailOutboundRecipientsTable;

export type RecipientState = 'queued' | 'deferred' | 'bouncing';

export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

export async function insertQueued(db: Db, message: QueuedMessage, recipients: readonly string[], firstAttemptAt: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.insertInto('mail_outbound_messages').values(message).execute();
    await trx
      .insertInto('mail_outbound_recipients')
      .values(
        recipients.map((recipient, index) => ({
          id: `${message.id}.${index + 1}`,
          queue_id: message.id,
          recipient,
          domain: domainOf(recipient),
          state: 'queued',
          attempts: 0,
          next_attempt_at: firstAttemptAt,
          lease_until: null,
          lease_owner: null,
          last_error: null,
          last_status: null,
          remote_mta: null,
        })),
      )
      .execute();
  });
}

/** Leases up to `limit` recipients that are due at `now` and not leased by a live worker. */
export async function claimDue(db: Db, owner: string, now: number, leaseMs: number, limit: number): Promise<QueuedRecipient[]> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return inTransaction(db, async (trx) => {
    let due = trx
      .selectFrom('mail_outbound_recipients')
      .select('id')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .limit(limit);
    if (postgres) due = due.forUpdate().skipLocked();
    return trx
      .updateTable('mail_outbound_recipients')
      .set({ lease_until: now + leaseMs, lease_owner: owner })
      .where('id', 'in', due)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .returningAll()
      .execute();
  });
}

/**
 * Extends the lease of those of `ids` this worker still holds, right before it talks to a remote
 * server about them, and returns those. A claimed batch is worked through over time; a row whose
 * lease ran out meanwhile may be another worker's now, and must not be sent twice.
 */
export async function renewLease(db: Db, owner: string, ids: readonly string[], now: number, leaseMs: number): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await inTransaction(db, (trx) =>
    trx
      .updateTable('mail_outbound_recipients')
      .set({ lease_until: now + leaseMs })
      .where('id', 'in', ids)
      .where('lease_owner', '=', owner)
      .where('lease_until', '>', now)
      .returning('id')
      .execute(),
  );
  return new Set(rows.map((row) => row.id));
}

export async function messagesByIds(db: Reader, ids: readonly string[]): Promise<Map<string, QueuedMessage>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('mail_outbound_messages').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

export interface AttemptFailure {
  error: string;
  status: string;
  remoteMta: string | undefined;
}

/** A temporary failure: tried again at `nextAttemptAt`, the lease given up. */
export async function recordDeferred(db: Db, owner: string, ids: readonly string[], failure: AttemptFailure, nextAttemptAt: number): Promise<void> {
  if (!ids.length) return;
  await inTransaction(db, (trx) =>
    trx
      .updateTable('mail_outbound_recipients')
      .set((eb) => ({
        state: 'deferred',
        attempts: eb('attempts', '+', 1),
        next_attempt_at: nextAttemptAt,
        lease_until: null,
        lease_owner: null,
        last_error: failure.error,
        last_status: failure.status,
        remote_mta: failure.remoteMta ?? null,
      }))
      .where('id', 'in', ids)
      .where('lease_owner', '=', owner)
      .execute(),
  );
}

/**
 * A final failure: the recipient waits for its DSN in state `bouncing`, still leased by `owner`,
 * who files the DSN next. If it dies first, the lease runs out and another worker files it.
 */
export async function recordBouncing(db: Db, owner: string, ids: readonly string[], failure: AttemptFailure, counted: boolean): Promise<void> {
  if (!ids.length) return;
  await inTransaction(db, (trx) =>
    trx
      .updateTable('mail_outbound_recipients')
      .set((eb) => ({
        state: 'bouncing',
        attempts: counted ? eb('attempts', '+', 1) : eb.ref('attempts'),
        last_error: failure.error,
        last_status: failure.status,
        remote_mta: failure.remoteMta ?? null,
      }))
      .where('id', 'in', ids)
      .where('lease_owner', '=', owner)
      .execute(),
  );
}

/**
 * Deletes recipient rows (delivered, bounced, or deleted by an administrator) and then every
 * message of theirs left with no recipient; returns the blob ids those messages referenced, for
 * the caller to free. `owner` limits it to rows this worker still leases.
 */
export async function removeRecipients(db: Db, ids: readonly string[], owner?: string): Promise<string[]> {
  if (!ids.length) return [];
  return inTransaction(db, async (trx) => {
    let remove = trx.deleteFrom('mail_outbound_recipients').where('id', 'in', ids);
    if (owner !== undefined) remove = remove.where('lease_owner', '=', owner);
    const removed = await remove.returning('queue_id').execute();
    const queueIds = [...new Set(removed.map((row) => row.queue_id))];
    if (!queueIds.length) return [];
    const emptied = await trx
      .deleteFrom('mail_outbound_messages')
      .where('id', 'in', queueIds)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('mail_outbound_recipients').select('id').whereRef('mail_outbound_recipients.queue_id', '=', 'mail_outbound_messages.id'))))
      .returning('blob_id')
      .execute();
    return emptied.map((row) => row.blob_id);
  });
}
