// What the wire reader hands to the grammar: the arguments of one command as the client wrote
// them, before any meaning is given to them. NIL, numbers and sequence sets are atoms here: only
// the command's grammar knows whether `NIL` is nothing or a user called NIL.

export type Token =
  | { type: 'atom'; value: string }
  | { type: 'quoted'; value: Buffer }
  | { type: 'literal'; value: Buffer; nonSync: boolean }
  | { type: 'list'; items: Token[] };

export interface ParsedCommand {
  tag: string;
  /** Upper-cased; without the UID prefix, which `uid` records. */
  name: string;
  uid: boolean;
  args: Token[];
}

/** A syntax error, positioned, with the words the session puts after `BAD`. */
export interface SyntaxError {
  /** Null when not even a tag could be read: the session answers `* BAD`. */
  tag: string | null;
  name: string | null;
  reason: string;
}

export type ReaderEvent =
  | { type: 'command'; command: ParsedCommand }
  | { type: 'error'; error: SyntaxError }
  /** A synchronizing literal within limits: the session sends `+ ` and the client sends it. */
  | { type: 'continue'; size: number }
  /**
   * A literal over the command's limit. For `{n}` the client waits for `+`, does not get it and
   * sends nothing more of the command; for `{n+}` the reader skips its octets without keeping them.
   */
  | { type: 'too-big'; tag: string; name: string; size: number; limit: number };

export const describe = (token: Token): string =>
  token.type === 'list' ? 'a parenthesized list' : token.type === 'atom' ? `the atom ${JSON.stringify(token.value.slice(0, 40))}` : 'a string';
