// Builds the SigV4 canonical request from the request as the server received it.
// Reference: the AWS SigV4 specification and what @smithy/signature-v4 and botocore sign.
import { canonicalQueryComponent, uriEscape } from './uri.ts';

export type HeaderValue = string | string[] | undefined;

/**
 * Canonical URI for every service but S3: drop empty and `.` segments, resolve `..`, then
 * URI-encode each segment of the path as received. Signers encode their already-encoded
 * path once more, so encoding the received (still encoded) path matches them.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '/' || rawPath === '') return '/';
  const kept: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(uriEscape(segment));
  }
  const lead = rawPath.charCodeAt(0) === 0x2f ? '/' : '';
  const trail = kept.length > 0 && rawPath.charCodeAt(rawPath.length - 1) === 0x2f ? '/' : '';
  return lead + kept.join('/') + trail;
}

const byKeyThenValue = (a: [string, string], b: [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

/**
 * Canonical query: each key and value decoded and re-encoded, sorted by encoded key then
 * value (code-unit order equals byte order as they are ASCII). For presigned requests the
 * signature parameter is left out, as the signer could not include it.
 */
export function canonicalQuery(rawQuery: string, dropSignature: boolean): string {
  if (rawQuery === '') return '';
  const pairs: [string, string][] = [];
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = canonicalQueryComponent(eq < 0 ? piece : piece.slice(0, eq));
    if (dropSignature && key === 'X-Amz-Signature') continue;
    pairs.push([key, eq < 0 ? '' : canonicalQueryComponent(piece.slice(eq + 1))]);
  }
  if (pairs.length === 1) return `${pairs[0]![0]}=${pairs[0]![1]}`;
  pairs.sort(byKeyThenValue);
  let out = '';
  for (let i = 0; i < pairs.length; i++) out += `${i === 0 ? '' : '&'}${pairs[i]![0]}=${pairs[i]![1]}`;
  return out;
}

const FOLDABLE = /[ \t\r\n]+/g;

// Trims and collapses runs of whitespace to one space, as the signers do (obsolete line
// folding included). Most values need nothing, so scan before reaching for a regex.
function trimAll(value: string): string {
  const n = value.length;
  let dirty = n > 0 && (value.charCodeAt(0) === 0x20 || value.charCodeAt(n - 1) === 0x20);
  for (let i = 0; !dirty && i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x09 || c === 0x0a || c === 0x0d || (c === 0x20 && value.charCodeAt(i + 1) === 0x20)) dirty = true;
  }
  if (!dirty) return value;
  const collapsed = value.replace(FOLDABLE, ' ');
  const start = collapsed.charCodeAt(0) === 0x20 ? 1 : 0;
  const end = collapsed.length - (collapsed.length > start && collapsed.charCodeAt(collapsed.length - 1) === 0x20 ? 1 : 0);
  return collapsed.slice(start, end);
}

/**
 * A header's canonical value. Repeated headers arrive as string[] (IncomingMessage.headersDistinct)
 * and are joined with ',' as AWS does; node's own `headers` pre-joins most repeats with ', '.
 * An absent header signs as empty, so the signature simply fails to match.
 */
export function canonicalHeaderValue(value: HeaderValue): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return trimAll(value);
  let out = '';
  for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + trimAll(value[i]!);
  return out;
}

export interface CanonicalParts {
  method: string;
  rawPath: string;
  rawQuery: string;
  presigned: boolean;
  headers: Record<string, HeaderValue>;
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function canonicalRequest(p: CanonicalParts): string {
  let headerBlock = '';
  for (const name of p.signedHeaders) {
    headerBlock += `${name}:${canonicalHeaderValue(p.headers[name.toLowerCase()])}\n`;
  }
  return (
    `${p.method}\n${canonicalUri(p.rawPath)}\n${canonicalQuery(p.rawQuery, p.presigned)}\n` +
    `${headerBlock}\n${p.signedHeaders.join(';')}\n${p.payloadHash}`
  );
}

export function stringToSign(amzDate: string, scope: string, canonicalRequestHash: string): string {
  return `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${canonicalRequestHash}`;
}
