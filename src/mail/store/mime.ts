// Reads a message once, at delivery, into what IMAP serves without opening the body again: the
// ENVELOPE (RFC 3501 7.4.2: raw header values, addresses split into name/mailbox/host) and the
// BODYSTRUCTURE (the MIME tree with each part's type, parameters, encoding, size in octets and
// lines), and the decoded text full-text search indexes.
//
// Written here rather than taken from mailparser: IMAP wants the raw, undecoded header values
// and each part's exact octet count, which a decoding parser throws away.
import { decodeBody, decodeCharset, decodeWords } from './mime-decode.ts';

/** How deep multiparts and attached messages nest before the rest is one opaque part. */
export const MAX_DEPTH = 16;
/** The most body text indexed for search per message. */
export const MAX_INDEXED_TEXT = 256 * 1024;

export interface Address {
  name: string | null;
  mailbox: string | null;
  host: string | null;
}
/** A group (RFC 5322 3.4) appears as its name and members, as IMAP renders it. */
export type AddressEntry = Address | { group: string; members: Address[] };

export interface Envelope {
  date: string | null;
  subject: string | null;
  from: AddressEntry[] | null;
  sender: AddressEntry[] | null;
  replyTo: AddressEntry[] | null;
  to: AddressEntry[] | null;
  cc: AddressEntry[] | null;
  bcc: AddressEntry[] | null;
  inReplyTo: string | null;
  messageId: string | null;
}

export interface BodyPart {
  type: string;
  subtype: string;
  params: Record<string, string>;
  id: string | null;
  description: string | null;
  encoding: string;
  /** octets of the encoded body */
  size: number;
  /** text/* and message/rfc822 only */
  lines?: number;
  md5: string | null;
  disposition: { type: string; params: Record<string, string> } | null;
  language: string[] | null;
  location: string | null;
  /** multipart/* */
  parts?: BodyPart[];
  /** message/rfc822 */
  message?: { envelope: Envelope; body: BodyPart };
}

export interface ParsedMessage {
  envelope: Envelope;
  body: BodyPart;
  /** decoded, for the search index */
  text: { subject: string; addresses: string; body: string };
}

type Headers = Array<[string, string]>;

export function parseMessage(raw: Buffer): ParsedMessage {
  const { headers, body } = splitEntity(raw);
  const envelope = envelopeOf(headers);
  const structure = partOf(headers, body, 0, 'text', 'plain');
  const texts: string[] = [];
  collectText(headers, body, 0, texts, { left: MAX_INDEXED_TEXT });
  const addressHeaders = ['from', 'to', 'cc', 'bcc', 'reply-to', 'sender'];
  return {
    envelope,
    body: structure,
    text: {
      subject: decodeWords(header(headers, 'subject') ?? ''),
      addresses: headers
        .filter(([name]) => addressHeaders.includes(name))
        .map(([, value]) => decodeWords(value))
        .join(' '),
      body: texts.join('\n').slice(0, MAX_INDEXED_TEXT),
    },
  };
}

function splitEntity(raw: Buffer): { headers: Headers; body: Buffer } {
  let end = raw.indexOf('\r\n\r\n');
  let skip = 4;
  const lf = raw.indexOf('\n\n');
  if (end < 0 || (lf >= 0 && lf < end)) {
    end = lf;
    skip = 2;
  }
  if (raw.length && (raw[0] === 0x0d || raw[0] === 0x0a)) {
    // No headers at all: the body starts after the first line break.
    const at = raw[0] === 0x0d ? 2 : 1;
    return { headers: [], body: raw.subarray(at) };
  }
  if (end < 0) return { headers: parseHeaders(raw.toString('latin1')), body: raw.subarray(raw.length) };
  return { headers: parseHeaders(raw.subarray(0, end).toString('latin1')), body: raw.subarray(end + skip) };
}

// Headers are read as latin1 so that every byte survives: IMAP returns them as they came.
function parseHeaders(text: string): Headers {
  const out: Headers = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1][1] += ' ' + line.trim();
    else {
      const colon = line.indexOf(':');
      if (colon > 0) out.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  return out;
}

const header = (headers: Headers, name: string): string | null => headers.find(([n]) => n === name)?.[1] ?? null;
const utf8 = (latin1: string | null) => (latin1 === null ? null : Buffer.from(latin1, 'latin1').toString('utf8'));

function envelopeOf(headers: Headers): Envelope {
  const addresses = (name: string) => {
    const value = utf8(header(headers, name));
    if (value === null) return null;
    const list = parseAddressList(value);
    return list.length ? list : null;
  };
  const from = addresses('from');
  return {
    date: utf8(header(headers, 'date')),
    subject: utf8(header(headers, 'subject')),
    from,
    sender: addresses('sender') ?? from,
    replyTo: addresses('reply-to') ?? from,
    to: addresses('to'),
    cc: addresses('cc'),
    bcc: addresses('bcc'),
    inReplyTo: utf8(header(headers, 'in-reply-to')),
    messageId: utf8(header(headers, 'message-id')),
  };
}

interface ContentValue {
  value: string;
  params: Record<string, string>;
}

/** `value; a=b; c="d"`, with RFC 2231 continuations and charsets (name*0*=utf-8''…). */
export function parseParameterised(text: string): ContentValue {
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\' && i + 1 < text.length) current += text[++i];
    else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) {
      pieces.push(current);
      current = '';
    } else current += c;
  }
  pieces.push(current);
  const value = pieces.shift()!.trim().toLowerCase();
  const simple: Record<string, string> = {};
  const extended = new Map<string, Array<{ index: number; text: string; encoded: boolean }>>();
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    const val = piece.slice(eq + 1).trim();
    const match = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(key);
    if (!match || (match[2] === undefined && match[3] === undefined)) {
      simple[key] = val;
      continue;
    }
    const list = extended.get(match[1]) ?? [];
    list.push({ index: Number(match[2] ?? 0), text: val, encoded: match[3] !== undefined });
    extended.set(match[1], list);
  }
  for (const [name, list] of extended) {
    list.sort((a, b) => a.index - b.index);
    let charset = 'utf-8';
    const bytes: number[] = [];
    list.forEach((piece, i) => {
      let text = piece.text;
      if (piece.encoded && i === 0) {
        const parts = text.split("'");
        if (parts.length >= 3) {
          charset = parts[0] || 'utf-8';
          text = parts.slice(2).join("'");
        }
      }
      if (piece.encoded) for (const b of Buffer.from(text.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1')) bytes.push(b);
      else for (const b of Buffer.from(text, 'utf8')) bytes.push(b);
    });
    simple[name] = decodeCharset(Buffer.from(bytes), charset);
  }
  return { value, params: simple };
}

function partOf(headers: Headers, body: Buffer, depth: number, defaultType: string, defaultSubtype: string): BodyPart {
  const contentType = header(headers, 'content-type');
  const parsed = contentType ? parseParameterised(contentType) : { value: `${defaultType}/${defaultSubtype}`, params: defaultType === 'text' ? { charset: 'us-ascii' } : {} };
  let [type, subtype] = parsed.value.split('/');
  if (!type || !subtype) [type, subtype] = ['text', 'plain'];
  const disposition = header(headers, 'content-disposition');
  const languages = header(headers, 'content-language');
  const part: BodyPart = {
    type,
    subtype,
    params: parsed.params,
    id: utf8(header(headers, 'content-id')),
    description: utf8(header(headers, 'content-description')),
    encoding: (header(headers, 'content-transfer-encoding') ?? '7bit').toLowerCase(),
    size: body.length,
    md5: header(headers, 'content-md5'),
    disposition: disposition ? (({ value, params }) => ({ type: value, params }))(parseParameterised(disposition)) : null,
    language: languages ? languages.split(',').map((l) => l.trim()).filter(Boolean) : null,
    location: utf8(header(headers, 'content-location')),
  };
  if (type === 'multipart' && parsed.params.boundary && depth < MAX_DEPTH) {
    const childType = subtype === 'digest' ? ['message', 'rfc822'] : ['text', 'plain'];
    part.parts = splitMultipart(body, parsed.params.boundary).map((child) => {
      const entity = splitEntity(child);
      return partOf(entity.headers, entity.body, depth + 1, childType[0], childType[1]);
    });
    if (part.parts.length === 0) part.parts = [partOf([], Buffer.alloc(0), depth + 1, 'text', 'plain')];
  } else if (type === 'message' && subtype === 'rfc822' && depth < MAX_DEPTH) {
    const inner = splitEntity(body);
    part.lines = countLines(body);
    part.message = { envelope: envelopeOf(inner.headers), body: partOf(inner.headers, inner.body, depth + 1, 'text', 'plain') };
  } else if (type === 'text') part.lines = countLines(body);
  if (type === 'multipart' && !part.parts) {
    // Too deep, or no boundary: served as one opaque part.
    part.type = 'application';
    part.subtype = 'octet-stream';
  }
  return part;
}

function countLines(body: Buffer): number {
  let lines = 0;
  for (let i = body.indexOf(0x0a); i >= 0; i = body.indexOf(0x0a, i + 1)) lines++;
  if (body.length && body[body.length - 1] !== 0x0a) lines++;
  return lines;
}

/** The body parts between `--boundary` lines; the line break before a delimiter belongs to it. */
function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: Buffer[] = [];
  let start = -1;
  let at = 0;
  while (at <= body.length) {
    const found = body.indexOf(delimiter, at);
    if (found < 0) break;
    const after = found + delimiter.length;
    const closing = body[after] === 0x2d && body[after + 1] === 0x2d;
    // A delimiter starts a line and ends it (blanks aside), or closes with "--": a longer
    // boundary that merely begins with this one is not it.
    if (!(found === 0 || body[found - 1] === 0x0a) || !(closing || endsLine(body, after))) {
      at = found + 1;
      continue;
    }
    if (start >= 0) {
      let end = found;
      if (end > start && body[end - 1] === 0x0a) end--;
      if (end > start && body[end - 1] === 0x0d) end--;
      parts.push(body.subarray(start, end));
    }
    if (closing) return parts;
    const lineEnd = body.indexOf(0x0a, after);
    if (lineEnd < 0) return parts;
    start = lineEnd + 1;
    at = start;
  }
  // A multipart cut short keeps what it had.
  if (start >= 0 && start < body.length) parts.push(body.subarray(start));
  return parts;
}

function endsLine(body: Buffer, at: number): boolean {
  let i = at;
  while (body[i] === 0x20 || body[i] === 0x09) i++;
  return i >= body.length || body[i] === 0x0a || (body[i] === 0x0d && body[i + 1] === 0x0a);
}

function collectText(headers: Headers, body: Buffer, depth: number, out: string[], budget: { left: number }): void {
  if (budget.left <= 0 || depth > MAX_DEPTH) return;
  const contentType = header(headers, 'content-type');
  const { value, params } = contentType ? parseParameterised(contentType) : { value: 'text/plain', params: {} as Record<string, string> };
  const disposition = header(headers, 'content-disposition');
  if (value.startsWith('multipart/') && params.boundary) {
    for (const child of splitMultipart(body, params.boundary)) {
      const entity = splitEntity(child);
      collectText(entity.headers, entity.body, depth + 1, out, budget);
    }
  } else if (value === 'message/rfc822') {
    const inner = splitEntity(body);
    out.push(decodeWords(header(inner.headers, 'subject') ?? ''));
    collectText(inner.headers, inner.body, depth + 1, out, budget);
  } else if ((value === 'text/plain' || value === 'text/html') && !/^\s*attachment/i.test(disposition ?? '')) {
    let text = decodeBody(body, header(headers, 'content-transfer-encoding'), params.charset);
    if (value === 'text/html') text = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ');
    text = text.slice(0, budget.left);
    budget.left -= text.length;
    out.push(text);
  }
}

/** Addresses of one header (RFC 5322 3.4), tolerant of what real mail carries. */
export function parseAddressList(text: string): AddressEntry[] {
  const tokens = tokenize(text);
  const out: AddressEntry[] = [];
  let i = 0;
  const readMailbox = (stop: string[]): Address | null => {
    const words: string[] = [];
    let angle: string | null = null;
    while (i < tokens.length && !stop.includes(tokens[i].text)) {
      const token = tokens[i++];
      if (token.text === '<' && token.kind === 'special') {
        let inner = '';
        while (i < tokens.length && tokens[i].text !== '>') inner += tokens[i++].text;
        i++;
        angle = inner;
      } else if (token.kind !== 'comment') words.push(token.text);
    }
    if (angle !== null) return { ...splitAddress(angle.replace(/^@[^:]*:/, '')), name: words.length ? words.join(' ') : null };
    const joined = words.join('');
    if (!joined) return null;
    return { ...splitAddress(joined), name: null };
  };
  while (i < tokens.length) {
    // A group is `name: members;` — look ahead for a colon before any comma or angle.
    let colon = -1;
    for (let j = i; j < tokens.length && tokens[j].text !== ',' && tokens[j].text !== '<'; j++) {
      if (tokens[j].text === ':' && tokens[j].kind === 'special') {
        colon = j;
        break;
      }
    }
    if (colon >= 0) {
      const name = tokens.slice(i, colon).filter((t) => t.kind !== 'comment').map((t) => t.text).join(' ');
      i = colon + 1;
      const members: Address[] = [];
      while (i < tokens.length && tokens[i].text !== ';') {
        const member = readMailbox([',', ';']);
        if (member) members.push(member);
        if (tokens[i]?.text === ',') i++;
      }
      i++;
      out.push({ group: name, members });
    } else {
      const mailbox = readMailbox([',']);
      if (mailbox) out.push(mailbox);
    }
    if (tokens[i]?.text === ',') i++;
  }
  return out;
}

function splitAddress(address: string): { mailbox: string | null; host: string | null } {
  const at = address.lastIndexOf('@');
  if (at < 0) return { mailbox: address || null, host: null };
  return { mailbox: address.slice(0, at), host: address.slice(at + 1) };
}

interface Token {
  kind: 'atom' | 'quoted' | 'special' | 'comment';
  text: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) i++;
    else if (c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      i++;
      tokens.push({ kind: 'quoted', text: value });
    } else if (c === '(') {
      let depth = 1;
      let value = '';
      i++;
      while (i < text.length && depth > 0) {
        if (text[i] === '\\') value += text[i++];
        else if (text[i] === '(') depth++;
        else if (text[i] === ')') depth--;
        if (depth > 0) value += text[i];
        i++;
      }
      tokens.push({ kind: 'comment', text: value });
    } else if ('<>,:;'.includes(c)) {
      tokens.push({ kind: 'special', text: c });
      i++;
    } else {
      let value = '';
      while (i < text.length && !/[\s"(<>,:;]/.test(text[i])) value += text[i++];
      tokens.push({ kind: 'atom', text: value });
    }
  }
  return tokens;
}
