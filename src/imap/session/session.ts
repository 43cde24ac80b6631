// One IMAP connection: the greeting, then one command at a time, read from the socket only when
// the previous one is answered (so nothing is read ahead of STARTTLS or an AUTHENTICATE
// exchange), through the states of RFC 3501 section 3: not authenticated, authenticated,
// selected, logout. The wire is proto/'s; what each command does is commands/'.
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { logEvent } from '../../log/logger.ts';
import type { MailUser } from '../../workmail/mail-login.ts';
import { COMMANDS } from '../commands/index.ts';
import type { CommandContext, ImapServices, SessionState, SessionView } from '../commands/command.ts';
import { CommandReader } from '../proto/command-reader.ts';
import { continuation, status, untagged, type ImapValue } from '../proto/encode.ts';
import type { ParsedCommand, SyntaxError } from '../proto/tokens.ts';
import { capabilitiesFor } from './capabilities.ts';
import { dispatch } from './dispatcher.ts';
import { Output } from './output.ts';

export interface SessionOptions {
  /** The implicit-TLS port: the socket is a TLS socket already. */
  secure: boolean;
}

export class ImapSession implements SessionView {
  readonly id = randomBytes(6).toString('hex');
  readonly remoteAddress: string;
  state: SessionState = 'not-authenticated';
  user: MailUser | null = null;
  secure: boolean;
  canStartTls: boolean;
  readonly enabled = new Set<string>();
  clientId: Record<string, string | null> | null = null;
  failedLogins = 0;

  private socket: Socket;
  private readonly reader: CommandReader;
  private readonly output: Output;
  private wake: (() => void) | null = null;
  private ended = false;
  private finished = false;
  private consecutiveBad = 0;
  private readonly highWater: number;

  constructor(
    socket: Socket,
    options: SessionOptions,
    private readonly services: ImapServices,
  ) {
    this.socket = socket;
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.secure = options.secure;
    this.canStartTls = !options.secure;
    const limits = services.limits;
    this.reader = new CommandReader({
      maxCommandBytes: limits.maxCommandBytes,
      maxNestingDepth: limits.maxNestingDepth,
      maxArguments: limits.maxArguments,
      literalLimit: (name) => COMMANDS.get(name)?.maxLiteral?.(limits) ?? limits.maxSmallLiteralBytes,
    });
    // Stop reading once this much waits unparsed: a command line and a socket read's worth.
    this.highWater = limits.maxCommandBytes + 64 * 1024;
    this.output = new Output(socket);
    this.attach(socket);
  }

  capabilities(): string[] {
    return capabilitiesFor(this);
  }

  /** Runs the session to its end; never rejects. */
  async run(): Promise<void> {
    try {
      await this.write(status(null, 'OK', 'Godwit IMAP ready', `CAPABILITY ${this.capabilities().join(' ')}`));
      while (!this.finished) {
        const event = this.reader.next();
        if (!event) {
          if (this.ended) break;
          await this.waitForInput();
          continue;
        }
        if (event.type === 'continue') await this.write(continuation('Ready for literal data'));
        else if (event.type === 'too-big') await this.refuseLiteral(event.tag, event.name, event.size, event.limit);
        else if (event.type === 'error') await this.syntaxError(event.error);
        else await this.runCommand(event.command);
      }
    } catch (error) {
      logEvent(this.services.logger, 'imap.connection_error', { session: this.id, ip: this.remoteAddress, error: (error as Error).message }, 'warn');
    } finally {
      this.finish();
    }
  }

  /** `* BYE` and the end, from outside: the server shutting down. */
  async shutdown(text: string): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await Promise.race([this.write(status(null, 'BYE', text)), new Promise((resolve) => setTimeout(resolve, 500))]);
    this.finish();
  }

  private async runCommand(command: ParsedCommand): Promise<void> {
    // Idle means the client is silent between commands, not that the server is busy on one.
    this.socket.setTimeout(0);
    let answered: 'OK' | 'NO' | 'BAD' | null = null;
    const tagged = (kind: 'OK' | 'NO' | 'BAD') => async (text: string, code?: string) => {
      answered = kind;
      await this.write(status(command.tag, kind, text, code));
    };
    const ctx: CommandContext = {
      tag: command.tag,
      name: command.name,
      uid: command.uid,
      session: this,
      services: this.services,
      untagged: (...values: ImapValue[]) => this.write(untagged(...values)),
      ok: tagged('OK'),
      no: tagged('NO'),
      bad: tagged('BAD'),
      exchange: (text) => this.exchange(text),
      startTls: () => this.startTls(),
      bye: async (text) => {
        await this.write(status(null, 'BYE', text));
        this.finished = true;
      },
    };
    await dispatch(command, ctx);
    await this.countBad(answered === 'BAD');
    this.socket.setTimeout(this.idleTimeout());
  }

  private async syntaxError(error: SyntaxError): Promise<void> {
    await this.write(status(error.tag, 'BAD', error.reason));
    await this.countBad(true);
  }

  private async refuseLiteral(tag: string, name: string, size: number, limit: number): Promise<void> {
    const text = `A literal of ${size} octets is over the ${limit} octets ${name} accepts`;
    if (COMMANDS.get(name)?.literalTooBig === 'NO') await this.write(status(tag, 'NO', text, 'TOOBIG'));
    else {
      await this.write(status(tag, 'BAD', text, 'TOOBIG'));
      await this.countBad(true);
    }
  }

  private async countBad(bad: boolean): Promise<void> {
    this.consecutiveBad = bad ? this.consecutiveBad + 1 : 0;
    if (this.consecutiveBad >= this.services.limits.maxConsecutiveBad && !this.finished) {
      await this.write(status(null, 'BYE', 'Too many invalid commands'));
      this.finished = true;
    }
  }

  private async exchange(text: string): Promise<{ line: Buffer } | { tooLong: true } | null> {
    await this.write(continuation(text));
    // The client owes an answer now: a silent one is logged out as an idle one would be.
    this.socket.setTimeout(this.idleTimeout());
    for (;;) {
      const line = this.reader.nextLine(this.services.limits.maxSaslResponseBytes);
      if (line) {
        this.socket.setTimeout(0);
        return line;
      }
      if (this.ended || this.finished) return null;
      await this.waitForInput();
    }
  }

  private async startTls(): Promise<void> {
    const plain = this.socket;
    plain.off('data', this.onData);
    plain.off('end', this.onEnd);
    plain.off('timeout', this.onTimeout);
    plain.pause();
    this.reader.discardBuffered();
    const secure = new TLSSocket(plain, { isServer: true, secureContext: this.services.secureContext() });
    const negotiated = await new Promise<boolean>((resolve) => {
      secure.once('secure', () => resolve(true));
      secure.once('error', (error) => {
        logEvent(this.services.logger, 'imap.tls_failed', { session: this.id, ip: this.remoteAddress, error: error.message }, 'warn');
        resolve(false);
      });
      secure.once('close', () => resolve(false));
    });
    if (!negotiated) {
      this.finished = true;
      secure.destroy();
      return;
    }
    this.socket = secure;
    this.secure = true;
    this.canStartTls = false;
    this.output.replaceSocket(secure);
    this.attach(secure);
  }

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
    socket.on('timeout', this.onTimeout);
    socket.setTimeout(this.idleTimeout());
  }

  private idleTimeout(): number {
    const { limits } = this.services;
    return this.state === 'not-authenticated' ? limits.unauthenticatedIdleTimeoutMs : limits.idleTimeoutMs;
  }

  private readonly onData = (chunk: Buffer) => {
    this.reader.push(chunk);
    if (this.reader.buffered > this.highWater) this.socket.pause();
    this.notify();
  };

  private readonly onEnd = () => {
    this.ended = true;
    this.notify();
  };

  private readonly onError = (error: Error) => {
    logEvent(this.services.logger, 'imap.connection_error', { session: this.id, ip: this.remoteAddress, error: error.message }, 'debug');
    this.onEnd();
  };

  private readonly onTimeout = () => {
    if (this.finished) return;
    this.finished = true;
    void this.write(status(null, 'BYE', 'Autologout; idle for too long')).finally(() => this.finish());
    this.notify();
  };

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private waitForInput(): Promise<void> {
    this.socket.resume();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private write(data: Buffer): Promise<void> {
    return this.output.write(data);
  }

  private finish(): void {
    this.finished = true;
    this.notify();
    if (!this.socket.destroyed) {
      this.socket.end();
      // A client that does not close its side within a moment is cut.
      setTimeout(() => this.socket.destroy(), 2000).unref();
    }
  }
}
