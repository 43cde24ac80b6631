// Splits the text of one command (its lines joined, each literal cut out and kept aside) into
// tokens: atoms, quoted strings with their two escapes, literals, and parenthesized lists, with
// the nesting depth and the argument count bounded. Iterative, so depth costs no stack.
import type { Token } from './tokens.ts';

export interface TokenizerLimits {
  maxNestingDepth: number;
  maxArguments: number;
}

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; reason: string };

/** A literal's place in the joined text: its `{n}` header ends the line at `at`. */
export interface LiteralSlot {
  at: number;
  value: Buffer;
  nonSync: boolean;
}

const SP = 0x20;
const OPEN = 0x28;
const CLOSE = 0x29;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const BRACE = 0x7b;
const BRACKET_OPEN = 0x5b;
const BRACKET_CLOSE = 0x5d;

// RFC 3501 atom-specials, less what the grammar sorts out later: `%` and `*` (list wildcards,
// sequence sets), `]` (in astrings), `\` (leading a flag) and `[` (a FETCH section, read whole).
const isAtomChar = (c: number) => c > 0x20 && c < 0x7f && c !== OPEN && c !== CLOSE && c !== QUOTE && c !== BRACE;

const unexpected = (c: number) => (c >= 0x80 ? 'an 8-bit octet outside a string' : `the character 0x${c.toString(16).padStart(2, '0')} outside a string`);

export function tokenize(text: Buffer, start: number, literals: LiteralSlot[], limits: TokenizerLimits): TokenizeResult {
  const top: Token[] = [];
  const stack: Token[][] = [top];
  let count = 0;
  let literalIndex = 0;
  let at = start;
  const fail = (reason: string): TokenizeResult => ({ ok: false, reason: `${reason} at octet ${at}` });
  const add = (token: Token): string | null => {
    if (++count > limits.maxArguments) return `more than ${limits.maxArguments} arguments`;
    stack[stack.length - 1].push(token);
    return null;
  };

  while (at < text.length) {
    const c = text[at];
    if (c === SP) {
      at++;
      continue;
    }
    let problem: string | null = null;
    if (c === OPEN) {
      if (stack.length > limits.maxNestingDepth) return fail(`parentheses nested deeper than ${limits.maxNestingDepth} levels`);
      const list: Token = { type: 'list', items: [] };
      problem = add(list);
      if (problem) return fail(problem);
      stack.push(list.items);
      at++;
      if (text[at] === SP) return fail('a space after "("');
      continue;
    }
    if (c === CLOSE) {
      if (stack.length === 1) return fail('")" without "("');
      stack.pop();
      at++;
      if (at < text.length && text[at] !== SP && text[at] !== CLOSE && text[at] !== BRACKET_CLOSE) return fail('no space after ")"');
      continue;
    }
    if (c === QUOTE) {
      const bytes: number[] = [];
      at++;
      for (;;) {
        if (at >= text.length) return fail('a quoted string without its closing quote');
        const q = text[at];
        if (q === QUOTE) break;
        if (q === 0x0d || q === 0x0a || q === 0) return fail('CR, LF or NUL in a quoted string (send a literal)');
        if (q === BACKSLASH) {
          const next = text[at + 1];
          if (next !== QUOTE && next !== BACKSLASH) return fail('a backslash in a quoted string escapes only \\ and "');
          bytes.push(next);
          at += 2;
          continue;
        }
        bytes.push(q);
        at++;
      }
      at++;
      problem = add({ type: 'quoted', value: Buffer.from(bytes) });
    } else if (c === BRACE) {
      const slot = literals[literalIndex];
      const close = text.indexOf(0x7d, at);
      if (!slot || close < 0 || close + 1 !== slot.at) return fail('"{" that does not begin a literal at the end of a line');
      literalIndex++;
      at = slot.at;
      problem = add({ type: 'literal', value: slot.value, nonSync: slot.nonSync });
    } else if (isAtomChar(c)) {
      const from = at;
      while (at < text.length && isAtomChar(text[at])) {
        if (text[at] === BRACKET_OPEN) {
          // A FETCH section such as BODY[HEADER.FIELDS (From To)] is one atom, spaces and all.
          const end = text.indexOf(BRACKET_CLOSE, at);
          if (end < 0) return fail('"[" without "]"');
          at = end + 1;
        } else at++;
      }
      problem = add({ type: 'atom', value: text.toString('latin1', from, at) });
    } else {
      return fail(unexpected(c));
    }
    if (problem) return fail(problem);
    if (at < text.length && text[at] !== SP && text[at] !== CLOSE) return fail(isAtomChar(text[at]) || text[at] === OPEN || text[at] === QUOTE || text[at] === BRACE ? 'no space between two arguments' : unexpected(text[at]));
  }
  if (stack.length > 1) return fail('"(" without ")"');
  if (literalIndex !== literals.length) return fail('a literal out of place');
  return { ok: true, tokens: top };
}
