// What every SMTP listener of Godwit shares, MX and submission alike: smtp-server's options for
// the limits of limits.ts and the replies of replies.ts, the count of sessions per client
// address, the connection adapter (connection.ts) fitted to each new connection, the state of a
// transaction kept with its envelope, and listening with an error that says what to do.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { TlsCertificate } from '../tls/certificate.ts';
import { logEvent, type Logger } from '../log/logger.ts';
import { adaptConnection, isAdaptable, type ReplyFilter } from './connection.ts';
import type { SmtpLimits } from './limits.ts';
import { REPLIES, replyError } from './replies.ts';

// How long close() lets open sessions finish before cutting them.
const CLOSE_GRACE_MS = 2000;

export interface ListenerBase {
  hostName: string;
  certificate: TlsCertificate;
  limits: SmtpLimits;
}

/** smtp-server's options every listener shares; each adds its own hooks and AUTH settings. */
export function commonServerOptions(base: ListenerBase): SMTPServerOptions {
  const { limits } = base;
  return {
    name: base.hostName,
    banner: 'Godwit',
    key: base.certificate.key,
    cert: base.certificate.cert,
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
  } as SMTPServerOptions;
}

/** onConnect/onClose hooks that refuse a client address more than `maxSessionsPerIp` sessions at once. */
export function sessionsPerIpGuard(limits: SmtpLimits): Pick<SMTPServerOptions, 'onConnect' | 'onClose'> {
  const sessionsPerIp = new Map<string, number>();
  const counted = new WeakSet<SMTPServerSession>();
  return {
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
  };
}

/**
 * A transaction's state lives with its envelope, which smtp-server replaces at RSET, EHLO and
 * the end of each DATA, so that nothing of an earlier transaction leaks into the next.
 */
export function transactionsByEnvelope<T extends object>(make: () => T): (session: SMTPServerSession) => T {
  const transactions = new WeakMap<object, T>();
  return (session) => {
    let transaction = transactions.get(session.envelope);
    if (!transaction) transactions.set(session.envelope, (transaction = make()));
    return transaction;
  };
}

/** smtp-server builds its SMTPConnection in connect(); each is adapted before it reads a byte. */
export function adaptEveryConnection(server: SMTPServer, limits: SmtpLimits, filter?: ReplyFilter): void {
  const internals = server as unknown as { connect(socket: unknown, socketOptions: unknown): void; connections: Set<unknown> };
  const connect = internals.connect.bind(server);
  internals.connect = (socket, socketOptions) => {
    const before = new Set(internals.connections);
    connect(socket, socketOptions);
    for (const connection of internals.connections) {
      if (!before.has(connection) && isAdaptable(connection)) adaptConnection(connection, limits, filter);
    }
  };
}

export interface Listening {
  /** smtp://host:port (or smtps:// for implicit TLS), with the port the system gave for 0. */
  endpoint: string;
  port: number;
  setCertificate(certificate: TlsCertificate): void;
  close(): Promise<void>;
}

/**
 * Listens on host:port. `explain` turns EADDRINUSE/EACCES into a sentence naming the option
 * that chose the port.
 */
export async function listen(server: SMTPServer, where: { host: string; port: number; scheme: 'smtp' | 'smtps'; option: string }, logger: Logger): Promise<Listening> {
  server.on('error', (error) => logEvent(logger, 'smtp.connection_error', { error: error.message }, 'warn'));
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(explained(error, where.port, where.host, where.option));
    server.server.once('error', fail);
    server.listen(where.port, where.host, () => {
      server.server.off('error', fail);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    endpoint: `${where.scheme}://${shown}:${address.port}`,
    port: address.port,
    setCertificate(certificate) {
      server.updateSecureContext({ key: certificate.key, cert: certificate.cert });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function explained(error: NodeJS.ErrnoException, port: number, host: string, option: string): Error {
  const where = `SMTP port ${port} on ${host}`;
  if (error.code === 'EADDRINUSE') return new Error(`the ${where} is already in use (another mail server?): stop what uses it, or choose another port with ${option}`);
  if (error.code === 'EACCES') return new Error(`the ${where} needs privileges this process lacks (ports below 1024: run with CAP_NET_BIND_SERVICE, or redirect the port to one above 1023)`);
  return error;
}
