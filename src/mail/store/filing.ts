// Files a batch of deliveries inside one transaction (group-commit.ts), in few statements:
//
// 1. Locks every mailbox of the batch (store/tx.ts), in one order for every writer, so that two
//    batches never deadlock; then reads their folders and quotas once.
// 2. Checks each delivery in turn against what the batch has accepted so far: every target folder
//    exists, and no mailbox goes over its quota with all of the delivery's copies. A refused
//    delivery writes nothing; the others carry on.
// 3. Allocates the accepted deliveries' UIDs per folder and MODSEQs per mailbox, each with one
//    `allocate` (UPDATE … RETURNING) for the whole batch, gap-free and in delivery order.
// 4. Writes the messages, keywords and journal entries in multi-row inserts, the search text
//    per message, and each folder's counters once.
// Under the locks, what was read in step 1 stays true until the commit.
import { allocate, writeTransaction, type Tx } from '../../store/database.ts';
import { mailboxChange } from '../../store/changes.ts';
import type { Delivered, DeliveryTarget } from '../delivery.ts';
import type { MailFoldersTable } from '../../store/schema.ts';
import { MailboxNotFound, QuotaExceeded } from './errors.ts';
import { SEEN, splitFlags } from './flags.ts';
import type { Outcome } from './group-commit.ts';
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

const MB = 1024 * 1024;
/** Rows per multi-row insert: well under either engine's limit of bound parameters. */
const ROWS_PER_INSERT = 200;

/** Takes the mailboxes' locks (store/tx.ts), in one order for every writer, so that two batches never deadlock. */
export async function lockMailboxes(trx: Tx, mailboxIds: Iterable<string>): Promise<void> {
  for (const id of [...new Set(mailboxIds)].sort()) await writeTransaction(trx, mailboxChange(id), async () => undefined);
}

interface Placed {
  filing: Filing;
  target: DeliveryTarget;
  folder: MailFoldersTable;
  uid: number;
  modseq: number;
}

export async function fileBatch(trx: Tx, filings: Filing[], context: FilingContext): Promise<Array<Outcome<Delivered[]>>> {
  const mailboxIds = [...new Set(filings.flatMap((filing) => filing.targets.map((target) => target.mailboxId)))];
  await lockMailboxes(trx, mailboxIds);
  const folders = await trx.selectFrom('mail_folders').selectAll().where('mailbox_id', 'in', mailboxIds).execute();
  const folderOf = new Map(folders.map((folder) => [`${folder.mailbox_id}\n${folder.name}`, folder]));
  const used = new Map<string, number>(mailboxIds.map((id) => [id, 0]));
  for (const folder of folders) used.set(folder.mailbox_id, used.get(folder.mailbox_id)! + Number(folder.bytes));
  const quotas = new Map(
    (await trx.selectFrom('wm_entities').select(['id', 'mailbox_quota_mb']).where('id', 'in', mailboxIds).execute()).map((row) => [
      row.id,
      (row.mailbox_quota_mb ?? context.defaultQuotaMb) * MB,
    ]),
  );

  const outcomes: Array<Outcome<Delivered[]>> = [];
  const accepted: Array<{ filing: Filing; index: number; folders: MailFoldersTable[] }> = [];
  for (const [index, filing] of filings.entries()) {
    try {
      const targetFolders = filing.targets.map((target) => {
        const folder = folderOf.get(`${target.mailboxId}\n${target.folder}`);
        if (!folder) throw new MailboxNotFound(`The mailbox ${target.mailboxId} has no folder ${target.folder}; it may have been deleted.`);
        return folder;
      });
      const copies = new Map<string, number>();
      for (const target of filing.targets) copies.set(target.mailboxId, (copies.get(target.mailboxId) ?? 0) + 1);
      for (const [mailboxId, count] of copies) {
        const quota = quotas.get(mailboxId) ?? context.defaultQuotaMb * MB;
        const bytes = used.get(mailboxId)!;
        if (bytes + count * filing.size > quota) {
          throw new QuotaExceeded(`The mailbox ${mailboxId} is full: it holds ${bytes} bytes of its ${quota}, and the message has ${filing.size}.`);
        }
      }
      for (const [mailboxId, count] of copies) used.set(mailboxId, used.get(mailboxId)! + count * filing.size);
      accepted.push({ filing, index, folders: targetFolders });
      outcomes.push({ ok: true, value: [] });
    } catch (error) {
      if (!(error instanceof MailboxNotFound || error instanceof QuotaExceeded)) throw error;
      outcomes.push({ ok: false, error });
    }
  }
  if (!accepted.length) return outcomes;

  // One allocation per folder (UIDs) and per mailbox (MODSEQs), handed out in delivery order.
  const perFolder = new Map<string, number>();
  const perMailbox = new Map<string, number>();
  for (const { filing, folders: targetFolders } of accepted) {
    targetFolders.forEach((folder) => perFolder.set(folder.id, (perFolder.get(folder.id) ?? 0) + 1));
    filing.targets.forEach((target) => perMailbox.set(target.mailboxId, (perMailbox.get(target.mailboxId) ?? 0) + 1));
  }
  const nextUid = new Map<string, number>();
  for (const [folderId, count] of perFolder) nextUid.set(folderId, (await allocate(trx, 'mail_folders', folderId, 'uid_next', count))!);
  const nextModseq = new Map<string, number>();
  for (const [mailboxId, count] of perMailbox) nextModseq.set(mailboxId, (await allocate(trx, 'mail_mailboxes', mailboxId, 'next_modseq', count))!);

  const placed: Placed[] = [];
  for (const { filing, index, folders: targetFolders } of accepted) {
    const delivered: Delivered[] = [];
    filing.targets.forEach((target, i) => {
      const folder = targetFolders[i];
      const uid = nextUid.get(folder.id)!;
      nextUid.set(folder.id, uid + 1);
      const modseq = nextModseq.get(target.mailboxId)!;
      nextModseq.set(target.mailboxId, modseq + 1);
      placed.push({ filing, target, folder, uid, modseq });
      delivered.push({ mailboxId: target.mailboxId, folder: target.folder, uid, modseq });
    });
    outcomes[index] = { ok: true, value: delivered };
  }

  await insertPlaced(trx, placed);
  for (const entry of placed) await context.search.index(trx, { folderId: entry.folder.id, uid: entry.uid }, entry.filing.parsed.text);
  await updateCounters(trx, placed);
  // One announcement per mailbox, carrying its highest MODSEQ of this transaction.
  for (const [mailboxId, next] of nextModseq) await writeTransaction(trx, mailboxChange(mailboxId, next - 1), async () => undefined);
  return outcomes;
}

async function insertPlaced(trx: Tx, placed: Placed[]): Promise<void> {
  const envelopes = new Map<Filing, { envelope: string; body: string }>();
  const json = (filing: Filing) => {
    let cached = envelopes.get(filing);
    if (!cached) envelopes.set(filing, (cached = { envelope: JSON.stringify(filing.parsed.envelope), body: JSON.stringify(filing.parsed.body) }));
    return cached;
  };
  for (let start = 0; start < placed.length; start += ROWS_PER_INSERT) {
    const chunk = placed.slice(start, start + ROWS_PER_INSERT);
    const flags = chunk.map((entry) => splitFlags(entry.target.flags ?? []));
    await trx
      .insertInto('mail_messages')
      .values(
        chunk.map((entry, i) => ({
          folder_id: entry.folder.id,
          uid: entry.uid,
          mailbox_id: entry.target.mailboxId,
          blob_id: entry.filing.blobId,
          size: entry.filing.size,
          internal_date: entry.filing.receivedAt.getTime(),
          flags: flags[i].mask,
          modseq: entry.modseq,
          envelope: json(entry.filing).envelope,
          body_structure: json(entry.filing).body,
        })),
      )
      .execute();
    const keywords = chunk.flatMap((entry, i) => flags[i].keywords.map((keyword) => ({ folder_id: entry.folder.id, uid: entry.uid, keyword })));
    if (keywords.length) await trx.insertInto('mail_keywords').values(keywords).execute();
    await trx
      .insertInto('mail_changes')
      .values(chunk.map((entry) => ({ mailbox_id: entry.target.mailboxId, folder_id: entry.folder.id, modseq: entry.modseq, uid: entry.uid, kind: 'added' })))
      .execute();
  }
}

async function updateCounters(trx: Tx, placed: Placed[]): Promise<void> {
  const totals = new Map<string, { messages: number; unseen: number; bytes: number; modseq: number }>();
  for (const entry of placed) {
    const total = totals.get(entry.folder.id) ?? { messages: 0, unseen: 0, bytes: 0, modseq: 0 };
    total.messages++;
    if (!(splitFlags(entry.target.flags ?? []).mask & SEEN)) total.unseen++;
    total.bytes += entry.filing.size;
    total.modseq = Math.max(total.modseq, entry.modseq);
    totals.set(entry.folder.id, total);
  }
  for (const [folderId, total] of totals) {
    await trx
      .updateTable('mail_folders')
      .set((eb) => ({
        messages: eb('messages', '+', total.messages),
        unseen: eb('unseen', '+', total.unseen),
        bytes: eb('bytes', '+', total.bytes),
        highest_modseq: total.modseq,
      }))
      .where('id', '=', folderId)
      .execute();
  }
}
