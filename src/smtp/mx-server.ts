// The MX listener: mail from the internet for the organizations' own domains, on --smtp-port
// (25 in production). ESMTP with STARTTLS (the server's certificate), SIZE, 8BITMIME, SMTPUTF8,
// PIPELINING and ENHANCEDSTATUSCODES; no AUTH, so no relaying. smtp-server 3 speaks the
// protocol; this file wires its hooks to recipient-check.ts and message-intake.ts and sets the
// limits of limits.ts.
import { SMTPServer } from 'smtp-server';
import type { DNSResolver } from 'mailauth';
import type { Reader } from '../store/database.ts';
import type { MailDelivery } from '../mail/delivery.ts';
import type { TlsCertificate } from '../tls/certificate.ts';
import { logEvent, type Logger } from '../log/logger.ts';
import { DEFAULT_SMTP_LIMITS, type SmtpLimits } from './limits.ts';
import { adaptEveryConnection, commonServerOptions, listen, sessionsPerIpGuard, transactionsByEnvelope } from './listener.ts';
import { takeMessage } from './message-intake.ts';
import { checkRecipient, newTransaction } from './recipient-check.ts';
import { REPLIES, replyError, replyText } from './replies.ts';

export interface MxOptions {
  db: Reader;
  delivery: MailDelivery;
  certificate: TlsCertificate;
  /** This server's host name: greeting, Received and Authentication-Results. */
  hostName: string;
  resolver: DNSResolver;
  host: string;
  port: number;
  limits?: Partial<SmtpLimits>;
  logger: Logger;
  now?: () => Date;
}

export interface MxListener {
  /** smtp://host:port, with the port the system gave for 0. */
  endpoint: string;
  port: number;
  /** New sessions get this certificate for STARTTLS; open ones keep theirs. */
  setCertificate(certificate: TlsCertificate): void;
  close(): Promise<void>;
}

export async function startMxListener(options: MxOptions): Promise<MxListener> {
  const limits: SmtpLimits = { ...DEFAULT_SMTP_LIMITS, ...options.limits };
  const now = options.now ?? (() => new Date());
  const transactionOf = transactionsByEnvelope(newTransaction);

  const server = new SMTPServer({
    ...commonServerOptions({ hostName: options.hostName, certificate: options.certificate, limits }),
    ...sessionsPerIpGuard(limits),
    disabledCommands: ['AUTH'],
    authOptional: true,
    onMailFrom(_address, _session, callback) {
      callback();
    },
    onRcptTo(address, session, callback) {
      checkRecipient(options.db, options.delivery, transactionOf(session), address.address).then(
        (refusal) => callback(refusal ? replyError(refusal) : undefined),
        () => callback(replyError(REPLIES.lookupFailed())),
      );
    },
    onData(stream, session, callback) {
      const envelope = {
        sessionId: session.id,
        ip: session.remoteAddress,
        helo: session.hostNameAppearsAs || session.remoteAddress,
        protocol: session.transmissionType,
        sender: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
      };
      takeMessage(
        { db: options.db, delivery: options.delivery, resolver: options.resolver, hostName: options.hostName, limits, now },
        stream,
        envelope,
        transactionOf(session),
      ).then(
        (outcome) => {
          logEvent(options.logger, outcome.stored ? 'smtp.stored' : 'smtp.refused', { session: session.id, code: outcome.reply.code, enhanced: outcome.reply.enhanced });
          if (outcome.stored) callback(null, replyText(outcome.reply));
          else callback(replyError(outcome.reply));
        },
        (error: Error) => {
          logEvent(options.logger, 'smtp.failed', { session: session.id, error: error.message }, 'error');
          callback(replyError({ code: 451, enhanced: '4.3.0', text: 'Local error in processing; the message was not stored, try again later' }));
        },
      );
    },
  });
  adaptEveryConnection(server, limits);
  return listen(server, { host: options.host, port: options.port, scheme: 'smtp', option: '--smtp-port' }, options.logger);
}
