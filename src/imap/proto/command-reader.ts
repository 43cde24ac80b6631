// The incremental command reader: octets in (push), one event at a time out (next), pulled by
// the session only when it is ready for the next command, so that nothing is read ahead of a
// STARTTLS or an AUTHENTICATE exchange, and a `+` for a literal is never sent mid-command.
//
// Bounded throughout: a command's text (literals aside) is at most maxCommandBytes, a line over
// it is dropped as it streams in; a literal is kept only within the limit the caller gives for
// its command, and a non-synchronizing one over it is skipped without being kept.
import { tokenize, type LiteralSlot } from './tokenizer.ts';
import type { ReaderEvent, SyntaxError } from './tokens.ts';

export interface ReaderLimits {
  maxCommandBytes: number;
  maxNestingDepth: number;
  maxArguments: number;
  /** The largest literal a command may carry (all its literals together). */
  literalLimit(name: string, uid: boolean): number;
}

interface Head {
  tag: string;
  name: string;
  uid: boolean;
  /** Where the arguments begin in the first line. */
  argsAt: number;
}

type Mode =
  | { kind: 'line' }
  | { kind: 'literal'; remaining: number; chunks: Buffer[]; nonSync: boolean }
  | { kind: 'skip'; remaining: number }
  /** Dropping the rest of a refused line; literals it announces with `{n+}` are skipped too. */
  | { kind: 'discard'; tail: Buffer };

const LF = 0x0a;
const LITERAL_HEADER = /\{(\d{1,10})(\+?)\}$/;
// The end of a line kept while discarding, enough to see a literal header split across chunks.
const HEADER_TAIL = 16;

// RFC 3501: tag = 1*<any ASTRING-CHAR except "+">.
const isTagChar = (c: number) => c > 0x20 && c < 0x7f && !'(){%*"\\+'.includes(String.fromCharCode(c));
const isAlpha = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

export class CommandReader {
  private raw: Buffer = Buffer.alloc(0);
  /** How far `raw` was searched for LF already. */
  private scanned = 0;
  private mode: Mode = { kind: 'line' };
  private segments: Buffer[] = [];
  private textBytes = 0;
  private literals: LiteralSlot[] = [];
  private literalBytes = 0;
  private head: Head | null = null;

  constructor(private readonly limits: ReaderLimits) {}

  /** Octets held and not yet consumed: the session stops reading the socket above a mark. */
  get buffered(): number {
    return this.raw.length;
  }

  push(chunk: Buffer): void {
    this.raw = this.raw.length === 0 ? chunk : Buffer.concat([this.raw, chunk]);
  }

  /** Forgets everything not yet read: after STARTTLS, plaintext sent behind it must never count. */
  discardBuffered(): void {
    this.raw = Buffer.alloc(0);
    this.scanned = 0;
    this.mode = { kind: 'line' };
    this.resetCommand();
  }

  /** The next event, or undefined when more octets are needed. */
  next(): ReaderEvent | undefined {
    for (;;) {
      const mode = this.mode;
      if (mode.kind === 'literal') {
        const take = Math.min(mode.remaining, this.raw.length);
        // {0} is a literal too: an empty string, complete at once.
        if (take === 0 && mode.remaining > 0) return undefined;
        mode.chunks.push(this.raw.subarray(0, take));
        this.consume(take);
        mode.remaining -= take;
        if (mode.remaining > 0) return undefined;
        this.literals.push({ at: this.textBytes, value: Buffer.concat(mode.chunks), nonSync: mode.nonSync });
        this.mode = { kind: 'line' };
        continue;
      }
      if (mode.kind === 'skip') {
        const take = Math.min(mode.remaining, this.raw.length);
        if (take === 0 && mode.remaining > 0) return undefined;
        this.consume(take);
        mode.remaining -= take;
        if (mode.remaining > 0) return undefined;
        this.mode = { kind: 'discard', tail: Buffer.alloc(0) };
        continue;
      }

      const lf = this.raw.indexOf(LF, this.scanned);
      if (lf < 0) {
        this.scanned = this.raw.length;
        if (mode.kind === 'discard') {
          mode.tail = Buffer.concat([mode.tail, this.raw]).subarray(-HEADER_TAIL);
          this.consume(this.raw.length);
          return undefined;
        }
        if (this.textBytes + this.raw.length > this.limits.maxCommandBytes) return this.lineTooLong();
        return undefined;
      }
      const line = this.raw.subarray(0, lf > 0 && this.raw[lf - 1] === 0x0d ? lf - 1 : lf);
      this.consume(lf + 1);

      if (mode.kind === 'discard') {
        const header = LITERAL_HEADER.exec(Buffer.concat([mode.tail, line]).subarray(-HEADER_TAIL).toString('latin1'));
        // A client that announced {n} waits for a `+` it will not get; one that sent {n+} sends the octets anyway.
        this.mode = header?.[2] === '+' ? { kind: 'skip', remaining: Number(header[1]) } : { kind: 'line' };
        continue;
      }
      if (this.textBytes + line.length > this.limits.maxCommandBytes) {
        const header = LITERAL_HEADER.exec(line.subarray(-HEADER_TAIL).toString('latin1'));
        if (!this.head && this.segments.length === 0) this.headForError(line);
        this.mode = header?.[2] === '+' ? { kind: 'skip', remaining: Number(header[1]) } : { kind: 'line' };
        return this.failLine(`Command line longer than ${this.limits.maxCommandBytes} octets`);
      }
      this.segments.push(line);
      this.textBytes += line.length;

      if (!this.head) {
        const head = readHead(line);
        if ('reason' in head) return this.fail(head);
        this.head = head;
      }
      const header = LITERAL_HEADER.exec(line.subarray(-HEADER_TAIL).toString('latin1'));
      if (header) {
        const size = Number(header[1]);
        const nonSync = header[2] === '+';
        const limit = this.limits.literalLimit(this.head.name, this.head.uid);
        if (this.literalBytes + size > limit) {
          const { tag, name } = this.head;
          this.resetCommand();
          if (nonSync) this.mode = { kind: 'skip', remaining: size };
          return { type: 'too-big', tag, name, size, limit };
        }
        this.literalBytes += size;
        this.mode = { kind: 'literal', remaining: size, chunks: [], nonSync };
        if (!nonSync) return { type: 'continue', size };
        continue;
      }
      return this.complete();
    }
  }

  /**
   * The next line as it is, for an AUTHENTICATE exchange; undefined when more octets are needed.
   * A line over `max` octets is dropped as it streams in and reported as an error.
   */
  nextLine(max: number): { line: Buffer } | { tooLong: true } | undefined {
    const lf = this.raw.indexOf(LF, this.scanned);
    if (lf < 0) {
      this.scanned = this.raw.length;
      if (this.raw.length > max) {
        this.mode = { kind: 'discard', tail: Buffer.alloc(0) };
        this.consume(this.raw.length);
        return { tooLong: true };
      }
      return undefined;
    }
    const line = this.raw.subarray(0, lf > 0 && this.raw[lf - 1] === 0x0d ? lf - 1 : lf);
    this.consume(lf + 1);
    if (line.length > max) return { tooLong: true };
    return { line: Buffer.from(line) };
  }

  private complete(): ReaderEvent {
    const head = this.head!;
    const text = Buffer.concat(this.segments);
    const result = tokenize(text, head.argsAt, this.literals, this.limits);
    this.resetCommand();
    if (!result.ok) return { type: 'error', error: { tag: head.tag, name: head.name, reason: result.reason } };
    return { type: 'command', command: { tag: head.tag, name: head.name, uid: head.uid, args: result.tokens } };
  }

  private lineTooLong(): ReaderEvent {
    if (!this.head && this.segments.length === 0) this.headForError(this.raw);
    const tail = this.raw.subarray(-HEADER_TAIL);
    this.consume(this.raw.length);
    this.mode = { kind: 'discard', tail: Buffer.from(tail) };
    return this.failLine(`Command line longer than ${this.limits.maxCommandBytes} octets`);
  }

  /** So that a line refused for its length is still answered with its own tag when it has one. */
  private headForError(start: Buffer): void {
    const head = readHead(start.subarray(0, 256));
    if (!('reason' in head)) this.head = head;
  }

  private failLine(reason: string): ReaderEvent {
    const head = this.head;
    this.resetCommand();
    return { type: 'error', error: { tag: head?.tag ?? null, name: head?.name ?? null, reason } };
  }

  private fail(error: SyntaxError): ReaderEvent {
    this.resetCommand();
    return { type: 'error', error };
  }

  private consume(octets: number): void {
    this.raw = this.raw.subarray(octets);
    this.scanned = Math.max(0, this.scanned - octets);
  }

  private resetCommand(): void {
    this.segments = [];
    this.textBytes = 0;
    this.literals = [];
    this.literalBytes = 0;
    this.head = null;
  }
}

/** The tag, the command name and an optional UID prefix of a command's first line. */
function readHead(line: Buffer): Head | SyntaxError {
  let at = 0;
  while (at < line.length && isTagChar(line[at])) at++;
  if (at === 0) return { tag: null, name: null, reason: line.length === 0 ? 'Empty command line' : 'Missing or invalid tag' };
  const tag = line.toString('latin1', 0, at);
  if (at < line.length && line[at] !== 0x20) return { tag: null, name: null, reason: 'Invalid character in tag' };
  const word = (): string => {
    const from = ++at;
    while (at < line.length && isAlpha(line[at])) at++;
    return line.toString('latin1', from, at).toUpperCase();
  };
  let name = word();
  if (!name) return { tag, name: null, reason: 'Missing command name' };
  let uid = false;
  if (name === 'UID' && line[at] === 0x20) {
    uid = true;
    name = word();
    if (!name) return { tag, name: 'UID', reason: 'Missing command name after UID' };
  }
  if (at < line.length && line[at] !== 0x20) return { tag, name: null, reason: 'Invalid character in command name' };
  return { tag, name, uid, argsAt: at };
}
