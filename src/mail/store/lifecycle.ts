// A mailbox's end. WorkMail keeps a deregistered (DISABLED) user's mailbox and removes it with
// the user (DeleteUser, DeleteResource) or the organization (DeleteOrganization). Godwit hears
// of deletions on the change bus (a 'directory' change names the organization) and reconciles
// that organization: every mailbox whose entity is DELETED or gone, or whose organization is
// Deleted, is removed with its messages, and the bodies nothing else references are freed. The
// same reconciliation of all organizations runs at start, so a crash between the directory
// commit and the removal leaves nothing behind.
import type { Db } from '../../store/database.ts';
import { writeTransaction } from '../../store/database.ts';
import { mailboxChange } from '../../store/changes.ts';
import type { FileBlobStore } from '../../blobs/blob-store.ts';
import { freeUnreferenced } from './blob-references.ts';
import type { MailSearch } from './search.ts';

/** Deletes the mailbox's rows in one transaction, then frees its unreferenced bodies. */
export async function removeMailbox(db: Db, blobs: FileBlobStore, search: MailSearch, mailboxId: string): Promise<{ freedBlobs: number }> {
  const blobIds = await writeTransaction(db, mailboxChange(mailboxId), async (trx) => {
    const mailbox = await trx.selectFrom('mail_mailboxes').select(['id', 'next_modseq']).where('id', '=', mailboxId).executeTakeFirst();
    if (!mailbox) return [];
    const folders = await trx.selectFrom('mail_folders').select('id').where('mailbox_id', '=', mailboxId).execute();
    const ids = (await trx.selectFrom('mail_messages').select('blob_id').distinct().where('mailbox_id', '=', mailboxId).execute()).map((row) => row.blob_id);
    for (const folder of folders) {
      const uids = (await trx.selectFrom('mail_messages').select('uid').where('folder_id', '=', folder.id).execute()).map((row) => Number(row.uid));
      for (let i = 0; i < uids.length; i += 500) await search.forget(trx, folder.id, uids.slice(i, i + 500));
      await trx.deleteFrom('mail_keywords').where('folder_id', '=', folder.id).execute();
    }
    await trx.deleteFrom('mail_messages').where('mailbox_id', '=', mailboxId).execute();
    await trx.deleteFrom('mail_changes').where('mailbox_id', '=', mailboxId).execute();
    await trx.deleteFrom('mail_folders').where('mailbox_id', '=', mailboxId).execute();
    await trx.deleteFrom('mail_mailboxes').where('id', '=', mailboxId).execute();
    // Whoever listens learns the mailbox is gone at a MODSEQ past anything it had.
    await writeTransaction(trx, mailboxChange(mailboxId, Number(mailbox.next_modseq)), async () => undefined);
    return ids;
  });
  return { freedBlobs: await freeUnreferenced(db, blobs, blobIds) };
}

/** Mailboxes (of one organization, or all) whose entity is deleted or gone, or whose organization is deleted. */
export async function orphanMailboxes(db: Db, orgId?: string): Promise<string[]> {
  let query = db
    .selectFrom('mail_mailboxes as m')
    .leftJoin('wm_entities as e', 'e.id', 'm.id')
    .leftJoin('wm_organizations as o', 'o.id', 'm.org_id')
    .select('m.id')
    .where((eb) => eb.or([eb('e.id', 'is', null), eb('e.state', '=', 'DELETED'), eb('o.id', 'is', null), eb('o.state', '=', 'Deleted')]));
  if (orgId) query = query.where('m.org_id', '=', orgId);
  return (await query.execute()).map((row) => row.id);
}

export async function reconcileMailboxes(db: Db, blobs: FileBlobStore, search: MailSearch, orgId?: string): Promise<string[]> {
  const ids = await orphanMailboxes(db, orgId);
  for (const id of ids) await removeMailbox(db, blobs, search, id);
  return ids;
}
