// Filing messages into any folder of a mailbox, user folders included, through the mail store's
// own filing (filing.ts: quota under the lock, UIDs and MODSEQs allocated gap-free, rows,
// keywords, journal, search text, counters, announcement), so that APPEND and COPY file exactly
// as delivery does. All or nothing: the first refusal (quota, folder gone) is thrown, which rolls
// back the caller's transaction.
import type { Tx } from '../../store/database.ts';
import type { WellKnownFolder } from '../delivery.ts';
import { fileBatch, type Filing } from '../store/filing.ts';
import type { ParsedMessage } from '../store/mime.ts';
import type { ServiceContext } from './context.ts';

export interface MessageToFile {
  blobId: string;
  size: number;
  internalDate: Date;
  parsed: ParsedMessage;
  flags: string[];
}

/** Returns each message's UID and MODSEQ, in order. */
export async function fileMessages(trx: Tx, context: ServiceContext, mailboxId: string, folderName: string, messages: readonly MessageToFile[]): Promise<Array<{ uid: number; modseq: number }>> {
  if (!messages.length) return [];
  const filings: Filing[] = messages.map((message) => ({
    blobId: message.blobId,
    size: message.size,
    receivedAt: message.internalDate,
    parsed: message.parsed,
    // filing.ts looks folders up by name among all of the mailbox's; the type names WorkMail's
    // folders because delivery may only target those, which MailStore.deliver checks, not filing.
    targets: [{ mailboxId, folder: folderName as WellKnownFolder, flags: message.flags }],
  }));
  const outcomes = await fileBatch(trx, filings, { search: context.search, defaultQuotaMb: context.defaultQuotaMb });
  return outcomes.map((outcome) => {
    if (!outcome.ok) throw outcome.error;
    return { uid: outcome.value[0].uid, modseq: outcome.value[0].modseq };
  });
}
