// Files one delivery inside a transaction the caller holds: checks every target first (the
// mailbox exists, the folder exists, the quota holds for all targets together), then, per target,
// allocates a UID and a MODSEQ with UPDATE … RETURNING, writes the message, its keywords, its
// journal entry and its search text, and moves the folder's counters by the same amounts. A
// refusal is thrown before anything is written, so a batch can carry on without it.
import { allocate, writeTransaction, type Tx } from '../../store/database.ts';
import { mailboxChange } from '../../store/changes.ts';
import type { Delivered, DeliveryTarget } from '../delivery.ts';
import { MailboxNotFound, QuotaExceeded } from './errors.ts';
import { SEEN, splitFlags } from './flags.ts';
import { folderOf, mailboxBytes, quotaBytes } from './mailboxes.ts';
import type { ParsedMessage } from './mime.ts';
import type { MailSearch } from './search.ts';

export interface Filing {
  blobId: string;
  size: number;
  receivedAt: Date;
  parsed: ParsedMessage;
  targets: readonly DeliveryTarget[];
}

export interface FilingContext {
  search: MailSearch;
  defaultQuotaMb: number;
}

/** Takes the mailboxes' locks (store/tx.ts), in one order for every writer, so that two batches never deadlock. */
export async function lockMailboxes(trx: Tx, mailboxIds: Iterable<string>): Promise<void> {
  for (const id of [...new Set(mailboxIds)].sort()) await writeTransaction(trx, mailboxChange(id), async () => undefined);
}

export async function fileMessage(trx: Tx, filing: Filing, context: FilingContext): Promise<Delivered[]> {
  const perMailbox = new Map<string, number>();
  for (const target of filing.targets) perMailbox.set(target.mailboxId, (perMailbox.get(target.mailboxId) ?? 0) + 1);
  await lockMailboxes(trx, perMailbox.keys());

  const folders = [];
  for (const target of filing.targets) {
    const folder = await folderOf(trx, target.mailboxId, target.folder);
    if (!folder) throw new MailboxNotFound(`The mailbox ${target.mailboxId} has no folder ${target.folder}; it may have been deleted.`);
    folders.push(folder);
  }
  for (const [mailboxId, copies] of perMailbox) {
    const [used, quota] = await Promise.all([mailboxBytes(trx, mailboxId), quotaBytes(trx, mailboxId, context.defaultQuotaMb)]);
    if (used + copies * filing.size > quota) {
      throw new QuotaExceeded(`The mailbox ${mailboxId} is full: it holds ${used} bytes of its ${quota}, and the message has ${filing.size}.`);
    }
  }

  const envelope = JSON.stringify(filing.parsed.envelope);
  const bodyStructure = JSON.stringify(filing.parsed.body);
  const delivered: Delivered[] = [];
  for (const [index, target] of filing.targets.entries()) {
    const folder = folders[index];
    const { mask, keywords } = splitFlags(target.flags ?? []);
    const uid = (await allocate(trx, 'mail_folders', folder.id, 'uid_next'))!;
    const modseq = (await allocate(trx, 'mail_mailboxes', target.mailboxId, 'next_modseq'))!;
    await trx
      .insertInto('mail_messages')
      .values({
        folder_id: folder.id,
        uid,
        mailbox_id: target.mailboxId,
        blob_id: filing.blobId,
        size: filing.size,
        internal_date: filing.receivedAt.getTime(),
        flags: mask,
        modseq,
        envelope,
        body_structure: bodyStructure,
      })
      .execute();
    if (keywords.length) await trx.insertInto('mail_keywords').values(keywords.map((keyword) => ({ folder_id: folder.id, uid, keyword }))).execute();
    await trx
      .updateTable('mail_folders')
      .set((eb) => ({
        messages: eb('messages', '+', 1),
        unseen: eb('unseen', '+', mask & SEEN ? 0 : 1),
        bytes: eb('bytes', '+', filing.size),
        highest_modseq: modseq,
      }))
      .where('id', '=', folder.id)
      .execute();
    await trx.insertInto('mail_changes').values({ mailbox_id: target.mailboxId, folder_id: folder.id, modseq, uid, kind: 'added' }).execute();
    await context.search.index(trx, { folderId: folder.id, uid }, filing.parsed.text);
    // The announcement carries the mailbox's latest MODSEQ of this transaction.
    await writeTransaction(trx, mailboxChange(target.mailboxId, modseq), async () => undefined);
    delivered.push({ mailboxId: target.mailboxId, folder: target.folder, uid, modseq });
  }
  return delivered;
}
