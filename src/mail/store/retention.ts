// Applies each organization's retention policy (wm_retention_policies, written by
// src/workmail/retention.ts) to its mailboxes: for each configured folder, messages whose
// internal date is older than Period days are moved to Deleted Items (DELETE) or expunged
// (PERMANENTLY_DELETE); NONE keeps them. DELETE on Deleted Items itself expunges, since there is
// nowhere further to move them. Runs at start and daily, on the injectable clock.
import { writeTransaction, type Db } from '../../store/database.ts';
import { mailboxChange } from '../../store/changes.ts';
import type { FileBlobStore } from '../../blobs/blob-store.ts';
import type { WellKnownFolder } from '../delivery.ts';
import { freeUnreferenced } from './blob-references.ts';
import { expungeMessages, moveMessages } from './moves.ts';
import type { MailSearch } from './search.ts';

/** WorkMail's FolderName values and the folders they name. */
const FOLDERS: Record<string, WellKnownFolder> = {
  INBOX: 'Inbox',
  DELETED_ITEMS: 'Deleted Items',
  SENT_ITEMS: 'Sent Items',
  DRAFTS: 'Drafts',
  JUNK_EMAIL: 'Junk E-mail',
};

const DAY = 24 * 60 * 60 * 1000;
const CHUNK = 500;

export interface RetentionResult {
  moved: number;
  expunged: number;
}

export async function applyRetention(db: Db, blobs: FileBlobStore, search: MailSearch, now: Date): Promise<RetentionResult> {
  const result: RetentionResult = { moved: 0, expunged: 0 };
  const policies = await db.selectFrom('wm_retention_policies').select(['org_id', 'folders']).execute();
  for (const policy of policies) {
    const rules = (JSON.parse(policy.folders) as Array<{ Name: string; Action: string; Period?: number }>).filter(
      (rule) => rule.Action !== 'NONE' && rule.Period !== undefined && FOLDERS[rule.Name],
    );
    if (!rules.length) continue;
    const mailboxes = await db.selectFrom('mail_mailboxes').select('id').where('org_id', '=', policy.org_id).execute();
    for (const { id: mailboxId } of mailboxes) {
      for (const rule of rules) {
        const folderName = FOLDERS[rule.Name];
        const cutoff = now.getTime() - rule.Period! * DAY;
        const expunge = rule.Action === 'PERMANENTLY_DELETE' || folderName === 'Deleted Items';
        for (;;) {
          const done = await applyChunk(db, search, mailboxId, folderName, cutoff, expunge);
          if (done.blobs.length) await freeUnreferenced(db, blobs, done.blobs);
          if (expunge) result.expunged += done.count;
          else result.moved += done.count;
          if (done.count < CHUNK) break;
        }
      }
    }
  }
  return result;
}

async function applyChunk(db: Db, search: MailSearch, mailboxId: string, folderName: WellKnownFolder, cutoff: number, expunge: boolean) {
  // A look first, so that a mailbox with nothing due is neither locked nor announced as changed.
  const due = await db
    .selectFrom('mail_messages as m')
    .innerJoin('mail_folders as f', 'f.id', 'm.folder_id')
    .select('m.uid')
    .where('f.mailbox_id', '=', mailboxId)
    .where('f.name', '=', folderName)
    .where('m.internal_date', '<', cutoff)
    .limit(1)
    .executeTakeFirst();
  if (!due) return { count: 0, blobs: [] as string[] };
  return writeTransaction(db, mailboxChange(mailboxId), async (trx) => {
    const folders = await trx.selectFrom('mail_folders').select(['id', 'name']).where('mailbox_id', '=', mailboxId).execute();
    const source = folders.find((folder) => folder.name === folderName);
    const bin = folders.find((folder) => folder.name === 'Deleted Items');
    if (!source || (!expunge && !bin)) return { count: 0, blobs: [] as string[] };
    const uids = (
      await trx.selectFrom('mail_messages').select('uid').where('folder_id', '=', source.id).where('internal_date', '<', cutoff).orderBy('uid').limit(CHUNK).execute()
    ).map((row) => Number(row.uid));
    if (!uids.length) return { count: 0, blobs: [] as string[] };
    if (expunge) return { count: uids.length, blobs: await expungeMessages(trx, search, mailboxId, source.id, uids) };
    return { count: await moveMessages(trx, mailboxId, source.id, bin!.id, uids), blobs: [] as string[] };
  });
}
