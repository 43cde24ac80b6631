// The outbound queue: one row per submitted message (its body in the blob store, referenced by
// `blob_id` like a filed message's, so the orphan sweeper keeps it) and one row per remote
// recipient with its own state, attempts and lease. A recipient row exists only while there is
// work to do for it: delivered ones are deleted, failed ones once their DSN is filed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mail_outbound_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull())
    /** The envelope sender; '' for the null sender (a bounce, which never bounces). */
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('sender_mailbox_id', 'text')
    .addColumn('blob_id', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    /** ms since the epoch: when submission accepted the message. */
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    /** ms since the epoch: received_at plus the maximum age; past it, a failure is final. */
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_outbound_messages_blob').on('mail_outbound_messages').column('blob_id').execute();

  await db.schema
    .createTable('mail_outbound_recipients')
    /** `<queue id>.<n>`: what `godwit queue` names one recipient by. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('queue_id', 'text', (c) => c.notNull().references('mail_outbound_messages.id'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    /** Lower-case domain of the recipient: recipients of one message and domain share a connection. */
    .addColumn('domain', 'text', (c) => c.notNull())
    /** queued | deferred | bouncing (failed for good, its DSN not filed yet) */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    /** ms since the epoch */
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    /** ms since the epoch: until then the worker named in lease_owner is working on the row. */
    .addColumn('lease_until', 'bigint')
    .addColumn('lease_owner', 'text')
    /** The last reply or connection failure, as the DSN's Diagnostic-Code and `queue list` show it. */
    .addColumn('last_error', 'text')
    /** RFC 3463 status of the last failure, e.g. 5.1.1. */
    .addColumn('last_status', 'text')
    /** The remote host that gave the last reply. */
    .addColumn('remote_mta', 'text')
    .execute();
  await db.schema.createIndex('mail_outbound_recipients_due').on('mail_outbound_recipients').columns(['next_attempt_at']).execute();
  await db.schema.createIndex('mail_outbound_recipients_queue').on('mail_outbound_recipients').columns(['queue_id']).execute();
}
