// The delivery status notification (RFC 3464) for recipients the queue gave up on: a
// multipart/report (RFC 6522) with a human-readable part, a message/delivery-status part with
// one block per recipient, and the original message's header as text/rfc822-headers (the
// header only: the sender has the body, and a bounce must not carry a large attachment back).
// Its envelope sender is null, so a DSN is never answered by another DSN.
import { randomBytes } from 'node:crypto';
import { headerBlock } from './headers.ts';

export interface FailedRecipient {
  recipient: string;
  /** RFC 3463 status, e.g. 5.1.1; 5.4.7 when the message expired. */
  status: string;
  /** The remote reply (`550 5.1.1 …`) or what went wrong before one. */
  diagnostic: string;
  remoteMta: string | undefined;
  lastAttemptAt: Date | undefined;
}

export interface DsnInput {
  /** The name of this server: Reporting-MTA and the DSN's From. */
  reportingMta: string;
  sender: string;
  original: Buffer;
  arrivedAt: Date;
  failed: readonly FailedRecipient[];
  now: Date;
}

const MAX_FIELD = 900;

/** An RFC 5322 date-time in UTC: `Tue, 02 Dec 2026 18:30:00 +0000`. */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

// Field values come from remote servers and recipients: no line break may reach our header.
const clean = (text: string) => text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?').slice(0, MAX_FIELD).trim();

const isSmtpReply = (text: string) => /^[245]\d\d[ -]/.test(text);

export function buildDsn(input: DsnInput): Buffer {
  const boundary = `=_godwit_dsn_${randomBytes(12).toString('hex')}`;
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);
  const expired = input.failed.some((failed) => failed.status === '5.4.7');
  push(
    `From: Mail Delivery System <MAILER-DAEMON@${input.reportingMta}>`,
    `To: <${clean(input.sender)}>`,
    `Subject: Undelivered Mail Returned to Sender`,
    `Date: ${rfc5322Date(input.now)}`,
    `Message-ID: <dsn.${randomBytes(12).toString('hex')}@${input.reportingMta}>`,
    // RFC 3834: no autoresponder answers this.
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    'This is a MIME-formatted delivery status notification.',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    'Content-Description: Notification',
    '',
    `This is the mail system at ${input.reportingMta}.`,
    '',
    expired
      ? 'Your message could not be delivered in the time allowed to the recipients below, so it was returned.'
      : 'Your message could not be delivered to the recipients below: their mail servers refused it for good.',
    '',
    ...input.failed.map((failed) => `<${clean(failed.recipient)}>: ${clean(failed.diagnostic)}`),
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    'Content-Description: Delivery report',
    '',
    `Reporting-MTA: dns; ${input.reportingMta}`,
    `Arrival-Date: ${rfc5322Date(input.arrivedAt)}`,
  );
  for (const failed of input.failed) {
    const diagnostic = clean(failed.diagnostic);
    push(
      '',
      `Final-Recipient: rfc822; ${clean(failed.recipient)}`,
      'Action: failed',
      `Status: ${failed.status}`,
      ...(failed.remoteMta ? [`Remote-MTA: dns; ${clean(failed.remoteMta)}`] : []),
      ...(diagnostic ? [`Diagnostic-Code: ${isSmtpReply(diagnostic) ? 'smtp' : 'x-godwit'}; ${diagnostic}`] : []),
      ...(failed.lastAttemptAt ? [`Last-Attempt-Date: ${rfc5322Date(failed.lastAttemptAt)}`] : []),
    );
  }
  push('', `--${boundary}`, 'Content-Type: text/rfc822-headers', 'Content-Description: Undelivered message headers', '');
  const header = headerBlock(input.original).replace(/\r?\n/g, '\r\n');
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'), Buffer.from(header, 'utf8'), Buffer.from(`\r\n--${boundary}--\r\n`)]);
}
