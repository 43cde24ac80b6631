// The response encoder: values to IMAP syntax, lines to octets. A string goes out quoted when it
// can be, and as a literal when it holds CR, LF, NUL, an 8-bit octet or a quote-unfriendly length,
// so that what the client reads is always exactly what was meant.

/** An atom, written as is (flags, keywords, response codes): the caller vouches for its syntax. */
export class Atom {
  constructor(readonly text: string) {}
}

export const atom = (text: string) => new Atom(text);

/** Octets already in IMAP syntax, written as they are (e.g. address lists, which take no spaces). */
export class Encoded {
  constructor(readonly bytes: Buffer) {}
}

/**
 * null is NIL; a number is a number; a string or Buffer is a string (quoted or literal); an
 * array is a parenthesized list.
 */
export type ImapValue = null | number | string | Buffer | Atom | Encoded | ImapValue[];

// Longer strings go as literals: cheaper to write and read than escaped quotes.
const MAX_QUOTED = 1024;

export function encodeString(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  let needsLiteral = bytes.length > MAX_QUOTED;
  for (let i = 0; !needsLiteral && i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 0x0d || c === 0x0a || c === 0 || c >= 0x80) needsLiteral = true;
  }
  if (needsLiteral) return Buffer.concat([Buffer.from(`{${bytes.length}}\r\n`, 'latin1'), bytes]);
  return Buffer.from(`"${bytes.toString('latin1').replace(/["\\]/g, '\\$&')}"`, 'latin1');
}

export function encodeValue(value: ImapValue): Buffer {
  if (value === null) return Buffer.from('NIL');
  if (typeof value === 'number') return Buffer.from(String(value));
  if (value instanceof Atom) return Buffer.from(value.text, 'latin1');
  if (value instanceof Encoded) return value.bytes;
  if (typeof value === 'string' || Buffer.isBuffer(value)) return encodeString(value);
  return Buffer.concat([Buffer.from('('), joined(value), Buffer.from(')')]);
}

/** `(a)(b)(c)` in parentheses, no spaces: what RFC 3501 writes for `1*address` and `1*body`. */
export function concatenated(values: ImapValue[]): Buffer {
  return Buffer.concat(values.map(encodeValue));
}

function joined(values: ImapValue[]): Buffer {
  const parts: Buffer[] = [];
  values.forEach((value, index) => {
    if (index > 0) parts.push(Buffer.from(' '));
    parts.push(encodeValue(value));
  });
  return Buffer.concat(parts);
}

/** `* <values…>\r\n`: e.g. untagged(atom('CAPABILITY'), atom('IMAP4rev1')). */
export function untagged(...values: ImapValue[]): Buffer {
  return Buffer.concat([Buffer.from('* '), joined(values), Buffer.from('\r\n')]);
}

export type Status = 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH';

/**
 * A status response: `<tag|*> OK [CODE args] text`. The text is human-readable and must hold no
 * CR or LF, which are replaced, so that no caller can split a response in two.
 */
export function status(tag: string | null, kind: Status, text: string, code?: string): Buffer {
  const clean = text.replace(/[\r\n\0]+/g, ' ');
  return Buffer.from(`${tag ?? '*'} ${kind} ${code ? `[${code.replace(/[\r\n\0\]]+/g, ' ')}] ` : ''}${clean}\r\n`, 'utf8');
}

/** `+ text`: the server is ready for a literal or a SASL response. */
export function continuation(text = ''): Buffer {
  return Buffer.from(`+ ${text.replace(/[\r\n\0]+/g, ' ')}\r\n`, 'latin1');
}
