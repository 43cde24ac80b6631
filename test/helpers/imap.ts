// IMAP test fixtures: both listeners (993-style implicit TLS, 143-style STARTTLS) on free loopback
// ports over a test store whose users have mailbox passwords, and a raw IMAP conversation over
// node:net / node:tls for transcripts no client library would send.
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { startImapListeners } from '../../src/imap/listener.ts';
import type { ImapLimits } from '../../src/imap/limits.ts';
import { prepareCertificate } from '../../src/tls/certificate.ts';
import { createLogger, type Logger } from '../../src/log/logger.ts';
import { MailLogin } from '../../src/workmail/mail-login.ts';
import type { LoginThrottle } from '../../src/security/login-throttle.ts';
import type { TestStore } from './smtp.ts';

export const IMAP_HOST = 'imap.godwit.test';

export async function startTestImap(t: TestStore, options: { throttle?: LoginThrottle; limits?: Partial<ImapLimits>; logger?: Logger } = {}) {
  const certificate = await prepareCertificate({ dataDir: t.dataDir, mailHost: IMAP_HOST, tlsCertFile: undefined, tlsKeyFile: undefined }, new Date());
  const login = new MailLogin(t.store.db, { throttle: options.throttle });
  const listeners = await startImapListeners({
    host: '127.0.0.1',
    imapsPort: 0,
    imapPort: 0,
    certificate,
    login,
    db: t.store.db,
    logger: options.logger ?? createLogger('silent'),
    limits: options.limits,
  });
  return { listeners, login, certificate, imapsPort: listeners.imaps!.port, imapPort: listeners.imap!.port, close: () => listeners.close() };
}

/** A raw IMAP conversation: lines in, lines out, literals in responses left as text. */
export class RawImap {
  private buffer = '';
  private waiters: (() => void)[] = [];
  private constructor(public socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.setEncoding('latin1');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async plain(port: number, host = '127.0.0.1'): Promise<RawImap> {
    const socket = connectTcp(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawImap(socket);
  }

  static async tls(port: number, host = '127.0.0.1'): Promise<RawImap> {
    const socket = connectTls({ port, host, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    return new RawImap(socket);
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** The next line, without its CRLF. */
  async line(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0) {
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        return line;
      }
      if (this.socket.destroyed || this.socket.readableEnded) throw new Error(`connection closed; unread: ${JSON.stringify(this.buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line within ${timeoutMs} ms; unread: ${JSON.stringify(this.buffer.slice(0, 200))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Lines up to and including the one tagged `tag`. */
  async until(tag: string, timeoutMs = 5000): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.line(timeoutMs);
      lines.push(line);
      if (line.startsWith(`${tag} `)) return lines;
    }
  }

  /** Sends `tag text` and returns every line up to its tagged answer. */
  async command(tag: string, text: string): Promise<string[]> {
    this.write(`${tag} ${text}\r\n`);
    return this.until(tag);
  }

  /** The TLS handshake after a STARTTLS OK; returns whatever had arrived in clear after the OK. */
  async startTls(): Promise<string> {
    const leftover = this.buffer;
    this.buffer = '';
    this.socket.removeAllListeners('data');
    const secure = connectTls({ socket: this.socket as Socket, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
    return leftover;
  }

  /** Resolves when the server has closed the connection. */
  async closed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.socket.destroyed || this.socket.readableEnded)) {
      if (Date.now() > deadline) throw new Error('the server did not close the connection');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  unread(): string {
    return this.buffer;
  }

  close(): void {
    this.socket.destroy();
  }
}

export const plainAuth = (user: string, password: string, authzid = '') => Buffer.from(`${authzid}\0${user}\0${password}`).toString('base64');
