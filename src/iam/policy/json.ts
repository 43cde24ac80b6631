// A strict RFC 8259 JSON parser that keeps where every value starts and ends, so that policy
// errors and SimulatePrincipalPolicy's MatchedStatements can point into the original text.
// JSON.parse cannot do either, and it silently keeps the last of duplicate keys, which AWS
// refuses.

import { PolicySyntaxError, type SourcePosition } from './errors.ts';

export type { SourcePosition } from './errors.ts';

interface NodeBase {
  readonly start: SourcePosition;
  /** Position just past the value's last character. */
  readonly end: SourcePosition;
}

export interface JsonString extends NodeBase {
  readonly kind: 'string';
  readonly value: string;
}
export interface JsonNumber extends NodeBase {
  readonly kind: 'number';
  readonly value: number;
  /** The number as written: IAM compares condition values as text ("1.0" is not "1"). */
  readonly raw: string;
}
export interface JsonBoolean extends NodeBase {
  readonly kind: 'boolean';
  readonly value: boolean;
}
export interface JsonNull extends NodeBase {
  readonly kind: 'null';
}
export interface JsonArray extends NodeBase {
  readonly kind: 'array';
  readonly items: readonly JsonValue[];
}
export interface JsonMember {
  readonly key: string;
  readonly keyStart: SourcePosition;
  readonly keyEnd: SourcePosition;
  readonly value: JsonValue;
}
export interface JsonObject extends NodeBase {
  readonly kind: 'object';
  readonly members: readonly JsonMember[];
}

export type JsonValue = JsonString | JsonNumber | JsonBoolean | JsonNull | JsonArray | JsonObject;

const enum Ch {
  Tab = 9,
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  Quote = 34,
  Hash = 35,
  SingleQuote = 39,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  UpperE = 69,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  LowerE = 101,
  OpenBrace = 123,
  CloseBrace = 125,
}

/** Depth beyond which we refuse rather than risk the stack; real policies nest 4 deep. */
const MAX_DEPTH = 64;

function describeChar(text: string, offset: number): string {
  if (offset >= text.length) return 'end of input';
  const code = text.codePointAt(offset)!;
  if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(code)}'`;
}

class Parser {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    this.skipWhitespace();
    if (this.pos >= this.text.length) this.fail('the policy document is empty');
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      this.fail(`unexpected ${describeChar(this.text, this.pos)} after the end of the policy document`);
    }
    return value;
  }

  private here(): SourcePosition {
    return { line: this.line, column: this.pos - this.lineStart + 1, offset: this.pos };
  }

  private fail(reason: string, at: SourcePosition = this.here()): never {
    throw new PolicySyntaxError(reason, at);
  }

  private found(): string {
    return describeChar(this.text, this.pos);
  }

  private skipWhitespace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === Ch.Space || c === Ch.Tab) {
        this.pos++;
      } else if (c === Ch.LineFeed) {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === Ch.CarriageReturn) {
        this.pos++;
        // A CRLF pair is one line break; a lone CR still ends a line.
        if (text.charCodeAt(this.pos) === Ch.LineFeed) this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === Ch.Slash && (text.charCodeAt(this.pos + 1) === Ch.Slash || text.charCodeAt(this.pos + 1) === 42)) {
        this.fail('comments are not allowed in a policy document');
      } else if (c === Ch.Hash) {
        this.fail('comments are not allowed in a policy document');
      } else {
        return;
      }
    }
  }

  private parseValue(): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case Ch.OpenBrace:
        return this.parseObject();
      case Ch.OpenBracket:
        return this.parseArray();
      case Ch.Quote:
        return this.parseString();
      case Ch.SingleQuote:
        return this.fail("strings must be enclosed in double quotes, found '''");
      case 116: // t
        return this.parseLiteral('true', { kind: 'boolean', value: true });
      case 102: // f
        return this.parseLiteral('false', { kind: 'boolean', value: false });
      case 110: // n
        return this.parseLiteral('null', { kind: 'null' });
      default:
        if (c === Ch.Minus || (c >= Ch.Zero && c <= Ch.Nine)) return this.parseNumber();
        return this.fail(`expected a value, found ${this.found()}`);
    }
  }

  private parseLiteral<T extends { kind: 'boolean'; value: boolean } | { kind: 'null' }>(
    word: string,
    shape: T,
  ): JsonValue {
    const start = this.here();
    if (!this.text.startsWith(word, this.pos)) this.fail(`expected a value, found ${this.found()}`);
    this.pos += word.length;
    return { ...shape, start, end: this.here() } as JsonValue;
  }

  private parseNumber(): JsonNumber {
    const text = this.text;
    const start = this.here();
    if (text.charCodeAt(this.pos) === Ch.Minus) this.pos++;
    const first = text.charCodeAt(this.pos);
    if (first === Ch.Zero) {
      this.pos++;
      const next = text.charCodeAt(this.pos);
      if (next >= Ch.Zero && next <= Ch.Nine) this.fail('numbers must not have leading zeros');
    } else if (first > Ch.Zero && first <= Ch.Nine) {
      this.skipDigits();
    } else {
      this.fail(`expected a digit, found ${this.found()}`);
    }
    if (text.charCodeAt(this.pos) === Ch.Dot) {
      this.pos++;
      if (!this.skipDigits()) this.fail(`expected a digit after '.', found ${this.found()}`);
    }
    const e = text.charCodeAt(this.pos);
    if (e === Ch.LowerE || e === Ch.UpperE) {
      this.pos++;
      const sign = text.charCodeAt(this.pos);
      if (sign === Ch.Plus || sign === Ch.Minus) this.pos++;
      if (!this.skipDigits()) this.fail(`expected a digit in the exponent, found ${this.found()}`);
    }
    const raw = text.slice(start.offset, this.pos);
    return { kind: 'number', value: Number(raw), raw, start, end: this.here() };
  }

  private skipDigits(): boolean {
    const from = this.pos;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c < Ch.Zero || c > Ch.Nine || Number.isNaN(c)) break;
      this.pos++;
    }
    return this.pos > from;
  }

  private parseString(): JsonString {
    const start = this.here();
    const value = this.readString();
    return { kind: 'string', value, start, end: this.here() };
  }

  /** Reads a string starting at the opening quote; fast path for the common escape-free case. */
  private readString(): string {
    const text = this.text;
    this.pos++;
    let chunkStart = this.pos;
    let out = '';
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === Ch.Quote) {
        out += text.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === Ch.Backslash) {
        out += text.slice(chunkStart, this.pos);
        out += this.readEscape();
        chunkStart = this.pos;
        continue;
      }
      if (Number.isNaN(c)) this.fail('unterminated string: expected \'"\' before the end of input');
      if (c < 0x20) this.fail(`control character ${this.found()} must be escaped inside a string`);
      this.pos++;
    }
  }

  private readEscape(): string {
    const text = this.text;
    const at = this.here();
    const c = text.charCodeAt(this.pos + 1);
    this.pos += 2;
    switch (c) {
      case Ch.Quote:
        return '"';
      case Ch.Backslash:
        return '\\';
      case Ch.Slash:
        return '/';
      case 98:
        return '\b';
      case 102:
        return '\f';
      case 110:
        return '\n';
      case 114:
        return '\r';
      case 116:
        return '\t';
      case 117: {
        const hex = text.slice(this.pos, this.pos + 4);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail('expected four hex digits after \\u', at);
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        return this.fail(`invalid escape sequence '\\${Number.isNaN(c) ? '' : String.fromCharCode(c)}'`, at);
    }
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`values are nested more than ${MAX_DEPTH} deep`);
  }

  private parseArray(): JsonArray {
    const start = this.here();
    this.enter();
    this.pos++;
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === Ch.CloseBracket) {
      this.pos++;
      this.depth--;
      return { kind: 'array', items, start, end: this.here() };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) === Ch.CloseBracket && items.length > 0) {
        this.fail("trailing comma: expected a value after ',', found ']'");
      }
      items.push(this.parseValue());
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === Ch.Comma) {
        this.pos++;
      } else if (c === Ch.CloseBracket) {
        this.pos++;
        this.depth--;
        return { kind: 'array', items, start, end: this.here() };
      } else {
        this.fail(`expected ',' or ']' after array element, found ${this.found()}`);
      }
    }
  }

  private parseObject(): JsonObject {
    const text = this.text;
    const start = this.here();
    this.enter();
    this.pos++;
    const members: JsonMember[] = [];
    // Policies have a handful of keys per object: a linear scan beats allocating a Map.
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === Ch.CloseBrace) {
      this.pos++;
      this.depth--;
      return { kind: 'object', members, start, end: this.here() };
    }
    for (;;) {
      this.skipWhitespace();
      const c = text.charCodeAt(this.pos);
      if (c !== Ch.Quote) {
        if (c === Ch.CloseBrace && members.length > 0) this.fail("trailing comma: expected a member name after ',', found '}'");
        if (c === Ch.SingleQuote) this.fail("member names must be enclosed in double quotes, found '''");
        this.fail(`expected '"' to start a member name, found ${this.found()}`);
      }
      const keyStart = this.here();
      const key = this.readString();
      const keyEnd = this.here();
      for (const m of members) {
        if (m.key === key) {
          this.fail(
            `duplicate key ${JSON.stringify(key)} (first at line ${m.keyStart.line}, column ${m.keyStart.column})`,
            keyStart,
          );
        }
      }
      this.skipWhitespace();
      if (text.charCodeAt(this.pos) !== Ch.Colon) this.fail(`expected ':' after member name, found ${this.found()}`);
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue();
      members.push({ key, keyStart, keyEnd, value });
      this.skipWhitespace();
      const next = text.charCodeAt(this.pos);
      if (next === Ch.Comma) {
        this.pos++;
      } else if (next === Ch.CloseBrace) {
        this.pos++;
        this.depth--;
        return { kind: 'object', members, start, end: this.here() };
      } else {
        this.fail(`expected ',' or '}' after object member, found ${this.found()}`);
      }
    }
  }
}

/** Parses one JSON document; throws PolicySyntaxError with the position of the first fault. */
export function parseJson(text: string): JsonValue {
  return new Parser(text).parseDocument();
}
