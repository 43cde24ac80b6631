// What IMAP needs beyond the mailbox store of 007: folders a user makes, deletes and renames, and
// the subscriptions of LSUB / LIST (SUBSCRIBED).
//
// - `mail_mailboxes.last_uid_validity`: the last UIDVALIDITY handed to a folder of the mailbox.
//   A folder made later gets a larger one, so a name deleted and made again, or a name another
//   folder is renamed to, never shows a client a UIDVALIDITY it has cached for other messages.
// - `mail_folder_placeholders`: a folder deleted while it had children (RFC 3501 DELETE) loses
//   its messages and its row, and its name stays as a level of the hierarchy (\Noselect). Kept
//   apart from mail_folders so that every folder row is a selectable folder with counters.
// - `mail_subscriptions`: per user, since a user subscribes to folders of mailboxes shared with
//   them too; names are not checked against folders (RFC 3501 allows subscribing to any name).
import { type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mail_mailboxes').addColumn('last_uid_validity', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('mail_folder_placeholders')
    .addColumn('mailbox_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_folder_placeholders_pk', ['mailbox_id', 'name'])
    .execute();
  await db.schema
    .createTable('mail_subscriptions')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('mailbox_id', 'text', (c) => c.notNull())
    /** The folder name as stored (UTF-8, INBOX as Inbox). */
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_subscriptions_pk', ['user_id', 'mailbox_id', 'name'])
    .execute();
}
