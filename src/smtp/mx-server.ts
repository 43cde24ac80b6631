// The MX listener: mail from the internet for the organizations' own domains, on --smtp-port
// (25 in production). ESMTP with STARTTLS (the server's certificate), SIZE, 8BITMIME, SMTPUTF8,
// PIPELINING and ENHANCEDSTATUSCODES; no AUTH, so no relaying. smtp-server 3 speaks the
// protocol; this file wires its hooks to recipient-check.ts and message-intake.ts and sets the
// limits of limits.ts.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { DNSResolver } from 'mailauth';
import type { Reader } from '../store/database.ts';
import type { MailDelivery } from '../mail/delivery.ts';
import type { TlsCertificate } from '../tls/certificate.ts';
import { logEvent, type Logger } from '../log/logger.ts';
import { adaptConnection, isAdaptable } from './connection.ts';
import { DEFAULT_SMTP_LIMITS, type SmtpLimits } from './limits.ts';
import { takeMessage } from './message-intake.ts';
import { checkRecipient, newTransaction, type Transaction } from './recipient-check.ts';
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

// How long close() lets open sessions finish before cutting them.
const CLOSE_GRACE_MS = 2000;

export async function startMxListener(options: MxOptions): Promise<MxListener> {
  const limits: SmtpLimits = { ...DEFAULT_SMTP_LIMITS, ...options.limits };
  const now = options.now ?? (() => new Date());
  // A transaction's state lives with its envelope, which smtp-server replaces at RSET, EHLO and
  // the end of each DATA, so that nothing of an earlier transaction leaks into the next.
  const transactions = new WeakMap<object, Transaction>();
  const transactionOf = (session: SMTPServerSession): Transaction => {
    let transaction = transactions.get(session.envelope);
    if (!transaction) transactions.set(session.envelope, (transaction = newTransaction()));
    return transaction;
  };
  const sessionsPerIp = new Map<string, number>();
  const counted = new WeakSet<SMTPServerSession>();

  const server = new SMTPServer({
    name: options.hostName,
    banner: 'Godwit',
    key: options.certificate.key,
    cert: options.certificate.cert,
    disabledCommands: ['AUTH'],
    authOptional: true,
    size: limits.maxMessageBytes,
    rejectOversized: true,
    maxRecipients: limits.maxRecipients,
    maxClients: limits.maxSessions,
    // Bounds what one line may make the parser buffer; lines over the RFC limit but under this
    // get 500 5.5.2 from connection.ts and the session goes on.
    maxCommandLength: Math.max(4096, limits.maxCommandLineBytes),
    hideENHANCEDSTATUSCODES: false,
    hideDSN: true,
    hideREQUIRETLS: true,
    // The Received header records the client's address; a PTR lookup per session would only slow it.
    disableReverseLookup: true,
    socketTimeout: limits.idleTimeoutMs,
    closeTimeout: CLOSE_GRACE_MS,
    logger: false,
    onConnect(session, callback) {
      const ip = session.remoteAddress;
      const open = (sessionsPerIp.get(ip) ?? 0) + 1;
      if (open > limits.maxSessionsPerIp) return callback(replyError(REPLIES.tooManySessions(limits.maxSessionsPerIp)));
      sessionsPerIp.set(ip, open);
      counted.add(session);
      callback();
    },
    onClose(session) {
      if (!counted.delete(session)) return;
      const open = (sessionsPerIp.get(session.remoteAddress) ?? 1) - 1;
      if (open <= 0) sessionsPerIp.delete(session.remoteAddress);
      else sessionsPerIp.set(session.remoteAddress, open);
    },
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
          // Logged with pino's own call: logger.ts's closed event list has no SMTP events yet.
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
  // smtp-server builds its SMTPConnection in connect(); each is adapted before it reads a byte.
  const internals = server as unknown as { connect(socket: unknown, socketOptions: unknown): void; connections: Set<unknown> };
  const connect = internals.connect.bind(server);
  internals.connect = (socket, socketOptions) => {
    const before = new Set(internals.connections);
    connect(socket, socketOptions);
    for (const connection of internals.connections) {
      if (!before.has(connection) && isAdaptable(connection)) adaptConnection(connection, limits);
    }
  };
  server.on('error', (error) => logEvent(options.logger, 'smtp.connection_error', { error: error.message }, 'warn'));

  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(explained(error, options.port, options.host));
    server.server.once('error', fail);
    server.listen(options.port, options.host, () => {
      server.server.off('error', fail);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    endpoint: `smtp://${shown}:${address.port}`,
    port: address.port,
    setCertificate(certificate) {
      server.updateSecureContext({ key: certificate.key, cert: certificate.cert });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function explained(error: NodeJS.ErrnoException, port: number, host: string): Error {
  const where = `SMTP port ${port} on ${host}`;
  if (error.code === 'EADDRINUSE') return new Error(`the ${where} is already in use (another mail server?): stop what uses it, or choose another port with --smtp-port`);
  if (error.code === 'EACCES') return new Error(`the ${where} needs privileges this process lacks (port 25: run with CAP_NET_BIND_SERVICE, or redirect 25 to a port above 1023)`);
  return error;
}
