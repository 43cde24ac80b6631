// One SMTP transaction to one server for one message and a group of its recipients, through
// nodemailer's SMTP client, and what each recipient's part of it gave. The client turns any
// bare CR or LF into CRLF and stuffs dots, so the stored CRLF message goes out as it is.
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';

export interface SmtpTarget {
  /** Address or host name to connect to. */
  connect: string;
  /** The server's name: SNI, certificate checks and the DSN's Remote-MTA. */
  name: string;
  port: number;
  /** TLS from the first byte (a smtps:// relay). */
  secure: boolean;
  /** Refuse to go on in clear text: a relay we give a password to. */
  requireTls: boolean;
  /** Skip STARTTLS even if offered: the second try with an MX host whose TLS handshake failed. */
  ignoreTls?: boolean;
  /** Check the server's certificate: only for a relay (see remote-delivery.ts for why not for MX hosts). */
  verifyCertificate: boolean;
  tls?: ConnectionOptions;
  auth?: { user: string; pass: string };
}

export interface SendOptions {
  /** Our name in EHLO: the mail host. */
  heloName: string;
  connectTimeoutMs: number;
  /** Inactivity limit for the conversation once connected. */
  socketTimeoutMs: number;
}

export type RecipientOutcome =
  | { delivered: true; reply: string }
  | { delivered: false; permanent: boolean; status: string; error: string };

/**
 * `unreachable`: nothing was decided for any recipient here, so the next host may be tried;
 * `tlsFailed` when it was the STARTTLS handshake that failed.
 */
export type SendResult = { kind: 'unreachable'; status: string; error: string; tlsFailed: boolean } | { kind: 'answered'; outcomes: Map<string, RecipientOutcome> };

interface SmtpError extends Error {
  code?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  recipient?: string;
  rejectedErrors?: SmtpError[];
}

/** The RFC 3463 status of a reply: its enhanced code if it has one, else the basic code's class. */
export function statusOf(reply: string | undefined, responseCode: number | undefined, fallback: string): string {
  const enhanced = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply ?? '')?.[1];
  if (enhanced) return enhanced;
  if (responseCode && responseCode >= 400) return `${Math.floor(responseCode / 100)}.0.0`;
  return fallback;
}

const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

function refusal(error: SmtpError, fallbackStatus: string): { permanent: boolean; status: string; error: string } {
  const permanent = (error.responseCode ?? 0) >= 500;
  return { permanent, status: statusOf(error.response, error.responseCode, fallbackStatus), error: oneLine(error.response ?? error.message) };
}

export function sendMessage(target: SmtpTarget, envelope: { from: string; to: readonly string[] }, body: Buffer, options: SendOptions): Promise<SendResult> {
  const connection = new SMTPConnection({
    host: target.connect,
    port: target.port,
    secure: target.secure,
    // SNI carries host names only (RFC 6066); an address is checked against the certificate all the same.
    servername: isIP(target.name) ? undefined : target.name,
    requireTLS: target.requireTls,
    // STARTTLS whenever offered; a failed upgrade goes on in clear unless TLS is required.
    opportunisticTLS: !target.requireTls,
    ignoreTLS: target.ignoreTls === true && !target.requireTls,
    name: options.heloName,
    connectionTimeout: options.connectTimeoutMs,
    greetingTimeout: options.connectTimeoutMs,
    socketTimeout: options.socketTimeoutMs,
    tls: { rejectUnauthorized: target.verifyCertificate, ...(isIP(target.name) ? {} : { servername: target.name }), ...target.tls },
    logger: false,
  });
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      if (result.kind === 'answered') connection.quit();
      else connection.close();
      resolve(result);
    };
    const unreachable = (error: SmtpError) => {
      const reply = error.response ? oneLine(error.response) : `${error.code ?? 'error'}: ${oneLine(error.message)}`;
      finish({ kind: 'unreachable', status: statusOf(error.response, error.responseCode, '4.4.1'), error: `${target.name}: ${reply}`, tlsFailed: !target.secure && (error.code === 'ETLS' || connection.upgrading === true) });
    };
    const all = (outcome: RecipientOutcome) => finish({ kind: 'answered', outcomes: new Map(envelope.to.map((to) => [to, outcome])) });
    connection.once('error', (error: SmtpError) => unreachable(error));
    connection.connect(() => {
      const send = () =>
        // BODY=8BITMIME (sent only to servers announcing it): submitted mail may carry 8-bit text.
        connection.send({ from: envelope.from === '' ? false : envelope.from, to: [...envelope.to], size: body.length, use8BitMime: true }, body, (error, info) => {
          if (error) {
            const failed = error as SmtpError;
            if (failed.rejectedErrors?.length && failed.command === 'RCPT TO') {
              const outcomes = new Map<string, RecipientOutcome>();
              for (const rejected of failed.rejectedErrors) outcomes.set(rejected.recipient ?? '', { delivered: false, ...refusal(rejected, '5.0.0') });
              return finish({ kind: 'answered', outcomes: fillMissing(outcomes, envelope.to, failed) });
            }
            // Refused at MAIL FROM or DATA: one answer for every recipient of the transaction.
            if (failed.responseCode && failed.responseCode >= 400) return all({ delivered: false, ...refusal(failed, '4.0.0') });
            return unreachable(failed);
          }
          const outcomes = new Map<string, RecipientOutcome>();
          for (const accepted of info!.accepted) outcomes.set(accepted, { delivered: true, reply: oneLine(info!.response) });
          for (const rejected of (info!.rejectedErrors ?? []) as SmtpError[]) outcomes.set(rejected.recipient ?? '', { delivered: false, ...refusal(rejected, '5.0.0') });
          finish({ kind: 'answered', outcomes: fillMissing(outcomes, envelope.to, undefined) });
        });
      if (!target.auth) return send();
      connection.login({ user: target.auth.user, pass: target.auth.pass }, (error) => {
        // A refused login is the relay's configuration, not the recipient's fault: try again later.
        if (error) return finish({ kind: 'unreachable', status: '4.7.0', error: `${target.name}: authentication failed: ${oneLine((error as SmtpError).response ?? error.message)}`, tlsFailed: false });
        send();
      });
    });
  });
}

/** Every recipient gets an answer, even one the client did not report on (it should not happen). */
function fillMissing(outcomes: Map<string, RecipientOutcome>, recipients: readonly string[], error: SmtpError | undefined): Map<string, RecipientOutcome> {
  const byLower = new Map([...outcomes].map(([address, outcome]) => [address.toLowerCase(), outcome]));
  const complete = new Map<string, RecipientOutcome>();
  for (const recipient of recipients) {
    complete.set(recipient, byLower.get(recipient.toLowerCase()) ?? { delivered: false, permanent: false, status: '4.0.0', error: oneLine(error?.response ?? error?.message ?? 'no reply for this recipient') });
  }
  return complete;
}
