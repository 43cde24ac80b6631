// DATA on the MX: the message is read with a hard bound and checked (message-reader.ts,
// mime-depth.ts), authenticated (SPF, DKIM, DMARC, ARC), traced (Received, Authentication-
// Results), filed per the organization's DMARC setting, and handed to the mailbox store. The
// 250 is given only once deliver() has resolved, that is once the message is on disk and
// committed; every other outcome is a refusal that says whether to retry.
import type { Readable } from 'node:stream';
import type { DNSResolver } from 'mailauth';
import type { Reader } from '../store/database.ts';
import type { DeliveryTarget, MailDelivery } from '../mail/delivery.ts';
import { authenticateMessage } from '../mail/authentication/verify.ts';
import { dmarcDisposition } from '../mail/authentication/dmarc-policy.ts';
import { inboundDmarcEnforced } from '../workmail/monitoring.ts';
import type { SmtpLimits } from './limits.ts';
import { readMessage, type ReadProblem } from './message-reader.ts';
import { mimeDepthExceeds } from './mime-depth.ts';
import { REPLIES, replyForError, type SmtpReply } from './replies.ts';
import { receivedFor, withoutForgedAuthenticationResults } from './trace-headers.ts';
import type { Transaction } from './recipient-check.ts';

export interface IntakeContext {
  db: Reader;
  delivery: MailDelivery;
  resolver: DNSResolver;
  hostName: string;
  limits: SmtpLimits;
  now(): Date;
}

export interface Envelope {
  sessionId: string;
  ip: string;
  helo: string;
  protocol: string;
  sender: string;
  recipients: string[];
}

export type IntakeOutcome = { stored: true; reply: SmtpReply; mailboxes: number; folder: string } | { stored: false; reply: SmtpReply };

const PROBLEM_REPLY: Record<ReadProblem, (limits: SmtpLimits) => SmtpReply> = {
  tooBig: (limits) => REPLIES.messageTooBig(limits.maxMessageBytes),
  bareLineEnding: () => REPLIES.bareLineEnding(),
  headerTooBig: (limits) => REPLIES.headerTooBig(limits.maxHeaderBytes),
};

export async function takeMessage(context: IntakeContext, stream: Readable, envelope: Envelope, transaction: Transaction): Promise<IntakeOutcome> {
  const read = await readMessage(stream, context.limits);
  if (!read.ok) return { stored: false, reply: PROBLEM_REPLY[read.problem](context.limits) };
  if (mimeDepthExceeds(read.raw, context.limits.maxMimeDepth)) return { stored: false, reply: REPLIES.mimeTooDeep(context.limits.maxMimeDepth) };
  const receivedAt = context.now();
  const message = withoutForgedAuthenticationResults(read.raw, context.hostName);
  const authentication = await authenticateMessage(
    message,
    { ip: envelope.ip, helo: envelope.helo, sender: envelope.sender, mta: context.hostName },
    context.resolver,
  );
  let enforced: boolean;
  try {
    enforced = transaction.orgId !== undefined && (await inboundDmarcEnforced(context.db, transaction.orgId));
  } catch (error) {
    return { stored: false, reply: replyForError(error) };
  }
  const disposition = dmarcDisposition(authentication.dmarc, enforced);
  if (disposition === 'reject') return { stored: false, reply: REPLIES.dmarcReject(authentication.dmarc?.domain ?? 'the From domain') };
  const folder = disposition === 'junk' ? 'Junk E-mail' : 'Inbox';
  const targets: DeliveryTarget[] = [...transaction.targets.values()].map((target) => ({ ...target, folder }));
  const received = receivedFor(envelope, context.hostName, receivedAt);
  const raw = Buffer.concat([Buffer.from(received + authentication.headers, 'utf8'), message]);
  try {
    await context.delivery.deliver({ raw, receivedAt }, targets);
  } catch (error) {
    return { stored: false, reply: replyForError(error) };
  }
  return { stored: true, reply: REPLIES.accepted(envelope.sessionId), mailboxes: targets.length, folder };
}
