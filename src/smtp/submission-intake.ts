// DATA on submission: the message is read with the MX's hard bounds (message-reader.ts,
// mime-depth.ts); every address of its From and Sender fields must be one the signed-in user
// may send as, or send on behalf of with themselves in Sender (workmail/send-as.ts); Date and Message-ID are added when missing; a Received
// field records the authenticated submission (ESMTPSA); then mail/submit.ts queues the remote
// part and files the local copies and the Sent Items copy. 250 comes only after both.
import type { Readable } from 'node:stream';
import type { Reader } from '../store/database.ts';
import type { DeliveryTarget, MailDelivery } from '../mail/delivery.ts';
import type { OutboundQueue } from '../mail/outbound.ts';
import { domainOf } from '../mail/recipients.ts';
import { submitMessage } from '../mail/submit.ts';
import { checkOriginators } from '../workmail/send-as.ts';
import type { MailUser } from '../workmail/mail-login.ts';
import type { SmtpLimits } from './limits.ts';
import { readMessage, type ReadProblem } from './message-reader.ts';
import { mimeDepthExceeds } from './mime-depth.ts';
import { REPLIES, replyForError, type SmtpReply } from './replies.ts';
import { addressesOf, headerFields, missingOriginFields } from './submission-headers.ts';
import { receivedFor } from './trace-headers.ts';

export interface SubmissionContext {
  db: Reader;
  delivery: MailDelivery;
  outbound: OutboundQueue;
  hostName: string;
  limits: SmtpLimits;
  now(): Date;
}

export interface SubmissionEnvelope {
  sessionId: string;
  ip: string;
  helo: string;
  /** RFC 3848: ESMTPSA once authenticated over TLS. */
  protocol: string;
  sender: string;
  recipients: string[];
  user: MailUser;
}

/** What RCPT decided for this transaction's recipients. */
export interface SubmissionTransaction {
  /** Local recipients' mailboxes, each once. */
  localTargets: Map<string, DeliveryTarget>;
  /** Remote recipients, each once (lower-cased for the comparison, kept as given). */
  remoteRecipients: Map<string, string>;
}

export const newSubmissionTransaction = (): SubmissionTransaction => ({ localTargets: new Map(), remoteRecipients: new Map() });

export type SubmissionOutcome =
  | { accepted: true; reply: SmtpReply; queueId: string | undefined; filed: number }
  | { accepted: false; reply: SmtpReply; why: string };

const PROBLEM_REPLY: Record<ReadProblem, (limits: SmtpLimits) => SmtpReply> = {
  tooBig: (limits) => REPLIES.messageTooBig(limits.maxMessageBytes),
  bareLineEnding: () => REPLIES.bareLineEnding(),
  headerTooBig: (limits) => REPLIES.headerTooBig(limits.maxHeaderBytes),
};

export async function takeSubmission(
  context: SubmissionContext,
  stream: Readable,
  envelope: SubmissionEnvelope,
  transaction: SubmissionTransaction,
): Promise<SubmissionOutcome> {
  const read = await readMessage(stream, context.limits);
  if (!read.ok) return { accepted: false, reply: PROBLEM_REPLY[read.problem](context.limits), why: read.problem };
  if (mimeDepthExceeds(read.raw, context.limits.maxMimeDepth)) return { accepted: false, reply: REPLIES.mimeTooDeep(context.limits.maxMimeDepth), why: 'mime-depth' };

  const fields = headerFields(read.raw);
  const from = addressesOf(fields, 'from');
  if (from.length === 0) return { accepted: false, reply: REPLIES.noFromAddress(), why: 'no-from' };
  try {
    const refusal = await checkOriginators(context.db, envelope.user, { from, sender: addressesOf(fields, 'sender') });
    if (refusal) return { accepted: false, reply: REPLIES.fromNotAllowed(refusal.field, refusal.address), why: `${refusal.field.toLowerCase()}-${refusal.reason}` };
  } catch (error) {
    return { accepted: false, reply: replyForError(error), why: 'lookup-failed' };
  }

  const receivedAt = context.now();
  const received = receivedFor(envelope, context.hostName, receivedAt);
  const origin = missingOriginFields(fields, receivedAt, domainOf(envelope.user.email) ?? context.hostName);
  const raw = Buffer.concat([Buffer.from(received + origin, 'utf8'), read.raw]);
  try {
    const submitted = await submitMessage(
      { delivery: context.delivery, outbound: context.outbound },
      {
        raw,
        receivedAt,
        sender: envelope.sender,
        user: envelope.user,
        localTargets: [...transaction.localTargets.values()],
        remoteRecipients: [...transaction.remoteRecipients.values()],
      },
    );
    return { accepted: true, reply: REPLIES.submitted(envelope.sessionId), queueId: submitted.queueId, filed: submitted.filed };
  } catch (error) {
    return { accepted: false, reply: replyForError(error), why: (error as Error)?.message ?? String(error) };
  }
}
