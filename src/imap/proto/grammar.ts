// The one-line argument grammar each command declares at the top of its file, compiled once and
// checked against the tokens of every command before its handler runs:
//
//   'astring astring'            LOGIN userid password
//   'mailbox [list]'             SELECT mailbox [(params)]
//   'mailbox [list] [string] message'   APPEND (flags, date-time optional)
//   'seq-set atom|list'          FETCH set (item or (items))
//   'atom+'                      ENABLE capability...
//
// A term is a type name (TYPES below); `[term]` is optional, `term*` repeats zero or more times,
// `term+` one or more, `a|b` takes either. Optional terms are matched with backtracking, so that
// APPEND's `[string] message` reads a lone literal as the message. The handler receives one
// value per term: undefined for an absent optional one, an array for a repeated one.
import { parseSequenceSet, type SequenceSet } from './sequence-set.ts';
import { describe, type Token } from './tokens.ts';

export type ArgValue = string | number | Buffer | null | SequenceSet | Token | Token[] | ArgValue[] | undefined;

export interface GrammarLimits {
  maxSequenceRanges: number;
}

type Converted = { ok: true; value: ArgValue } | { ok: false; reason: string };
type Converter = (token: Token, limits: GrammarLimits) => Converted;

const yes = (value: ArgValue): Converted => ({ ok: true, value });
const no = (reason: string): Converted => ({ ok: false, reason });
const isString = (token: Token): token is Extract<Token, { type: 'quoted' | 'literal' }> => token.type === 'quoted' || token.type === 'literal';

// RFC 3501 ASTRING-CHAR: ATOM-CHAR or "]". The reader lets `%`, `*`, `\` and sections through,
// for the types that want them; an astring does not.
const ASTRING_ATOM = /^[^(){ \x00-\x1f\x7f%*"\\]+$/;
const NUMBER = /^\d{1,10}$/;

const TYPES: Record<string, Converter> = {
  /** A bare atom, as written (keywords, capability names, fetch items, flags). */
  atom: (t) => (t.type === 'atom' ? yes(t.value) : no(`expected an atom, not ${describe(t)}`)),
  /** An atom or a string, read as UTF-8 (user names, passwords, mailbox names). */
  astring: (t) => {
    if (isString(t)) return yes(t.value.toString('utf8'));
    if (t.type === 'atom' && ASTRING_ATOM.test(t.value)) return yes(t.value);
    return no(`expected an atom or a string, not ${describe(t)}`);
  },
  /** A quoted string or a literal, as UTF-8. */
  string: (t) => (isString(t) ? yes(t.value.toString('utf8')) : no(`expected a string, not ${describe(t)}`)),
  /** A string or NIL (null). */
  nstring: (t) => (isString(t) ? yes(t.value.toString('utf8')) : t.type === 'atom' && t.value.toUpperCase() === 'NIL' ? yes(null) : no(`expected a string or NIL, not ${describe(t)}`)),
  /** A string's octets as sent (APPEND's message). */
  message: (t) => (isString(t) ? yes(t.value) : no(`expected a message literal, not ${describe(t)}`)),
  /** A mailbox name: INBOX in any case is INBOX (RFC 3501 section 5.1). */
  mailbox: (t, limits) => {
    const name = TYPES.astring(t, limits);
    if (!name.ok) return no(`expected a mailbox name, not ${describe(t)}`);
    return yes((name.value as string).toUpperCase() === 'INBOX' ? 'INBOX' : name.value);
  },
  /** A non-negative 32-bit number. */
  number: (t) => (t.type === 'atom' && NUMBER.test(t.value) && Number(t.value) <= 0xffffffff ? yes(Number(t.value)) : no(`expected a number, not ${describe(t)}`)),
  /** A positive 32-bit number. */
  'nz-number': (t) => (t.type === 'atom' && NUMBER.test(t.value) && Number(t.value) > 0 && Number(t.value) <= 0xffffffff ? yes(Number(t.value)) : no(`expected a positive number, not ${describe(t)}`)),
  'seq-set': (t, limits) => {
    if (t.type !== 'atom') return no(`expected a sequence set, not ${describe(t)}`);
    const parsed = parseSequenceSet(t.value, limits.maxSequenceRanges);
    return parsed.ok ? yes(parsed.set) : no(`expected a sequence set: ${parsed.reason}`);
  },
  /** A parenthesized list, its items left to the handler. */
  list: (t) => (t.type === 'list' ? yes(t.items) : no(`expected a parenthesized list, not ${describe(t)}`)),
  /** Any one token, left to the handler (SEARCH keys, STORE values). */
  any: (t) => yes(t),
};

interface Term {
  types: string[];
  min: number;
  max: number;
}

export interface Grammar {
  source: string;
  terms: Term[];
}

/** Compiles a grammar line; a mistake in one is a programming error, thrown at load. */
export function compileGrammar(source: string): Grammar {
  const terms: Term[] = [];
  for (const word of source.split(' ').filter(Boolean)) {
    let body = word;
    let min = 1;
    let max = 1;
    if (body.startsWith('[') && body.endsWith(']')) [body, min] = [body.slice(1, -1), 0];
    else if (body.endsWith('*')) [body, min, max] = [body.slice(0, -1), 0, Infinity];
    else if (body.endsWith('+')) [body, max] = [body.slice(0, -1), Infinity];
    const types = body.split('|');
    for (const type of types) if (!TYPES[type]) throw new Error(`IMAP grammar "${source}": unknown type "${type}"`);
    terms.push({ types, min, max });
  }
  return { source, terms };
}

export type GrammarMatch = { ok: true; values: ArgValue[] } | { ok: false; reason: string };

export function matchGrammar(grammar: Grammar, tokens: Token[], limits: GrammarLimits): GrammarMatch {
  let firstProblem: string | null = null;
  const convert = (term: Term, token: Token): Converted => {
    let last: Converted = no('');
    for (const type of term.types) {
      last = TYPES[type](token, limits);
      if (last.ok) return last;
    }
    return last;
  };
  // Depth-first over terms; repeated terms take greedily and give back on failure. Backtracking
  // is bounded: only optional terms branch, and grammars have at most a few.
  const match = (termIndex: number, at: number): ArgValue[] | null => {
    if (termIndex === grammar.terms.length) {
      if (at === tokens.length) return [];
      firstProblem ??= `unexpected ${describe(tokens[at])} after the arguments`;
      return null;
    }
    const term = grammar.terms[termIndex];
    if (term.max === Infinity) {
      const taken: ArgValue[] = [];
      while (at + taken.length < tokens.length) {
        const value = convert(term, tokens[at + taken.length]);
        if (!value.ok) break;
        taken.push(value.value);
      }
      for (let n = taken.length; n >= term.min; n--) {
        const rest = match(termIndex + 1, at + n);
        if (rest) return [taken.slice(0, n), ...rest];
      }
      if (taken.length < term.min) firstProblem ??= at < tokens.length ? convert(term, tokens[at]).ok ? 'too few arguments' : (convert(term, tokens[at]) as { reason: string }).reason : 'missing arguments';
      return null;
    }
    if (at < tokens.length) {
      const value = convert(term, tokens[at]);
      if (value.ok) {
        const rest = match(termIndex + 1, at + 1);
        if (rest) return [value.value, ...rest];
      } else firstProblem ??= value.reason;
    } else if (term.min === 1) firstProblem ??= 'missing arguments';
    if (term.min === 0) {
      const rest = match(termIndex + 1, at);
      if (rest) return [undefined, ...rest];
    }
    return null;
  };
  const values = match(0, 0);
  if (values) return { ok: true, values };
  return { ok: false, reason: firstProblem ?? 'invalid arguments' };
}
