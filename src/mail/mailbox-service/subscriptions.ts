// SUBSCRIBE, UNSUBSCRIBE and LSUB / LIST (SUBSCRIBED): per user and mailbox, by stored name.
// RFC 3501 lets a server accept a subscription to a name that does not exist (a folder deleted
// later keeps its subscription too), so names are only checked for form.
import type { Db, Reader } from '../../store/database.ts';
import { canonicalName, displayName } from './names.ts';

export async function subscribe(db: Db, userId: string, mailboxId: string, name: string): Promise<void> {
  await db
    .insertInto('mail_subscriptions')
    .values({ user_id: userId, mailbox_id: mailboxId, name: canonicalName(name) })
    .onConflict((c) => c.columns(['user_id', 'mailbox_id', 'name']).doNothing())
    .execute();
}

export async function unsubscribe(db: Db, userId: string, mailboxId: string, name: string): Promise<void> {
  await db.deleteFrom('mail_subscriptions').where('user_id', '=', userId).where('mailbox_id', '=', mailboxId).where('name', '=', canonicalName(name)).execute();
}

/** The subscribed names as IMAP shows them, sorted. */
export async function subscriptions(db: Reader, userId: string, mailboxId: string): Promise<string[]> {
  const rows = await db.selectFrom('mail_subscriptions').select('name').where('user_id', '=', userId).where('mailbox_id', '=', mailboxId).orderBy('name').execute();
  return rows.map((row) => displayName(row.name));
}
