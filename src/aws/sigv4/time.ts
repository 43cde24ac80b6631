// Request time handling: the ISO 8601 "basic" timestamps SigV4 signs, and the clock window.
import { SigV4Error } from './errors.ts';

const digit = (s: string, i: number): number => s.charCodeAt(i) - 0x30;
const num = (s: string, from: number, len: number): number => {
  let n = 0;
  for (let i = from; i < from + len; i++) {
    const d = digit(s, i);
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
};

function badDate(value: string): SigV4Error {
  return new SigV4Error(
    'IncompleteSignature',
    `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  );
}

/** Parses `yyyymmddThhmmssZ` strictly (no regex: this runs on every request). */
export function parseAmzDate(value: string): Date {
  if (value.length !== 16 || value[8] !== 'T' || value[15] !== 'Z') throw badDate(value);
  const y = num(value, 0, 4);
  const mo = num(value, 4, 2);
  const d = num(value, 6, 2);
  const h = num(value, 9, 2);
  const mi = num(value, 11, 2);
  const s = num(value, 13, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) {
    throw badDate(value);
  }
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 31 February over into March; a real timestamp round-trips.
  if (date.getUTCDate() !== d) throw badDate(value);
  return date;
}

/** Parses an HTTP `Date` header (RFC 7231), the fallback when X-Amz-Date is absent. */
export function parseHttpDate(value: string): Date {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badDate(value);
  return new Date(ms - (ms % 1000));
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

const minutes = (seconds: number) => `${seconds / 60} min.`;

/**
 * Rejects a request time outside [now - skew, now + skew]; the edges are accepted. IAM and STS
 * answer clock skew as SignatureDoesNotMatch "Signature expired: …" (the AWS SDKs recognise
 * skew by that message and correct their clock); RequestExpired is kept for an expired
 * presigned URL.
 */
export function checkClockWindow(requestTime: Date, now: Date, skewSeconds: number, checkPast: boolean): void {
  const t = requestTime.getTime();
  const n = now.getTime();
  const skewMs = skewSeconds * 1000;
  if (checkPast && t < n - skewMs) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      `Signature expired: ${formatAmzDate(requestTime)} is now earlier than ` +
        `${formatAmzDate(new Date(n - skewMs))} (${formatAmzDate(now)} - ${minutes(skewSeconds)})`,
    );
  }
  if (t > n + skewMs) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      `Signature not yet current: ${formatAmzDate(requestTime)} is still later than ` +
        `${formatAmzDate(new Date(n + skewMs))} (${formatAmzDate(now)} + ${minutes(skewSeconds)})`,
    );
  }
}

/** A presigned URL is good until X-Amz-Date + X-Amz-Expires seconds, inclusive. */
export function checkPresignedExpiry(requestTime: Date, expiresSeconds: number, now: Date): void {
  const end = requestTime.getTime() + expiresSeconds * 1000;
  if (now.getTime() > end) {
    throw new SigV4Error(
      'RequestExpired',
      `Request has expired: ${formatAmzDate(new Date(end))} is now earlier than ${formatAmzDate(now)}`,
    );
  }
}
