// The IMAP listeners: implicit TLS (993, WorkMail's) and cleartext with STARTTLS (143), each
// connection one ImapSession. Sessions are bounded per client address and in all; a refused
// connection hears `* BYE` and is closed. The certificate can be replaced while running.
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, type SecureContext, type TLSSocket } from 'node:tls';
import { systemClock, type Clock } from '../clock.ts';
import { logEvent, type Logger } from '../log/logger.ts';
import type { Db } from '../store/database.ts';
import type { TlsCertificate } from '../tls/certificate.ts';
import type { MailLogin } from '../workmail/mail-login.ts';
import { DEFAULT_IMAP_LIMITS, type ImapLimits } from './limits.ts';
import { status } from './proto/encode.ts';
import { ImapSession } from './session/session.ts';

// How long close() lets sessions take their BYE before cutting them.
const CLOSE_GRACE_MS = 1000;
// A TLS handshake that has not finished by then holds a slot for nothing.
const HANDSHAKE_TIMEOUT_MS = 30_000;

export interface ImapListenerOptions {
  host: string;
  /** Implicit TLS (993); not opened when absent. 0 picks a free port. */
  imapsPort?: number;
  /** Cleartext with STARTTLS (143); not opened when absent. */
  imapPort?: number;
  certificate: TlsCertificate;
  login: MailLogin;
  db: Db;
  logger: Logger;
  limits?: Partial<ImapLimits>;
  clock?: Clock;
}

export interface ImapEndpoint {
  /** imaps://host:port or imap://host:port, with the port the system gave for 0. */
  endpoint: string;
  port: number;
}

export interface ImapListeners {
  imaps?: ImapEndpoint;
  imap?: ImapEndpoint;
  setCertificate(certificate: TlsCertificate): void;
  /** Stops listening, says BYE to every session and waits for them to end. */
  close(): Promise<void>;
}

export async function startImapListeners(options: ImapListenerOptions): Promise<ImapListeners> {
  const limits: ImapLimits = { ...DEFAULT_IMAP_LIMITS, ...options.limits };
  let context: SecureContext = contextOf(options.certificate);
  const services = {
    login: options.login,
    db: options.db,
    clock: options.clock ?? systemClock,
    logger: options.logger,
    limits,
    secureContext: () => context,
  };
  const sessions = new Set<ImapSession>();
  const perIp = new Map<string, number>();

  const open = (socket: Socket, secure: boolean) => {
    const ip = socket.remoteAddress ?? 'unknown';
    const fromIp = perIp.get(ip) ?? 0;
    if (fromIp >= limits.maxSessionsPerIp || sessions.size >= limits.maxSessions) {
      logEvent(options.logger, 'imap.session_refused', { ip, reason: fromIp >= limits.maxSessionsPerIp ? 'per-ip' : 'total' }, 'warn');
      socket.on('error', () => undefined);
      socket.end(status(null, 'BYE', 'Too many connections; try again later'));
      return;
    }
    perIp.set(ip, fromIp + 1);
    const session = new ImapSession(socket, { secure }, services);
    sessions.add(session);
    socket.once('close', () => {
      sessions.delete(session);
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left <= 0) perIp.delete(ip);
      else perIp.set(ip, left);
    });
    void session.run();
  };

  const servers: Server[] = [];
  const result: ImapListeners = {
    setCertificate(certificate) {
      context = contextOf(certificate);
      for (const server of servers) if ('setSecureContext' in server) (server as ReturnType<typeof createTlsServer>).setSecureContext({ key: certificate.key, cert: certificate.cert });
    },
    async close() {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))).concat(
        [...sessions].map((session) => session.shutdown('Server shutting down')),
      ));
      const deadline = Date.now() + CLOSE_GRACE_MS;
      while (sessions.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };

  try {
    if (options.imapsPort !== undefined) {
      const server = createTlsServer({ key: options.certificate.key, cert: options.certificate.cert, handshakeTimeout: HANDSHAKE_TIMEOUT_MS }, (socket: TLSSocket) => open(socket, true));
      server.on('tlsClientError', (error, socket) => {
        logEvent(options.logger, 'imap.tls_failed', { ip: socket.remoteAddress, error: error.message }, 'debug');
      });
      servers.push(server);
      result.imaps = await listen(server, options.host, options.imapsPort, 'imaps', '--imaps-port', options.logger);
    }
    if (options.imapPort !== undefined) {
      const server = createTcpServer((socket) => open(socket, false));
      servers.push(server);
      result.imap = await listen(server, options.host, options.imapPort, 'imap', '--imap-port', options.logger);
    }
  } catch (error) {
    await result.close();
    throw error;
  }
  return result;
}

function contextOf(certificate: TlsCertificate): SecureContext {
  return createSecureContext({ key: certificate.key, cert: certificate.cert });
}

async function listen(server: Server, host: string, port: number, scheme: 'imap' | 'imaps', option: string, logger: Logger): Promise<ImapEndpoint> {
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(explained(error, port, host, option));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      server.on('error', (error) => logEvent(logger, 'imap.connection_error', { error: error.message }, 'warn'));
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { endpoint: `${scheme}://${shown}:${address.port}`, port: address.port };
}

function explained(error: NodeJS.ErrnoException, port: number, host: string, option: string): Error {
  const where = `IMAP port ${port} on ${host}`;
  if (error.code === 'EADDRINUSE') return new Error(`the ${where} is already in use (another IMAP server?): stop what uses it, or choose another port with ${option}`);
  if (error.code === 'EACCES') return new Error(`the ${where} needs privileges this process lacks (ports below 1024: run with CAP_NET_BIND_SERVICE, or redirect the port to one above 1023)`);
  return error;
}
