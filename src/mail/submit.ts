// A message an authenticated user submits (SMTP 465/587), after the door has checked who may
// send it: recipients of this server's organizations are filed in their Inbox directly, the
// others are handed to the outbound queue, and the sender keeps a copy in Sent Items, read.
//
// Durability order: the remote part is queued (durably) first, then the local copies and the
// Sent Items copy are filed in one deliver() call (all or nothing). The door answers 250 only
// when both have resolved; if the filing fails after the queueing succeeded, the client is told
// to retry, and a retry may send the remote part twice. A duplicate is acceptable, a loss is not.
//
// A mailbox the message would take over its quota is found before anything is queued, so that
// a permanent refusal (552 5.2.2) never follows a copy already on its way out.
import type { Reader } from '../store/database.ts';
import type { DeliveryTarget, MailDelivery } from './delivery.ts';
import type { OutboundQueue } from './outbound.ts';
import { classifyAddress, resolveRecipient } from './recipients.ts';
import { DomainError, errorClass } from '../errors.ts';

/** A local mailbox (a recipient's, or the sender's for Sent Items) cannot take the message: final. */
export class SubmissionQuotaExceeded extends errorClass('limit', 'QuotaExceeded') {}
/** Something failed once part of the message may already be on its way: the client should retry. */
export class SubmissionIncomplete extends errorClass('unavailable', 'SubmissionIncomplete') {}

export type RecipientRoute =
  | { route: 'local'; targets: DeliveryTarget[] }
  | { route: 'remote' }
  /** A local domain, but no enabled user, group or resource holds the address. */
  | { route: 'unknown' }
  /** A local group with no member who receives mail. */
  | { route: 'no-members' };

/** Where mail for `address` goes when an authenticated user sends it. */
export async function routeRecipient(db: Reader, address: string): Promise<RecipientRoute> {
  const resolved = await resolveRecipient(db, address);
  if (resolved) return resolved.targets.length === 0 ? { route: 'no-members' } : { route: 'local', targets: resolved.targets };
  return (await classifyAddress(db, address)) === 'local' ? { route: 'unknown' } : { route: 'remote' };
}

export interface Submission {
  raw: Buffer;
  receivedAt: Date;
  /** The envelope sender (MAIL FROM). */
  sender: string;
  /** The signed-in user: their mailbox keeps the Sent Items copy. */
  user: { userId: string; orgId: string };
  /** Mailboxes of the local recipients (in Inbox), each once. */
  localTargets: DeliveryTarget[];
  /** Recipients outside this server's organizations. */
  remoteRecipients: string[];
}

export interface Submitted {
  queueId: string | undefined;
  /** Local copies filed, Sent Items included. */
  filed: number;
}

export interface SubmitParts {
  delivery: MailDelivery;
  outbound: OutboundQueue;
}

export async function submitMessage(parts: SubmitParts, submission: Submission): Promise<Submitted> {
  const targets: DeliveryTarget[] = [...submission.localTargets, { mailboxId: submission.user.userId, folder: 'Sent Items', flags: ['\\Seen'] }];
  await requireRoom(parts.delivery, targets, submission.raw.length);
  let queueId: string | undefined;
  try {
    if (submission.remoteRecipients.length > 0) {
      ({ queueId } = await parts.outbound.enqueue({
        raw: submission.raw,
        sender: submission.sender,
        recipients: submission.remoteRecipients,
        orgId: submission.user.orgId,
        senderMailboxId: submission.user.userId,
        receivedAt: submission.receivedAt,
      }));
    }
    await parts.delivery.deliver({ raw: submission.raw, receivedAt: submission.receivedAt }, targets);
  } catch (error) {
    // Even a quota refusal here (a mailbox filled since the check) is temporary: the remote
    // part may be queued already, and a final refusal would tell the user it was not sent.
    const reason = error instanceof DomainError ? `${error.code}: ${error.message}` : (error as Error)?.message ?? String(error);
    throw new SubmissionIncomplete(`The message was not fully accepted (${reason}); send it again.`);
  }
  return { queueId, filed: targets.length };
}

async function requireRoom(delivery: MailDelivery, targets: readonly DeliveryTarget[], size: number): Promise<void> {
  const copies = new Map<string, number>();
  for (const target of targets) copies.set(target.mailboxId, (copies.get(target.mailboxId) ?? 0) + 1);
  for (const [mailboxId, count] of copies) {
    const { bytes, quotaBytes } = await delivery.usage(mailboxId);
    if (bytes + count * size > quotaBytes) throw new SubmissionQuotaExceeded(`The mailbox ${mailboxId} cannot take a message of ${size} bytes: it holds ${bytes} of its ${quotaBytes}.`);
  }
}
