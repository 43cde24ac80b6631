// APPEND into any folder, durable as a delivery is (docs/mail-store.md): the message is parsed
// and the quota looked at first, outside any transaction; the body is written and fsynced to the
// blob store, held so that the sweeper leaves it alone; then one transaction under the mailbox's
// lock files it (quota checked again there); APPEND's OK may follow the promise.
import { mailboxChange } from '../../store/changes.ts';
import { writeTransaction } from '../../store/database.ts';
import { storeFailure } from '../store/errors.ts';
import { mailboxBytes, quotaBytes } from '../store/mailboxes.ts';
import { parseMessage } from '../store/mime.ts';
import type { ServiceContext } from './context.ts';
import { QuotaExceeded } from './errors.ts';
import { fileMessages } from './file-messages.ts';
import { requireFolderByName } from './folder-rows.ts';
import { checkFlags } from './message-flags.ts';
import { canonicalName } from './names.ts';
import { flagNames } from '../store/flags.ts';

export interface AppendOptions {
  flags?: readonly string[];
  /** The internal date; now when the client gives none. */
  internalDate?: Date;
}

/** RFC 4315 APPENDUID. */
export interface Appended {
  uidValidity: number;
  uid: number;
  modseq: number;
}

export async function append(context: ServiceContext, mailboxId: string, name: string, raw: Buffer, options: AppendOptions = {}): Promise<Appended> {
  const stored = canonicalName(name);
  const { mask, keywords } = checkFlags(options.flags ?? []);
  const flags = [...flagNames(mask), ...keywords];
  await requireFolderByName(context.db, mailboxId, stored);
  const used = await mailboxBytes(context.db, mailboxId);
  const quota = await quotaBytes(context.db, mailboxId, context.defaultQuotaMb);
  // Checked again under the lock; this early look only spares the disk a body that would be refused.
  if (used + raw.length > quota) throw new QuotaExceeded(`The mailbox is full: it holds ${used} bytes of its ${quota}, and the message has ${raw.length}.`);
  const parsed = parseMessage(raw);
  try {
    const hold = await context.blobs.put(raw);
    try {
      const appended = await writeTransaction(context.db, mailboxChange(mailboxId), async (trx) => {
        const folder = await requireFolderByName(trx, mailboxId, stored);
        const [filed] = await fileMessages(trx, context, mailboxId, stored, [
          { blobId: hold.id, size: raw.length, internalDate: options.internalDate ?? context.clock.now(), parsed, flags },
        ]);
        return { uidValidity: Number(folder.uid_validity), uid: filed.uid, modseq: filed.modseq };
      });
      // As MailStore.deliver: on PostgreSQL another process's removal may have taken an identical body meanwhile.
      if (context.engine !== 'sqlite') await context.blobs.ensure(hold.id, raw);
      return appended;
    } finally {
      hold.release();
    }
  } catch (error) {
    throw storeFailure(error);
  }
}
