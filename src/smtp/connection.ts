// What smtp-server 3 does not do on its own, fitted to each of its connections as it is made:
// - a command line over the RFC 5321 limit gets 500 5.5.2 and the session goes on (smtp-server
//   only knows a hard cap, which it answers with 421 and a closed connection; that cap is kept,
//   larger, as the bound on what is buffered);
// - a session may send so many commands, then gets 421 4.7.0;
// - replies whose text already leads with an RFC 3463 code (every reply of replies.ts) are sent
//   as they are, instead of behind a second, generic code smtp-server picks by reply number.
// These reach into SMTPConnection's methods (_onCommand, send), which smtp-server's public API
// does not expose; the version is pinned to 3.x in package.json, and the unit tests of this
// door (test/unit/smtp-*.test.ts) fail if a new version changes them.
import { REPLIES, ENHANCED_PREFIX, type SmtpReply } from './replies.ts';

type Next = () => void;

/** The part of smtp-server's SMTPConnection this adapter relies on. */
export interface SmtpConnectionInternals {
  id: string;
  _upgrading: boolean;
  secure: boolean;
  _onCommand(command: Buffer, callback?: Next): void;
  _whenWritable?(next: Next): void;
  send(code: number, data?: string | string[], context?: string | false): void;
}

/**
 * Rewrites one of smtp-server's own replies before it is sent (the submission door hides AUTH
 * from EHLO before TLS and words 538 as RFC 4954 does). Returns the data to send instead.
 */
export type ReplyFilter = (code: number, data: string | string[] | undefined, secure: boolean) => string | string[] | undefined;

export interface CommandLimits {
  maxCommandLineBytes: number;
  maxCommandsPerSession: number;
}

export function isAdaptable(connection: unknown): connection is SmtpConnectionInternals {
  const c = connection as Partial<SmtpConnectionInternals> | undefined;
  return typeof c?._onCommand === 'function' && typeof c.send === 'function';
}

export function adaptConnection(connection: SmtpConnectionInternals, limits: CommandLimits, filter?: ReplyFilter): void {
  const send = connection.send;
  connection.send = function (code, data, context) {
    if (filter) data = filter(code, data, this.secure);
    return send.call(this, code, data, typeof data === 'string' && ENHANCED_PREFIX.test(data) ? false : context);
  };
  const sendReply = (r: SmtpReply) => connection.send(r.code, `${r.enhanced} ${r.text}`);
  const onCommand = connection._onCommand;
  let commands = 0;
  connection._onCommand = function (command, callback) {
    // Plaintext that arrived behind STARTTLS: smtp-server discards it, and it must not count.
    if (this._upgrading) return onCommand.call(this, command, callback);
    const next = callback ?? (() => undefined);
    if (++commands > limits.maxCommandsPerSession) {
      sendReply(REPLIES.tooManyCommands(limits.maxCommandsPerSession));
      return;
    }
    // The parser hands over the line without its CRLF.
    if (command.length + 2 > limits.maxCommandLineBytes) {
      sendReply(REPLIES.lineTooLong(limits.maxCommandLineBytes));
      setImmediate(() => (this._whenWritable ? this._whenWritable(next) : next()));
      return;
    }
    return onCommand.call(this, command, callback);
  };
}
