// Mailboxes and their folders. A mailbox belongs to a WorkMail user or resource and is made
// lazily, the first time mail is filed for an entity registered to WorkMail (ENABLED); it then
// outlives a deregistration, and goes only when the entity is deleted (lifecycle.ts).
//
// mail/ reads wm_entities itself (state, organization, quota) rather than importing workmail/:
// the directory is the store's, and workmail/ must never import mail/.
import { randomUUID } from 'node:crypto';
import { inTransaction, type Db, type Reader } from '../../store/database.ts';
import { WELL_KNOWN_FOLDERS } from '../delivery.ts';
import { MailboxNotFound } from './errors.ts';

const MB = 1024 * 1024;

/** The mailbox of `entityId`, made with WorkMail's folders if it has none yet. */
export async function ensureMailbox(db: Db, entityId: string, now: Date): Promise<void> {
  if (await mailboxExists(db, entityId)) return;
  const entity = await db.selectFrom('wm_entities').select(['org_id', 'type', 'state']).where('id', '=', entityId).executeTakeFirst();
  if (!entity || entity.state !== 'ENABLED' || (entity.type !== 'USER' && entity.type !== 'RESOURCE')) {
    throw new MailboxNotFound(`No mailbox for ${entityId}: it is not a user or resource registered to WorkMail.`);
  }
  await inTransaction(db, async (trx) => {
    const created = await trx
      .insertInto('mail_mailboxes')
      .values({ id: entityId, org_id: entity.org_id, next_modseq: 1, created_at: now.toISOString() })
      .onConflict((c) => c.column('id').doNothing())
      .executeTakeFirst();
    if (Number(created.numInsertedOrUpdatedRows ?? 0) === 0) return;
    // UIDVALIDITY in seconds: distinct from any earlier mailbox of this folder name.
    const uidValidity = Math.floor(now.getTime() / 1000);
    await trx
      .insertInto('mail_folders')
      .values(
        WELL_KNOWN_FOLDERS.map((name) => ({
          id: randomUUID(),
          mailbox_id: entityId,
          name,
          uid_validity: uidValidity,
          uid_next: 1,
          highest_modseq: 0,
          messages: 0,
          unseen: 0,
          bytes: 0,
          created_at: now.toISOString(),
        })),
      )
      .execute();
  });
}

export async function mailboxExists(db: Reader, mailboxId: string): Promise<boolean> {
  return (await db.selectFrom('mail_mailboxes').select('id').where('id', '=', mailboxId).executeTakeFirst()) !== undefined;
}

/** Bytes of every message in the mailbox, from the folders' counters; 0 without a mailbox. */
export async function mailboxBytes(db: Reader, mailboxId: string): Promise<number> {
  const row = await db
    .selectFrom('mail_folders')
    .select((eb) => eb.fn.sum<number | string | null>('bytes').as('bytes'))
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  return Number(row?.bytes ?? 0);
}

/** The entity's quota in bytes: wm_entities.mailbox_quota_mb, or `defaultMb` when none is set. */
export async function quotaBytes(db: Reader, mailboxId: string, defaultMb: number): Promise<number> {
  const row = await db.selectFrom('wm_entities').select('mailbox_quota_mb').where('id', '=', mailboxId).executeTakeFirst();
  return (row?.mailbox_quota_mb ?? defaultMb) * MB;
}

/** What GetMailboxDetails reports: MailboxSize is a double, in MB (2^20 bytes). */
export const bytesToMb = (bytes: number): number => bytes / MB;
