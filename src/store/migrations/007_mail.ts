// Mail: a mailbox per WorkMail user or resource, its folders with their IMAP counters, the
// messages filed in them (body in the blob store, envelope and body structure computed once at
// delivery), keywords, the change journal IMAP CONDSTORE/QRESYNC will read, and full-text search
// (FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL).
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('mail_mailboxes')
    // The WorkMail entity's id: one mailbox per user or resource.
    .addColumn('id', 'text', (c) => c.primaryKey().references('wm_entities.id'))
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull())
    // One MODSEQ sequence for the whole mailbox, so a change announcement needs no folder.
    .addColumn('next_modseq', 'bigint', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_mailboxes_org').on('mail_mailboxes').columns(['org_id', 'id']).execute();

  await db.schema
    .createTable('mail_folders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mail_mailboxes.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('uid_validity', 'bigint', (c) => c.notNull())
    .addColumn('uid_next', 'bigint', (c) => c.notNull().defaultTo(1))
    .addColumn('highest_modseq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('messages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unseen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_folders_name').on('mail_folders').columns(['mailbox_id', 'name']).unique().execute();

  await db.schema
    .createTable('mail_messages')
    .addColumn('folder_id', 'text', (c) => c.notNull().references('mail_folders.id'))
    .addColumn('uid', 'bigint', (c) => c.notNull())
    .addColumn('mailbox_id', 'text', (c) => c.notNull())
    .addColumn('blob_id', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('internal_date', 'bigint', (c) => c.notNull())
    /** System flags as a bitmask: see src/mail/store/flags.ts. */
    .addColumn('flags', 'integer', (c) => c.notNull())
    .addColumn('modseq', 'bigint', (c) => c.notNull())
    /** JSON: what IMAP ENVELOPE returns, raw header values. */
    .addColumn('envelope', 'text', (c) => c.notNull())
    /** JSON: the MIME tree IMAP BODYSTRUCTURE returns. */
    .addColumn('body_structure', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_messages_pk', ['folder_id', 'uid'])
    .execute();
  await db.schema.createIndex('mail_messages_modseq').on('mail_messages').columns(['folder_id', 'modseq']).execute();
  await db.schema.createIndex('mail_messages_date').on('mail_messages').columns(['folder_id', 'internal_date']).execute();
  await db.schema.createIndex('mail_messages_blob').on('mail_messages').column('blob_id').execute();
  await db.schema.createIndex('mail_messages_mailbox').on('mail_messages').column('mailbox_id').execute();

  await db.schema
    .createTable('mail_keywords')
    .addColumn('folder_id', 'text', (c) => c.notNull())
    .addColumn('uid', 'bigint', (c) => c.notNull())
    .addColumn('keyword', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_keywords_pk', ['folder_id', 'uid', 'keyword'])
    .execute();

  await db.schema
    .createTable('mail_changes')
    .addColumn('mailbox_id', 'text', (c) => c.notNull())
    .addColumn('folder_id', 'text', (c) => c.notNull())
    .addColumn('modseq', 'bigint', (c) => c.notNull())
    .addColumn('uid', 'bigint', (c) => c.notNull())
    /** added | flags | expunged */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_changes_pk', ['folder_id', 'modseq', 'uid'])
    .execute();
  await db.schema.createIndex('mail_changes_mailbox').on('mail_changes').columns(['mailbox_id', 'modseq']).execute();

  if (postgres) {
    await sql`alter table mail_messages add column search tsvector`.execute(db);
    await sql`create index mail_messages_search on mail_messages using gin (search)`.execute(db);
  } else {
    // Rows are the messages' rowids; the text is indexed only, never stored twice.
    await sql`create virtual table mail_fts using fts5(subject, addresses, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(db);
  }
}
