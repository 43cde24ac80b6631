// What a command file declares (its allowed states, its one-line grammar, its handler) and what
// its handler may do with the session, through CommandContext and nothing else.
import type { SecureContext } from 'node:tls';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../log/logger.ts';
import type { MailLogin, MailUser } from '../../workmail/mail-login.ts';
import type { Db } from '../../store/database.ts';
import type { ArgValue, Grammar } from '../proto/grammar.ts';
import type { ImapValue } from '../proto/encode.ts';
import type { ImapLimits } from '../limits.ts';

export type SessionState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** What every session shares: given by the listener, built by the composition root. */
export interface ImapServices {
  login: MailLogin;
  /** For the mailbox service the mailbox commands will call; no SQL is written here. */
  db: Db;
  clock: Clock;
  logger: Logger;
  limits: ImapLimits;
  /** The server certificate now, for STARTTLS (it may be replaced at SIGHUP). */
  secureContext(): SecureContext;
}

/** The session as a command sees it and changes it. */
export interface SessionView {
  readonly id: string;
  readonly remoteAddress: string;
  state: SessionState;
  user: MailUser | null;
  /** True on the implicit-TLS port, or after STARTTLS. */
  readonly secure: boolean;
  /** True on the cleartext port before STARTTLS. */
  readonly canStartTls: boolean;
  /** Extensions the client turned on with ENABLE (RFC 5161). */
  readonly enabled: Set<string>;
  /** The client's ID (RFC 2971) parameters, for the log. */
  clientId: Record<string, string | null> | null;
  failedLogins: number;
  capabilities(): string[];
}

export interface CommandContext {
  readonly tag: string;
  readonly name: string;
  readonly uid: boolean;
  readonly session: SessionView;
  readonly services: ImapServices;
  /** `* …` */
  untagged(...values: ImapValue[]): Promise<void>;
  ok(text: string, code?: string): Promise<void>;
  no(text: string, code?: string): Promise<void>;
  bad(text: string, code?: string): Promise<void>;
  /** `+ text`, then the client's next line: for a SASL exchange. null when the connection closed. */
  exchange(text: string): Promise<{ line: Buffer } | { tooLong: true } | null>;
  /** After the tagged OK of STARTTLS: forget buffered plaintext and negotiate TLS. */
  startTls(): Promise<void>;
  /** `* BYE text` and the end of the connection. */
  bye(text: string): Promise<void>;
}

export interface CommandSpec {
  name: string;
  states: SessionState[];
  grammar: Grammar;
  /** May the command be prefixed by UID (FETCH, STORE, SEARCH, COPY, MOVE, EXPUNGE). */
  uid?: boolean;
  /** The largest literal the command takes; the small limit of limits.ts when absent. */
  maxLiteral?: (limits: ImapLimits) => number;
  /** How a literal over that limit is refused: APPEND says NO [TOOBIG], the rest BAD. */
  literalTooBig?: 'NO' | 'BAD';
  handle(ctx: CommandContext, args: ArgValue[]): Promise<void>;
}

export const ANY_STATE: SessionState[] = ['not-authenticated', 'authenticated', 'selected'];
export const AUTHENTICATED: SessionState[] = ['authenticated', 'selected'];
