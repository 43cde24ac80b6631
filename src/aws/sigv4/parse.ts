// Reads the SigV4 parameters out of an Authorization header or a presigned query string,
// failing with AWS's own codes and messages when a part is missing or malformed.
import { createHash } from 'node:crypto';
import { MESSAGES, SigV4Error } from './errors.ts';
import type { HeaderValue } from './canonical.ts';
import { decodeQueryComponent } from './uri.ts';
import { formatAmzDate, parseAmzDate, parseHttpDate } from './time.ts';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const MAX_EXPIRES_SECONDS = 604800;

export interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  /** `date/region/service/terminator`, as it goes into the string to sign. */
  scope: string;
}

export interface AuthParams {
  presigned: boolean;
  credential: Credential;
  signedHeaders: string[];
  signature: string;
  /** The timestamp exactly as it goes into the string to sign. */
  amzDate: string;
  requestTime: Date;
  /** Presigned only; undefined when the URL carries no X-Amz-Expires. */
  expiresSeconds: number | undefined;
  /** Presigned only: X-Amz-Content-Sha256 hoisted into the query by the presigner. */
  queryContentSha256: string | undefined;
}

export function first(value: HeaderValue): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

function incomplete(message: string): SigV4Error {
  return new SigV4Error('IncompleteSignature', message);
}

export function parseCredential(value: string): Credential {
  const parts = value.split('/');
  if (parts.length !== 5 || parts[0] === '') {
    throw incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${value}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator, scope: `${date}/${region}/${service}/${terminator}` };
}

// Query parameters by their decoded name; the first occurrence wins. The SDK hoists the
// x-amz-content-sha256 header into the query under the header's own (lower-case) name.
function queryParams(rawQuery: string, names: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const piece of rawQuery.split('&')) {
    const eq = piece.indexOf('=');
    let key = decodeQueryComponent(eq < 0 ? piece : piece.slice(0, eq));
    if (key.length === 20 && key.toLowerCase() === 'x-amz-content-sha256') key = 'X-Amz-Content-Sha256';
    if (names.includes(key) && !found.has(key)) found.set(key, decodeQueryComponent(eq < 0 ? '' : piece.slice(eq + 1)));
  }
  return found;
}

const PRESIGN_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-SignedHeaders',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-Content-Sha256',
] as const;
const OPTIONAL_PARAMS: readonly string[] = ['X-Amz-Expires', 'X-Amz-Content-Sha256'];

/** Cheap test before any parsing: could this query string carry a presigned signature? */
export function looksPresigned(rawQuery: string): boolean {
  return rawQuery.includes('X-Amz-');
}

export function readAuth(headers: Record<string, HeaderValue>, rawQuery: string): AuthParams {
  const authorization = first(headers['authorization']);
  const query = looksPresigned(rawQuery) ? queryParams(rawQuery, PRESIGN_PARAMS) : undefined;
  const presigned =
    query !== undefined &&
    (query.has('X-Amz-Algorithm') || query.has('X-Amz-Credential') || query.has('X-Amz-Signature'));
  if (authorization !== undefined && authorization !== '') {
    if (presigned) {
      throw incomplete(
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, ' +
          'Signature query string parameter or the Authorization header should be specified',
      );
    }
    return fromHeader(authorization, headers);
  }
  if (presigned) return fromQuery(query);
  throw new SigV4Error('MissingAuthenticationToken', MESSAGES.missingToken);
}

function fromHeader(authorization: string, headers: Record<string, HeaderValue>): AuthParams {
  const space = authorization.indexOf(' ');
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'`);

  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (const raw of authorization.slice(space + 1).split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      // AWS quotes a hash rather than the header itself here, keeping the signature out of logs.
      const digest = createHash('sha256').update(authorization).digest('base64');
      throw incomplete(
        `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${digest}'.`,
      );
    }
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (name === 'Credential') credential ??= value;
    else if (name === 'SignedHeaders') signedHeaders ??= value;
    else if (name === 'Signature') signature ??= value;
  }

  const amzDateHeader = first(headers['x-amz-date']);
  const httpDate = amzDateHeader === undefined ? first(headers['date']) : undefined;
  const missing: string[] = [];
  if (!credential) missing.push("Authorization header requires 'Credential' parameter.");
  if (!signature) missing.push("Authorization header requires 'Signature' parameter.");
  if (!signedHeaders) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (amzDateHeader === undefined && httpDate === undefined) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (missing.length > 0) throw incomplete(`${missing.join(' ')} Authorization=${authorization}`);

  const requestTime = amzDateHeader !== undefined ? parseAmzDate(amzDateHeader) : parseHttpDate(httpDate!);
  return {
    presigned: false,
    credential: parseCredential(credential!),
    signedHeaders: signedHeaders!.split(';'),
    signature: signature!,
    // A Date header is signed in its ISO basic form.
    amzDate: amzDateHeader ?? formatAmzDate(requestTime),
    requestTime,
    expiresSeconds: undefined,
    queryContentSha256: undefined,
  };
}

function fromQuery(query: Map<string, string>): AuthParams {
  const missing = PRESIGN_PARAMS.filter((name) => !OPTIONAL_PARAMS.includes(name) && !query.get(name));
  if (missing.length > 0) {
    throw incomplete(
      `${missing.map((name) => `AWS query-string parameters must include '${name}'.`).join(' ')} ` +
        'Re-examine the query-string parameters.',
    );
  }
  const algorithm = query.get('X-Amz-Algorithm')!;
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'`);
  const amzDate = query.get('X-Amz-Date')!;
  return {
    presigned: true,
    credential: parseCredential(query.get('X-Amz-Credential')!),
    signedHeaders: query.get('X-Amz-SignedHeaders')!.split(';'),
    signature: query.get('X-Amz-Signature')!,
    amzDate,
    requestTime: parseAmzDate(amzDate),
    expiresSeconds: parseExpires(query.get('X-Amz-Expires')),
    queryContentSha256: query.get('X-Amz-Content-Sha256'),
  };
}

function parseExpires(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,10}$/.test(value)) throw incomplete(`X-Amz-Expires should be a number, got '${value}'`);
  const seconds = Number(value);
  if (seconds < 1) throw new SigV4Error('AccessDenied', 'X-Amz-Expires must be at least 1 second');
  if (seconds > MAX_EXPIRES_SECONDS) {
    throw new SigV4Error('AccessDenied', `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`);
  }
  return seconds;
}
