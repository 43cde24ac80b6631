// The mailbox store's door for the mail doors: MailDelivery (src/mail/delivery.ts).
//
// Durability order of a delivery: parse the message once; write its body to the blob store and
// fsync it (held, so the orphan sweeper leaves it alone); then file it in every target in one
// metadata transaction, shared with whatever other deliveries are pending (group-commit.ts); the
// caller's promise resolves after that commit. A crash before the commit leaves at most an
// orphan blob, which the sweeper removes.
import type { Clock } from '../../clock.ts';
import type { FileBlobStore } from '../../blobs/blob-store.ts';
import type { Store } from '../../store/database.ts';
import { WELL_KNOWN_FOLDERS, type Delivered, type DeliveryTarget, type IncomingMessage, type MailDelivery } from '../delivery.ts';
import { InvalidTarget, QuotaExceeded, storeFailure } from './errors.ts';
import { fileBatch, type Filing } from './filing.ts';
import { GroupCommit } from './group-commit.ts';
import { ensureMailbox, mailboxBytes, quotaBytes } from './mailboxes.ts';
import { parseMessage } from './mime.ts';
import { mailSearch, type MailSearch } from './search.ts';

export interface MailStoreOptions {
  store: Store;
  blobs: FileBlobStore;
  clock: Clock;
  /** The quota of a mailbox whose entity has none set (WorkMail's default). */
  defaultQuotaMb: number;
  /** The most deliveries one transaction carries; 1 turns group commit off (bench/mail-store.ts compares). */
  maxBatch?: number;
}

export class MailStore implements MailDelivery {
  readonly search: MailSearch;
  readonly queue: GroupCommit<Filing, Delivered[]>;
  private readonly knownMailboxes = new Set<string>();

  constructor(readonly options: MailStoreOptions) {
    this.search = mailSearch(options.store.engine);
    const context = { search: this.search, defaultQuotaMb: options.defaultQuotaMb };
    this.queue = new GroupCommit<Filing, Delivered[]>(options.store.db, (trx, filings) => fileBatch(trx, filings, context), options.maxBatch);
  }

  async deliver(message: IncomingMessage, targets: readonly DeliveryTarget[]): Promise<Delivered[]> {
    if (targets.length === 0) throw new InvalidTarget('A delivery needs at least one target.');
    for (const target of targets) {
      if (!(WELL_KNOWN_FOLDERS as readonly string[]).includes(target.folder)) throw new InvalidTarget(`No folder ${target.folder}.`);
    }
    const { db } = this.options.store;
    const parsed = parseMessage(message.raw);
    const size = message.raw.length;
    try {
      for (const mailboxId of new Set(targets.map((target) => target.mailboxId))) {
        // A mailbox this process has seen needs no look: if it was removed since (its entity
        // deleted), the batch finds no folder and refuses the delivery as MailboxNotFound.
        if (this.knownMailboxes.has(mailboxId)) continue;
        await ensureMailbox(db, mailboxId, this.options.clock.now());
        this.knownMailboxes.add(mailboxId);
      }
      // Checked again under the lock; this early look only spares the disk a body that would be refused.
      await this.checkQuota(targets, size);
      const hold = await this.options.blobs.put(message.raw);
      try {
        const delivered = await this.queue.submit({ blobId: hold.id, size, receivedAt: message.receivedAt, parsed, targets });
        // Committed: if another process's removal took the body meanwhile, it is written again now.
        // On SQLite the data folder has one process, whose removals respect the hold: no look needed.
        if (this.options.store.engine !== 'sqlite') await this.options.blobs.ensure(hold.id, message.raw);
        return delivered;
      } finally {
        hold.release();
      }
    } catch (error) {
      throw storeFailure(error);
    }
  }

  async usage(mailboxId: string): Promise<{ bytes: number; quotaBytes: number }> {
    const { db } = this.options.store;
    try {
      return { bytes: await mailboxBytes(db, mailboxId), quotaBytes: await quotaBytes(db, mailboxId, this.options.defaultQuotaMb) };
    } catch (error) {
      throw storeFailure(error);
    }
  }

  private async checkQuota(targets: readonly DeliveryTarget[], size: number): Promise<void> {
    const copies = new Map<string, number>();
    for (const target of targets) copies.set(target.mailboxId, (copies.get(target.mailboxId) ?? 0) + 1);
    for (const [mailboxId, count] of copies) {
      const { bytes, quotaBytes } = await this.usage(mailboxId);
      if (bytes + count * size > quotaBytes) throw new QuotaExceeded(`The mailbox ${mailboxId} is full: it holds ${bytes} bytes of its ${quotaBytes}.`);
    }
  }
}
