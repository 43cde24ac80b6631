// URI encoding as SigV4 defines it: RFC 3986 unreserved characters stay, everything else is
// %XX of its UTF-8 bytes with upper-case hex (encodeURIComponent leaves !'()* alone, so those
// are escaped by hand).

function isUnreserved(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2d || // -
    c === 0x2e || // .
    c === 0x5f || // _
    c === 0x7e // ~
  );
}

function allUnreserved(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isUnreserved(s.charCodeAt(i))) return false;
  return true;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SUB_DELIMS = /[!'()*]/g;
const hexOf = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

/** Encodes a string (already decoded) the way SigV4 signers do. */
export function uriEscape(s: string): string {
  if (allUnreserved(s)) return s;
  let encoded: string;
  try {
    encoded = encodeURIComponent(s);
  } catch {
    // Lone surrogates cannot come from an HTTP request line; encode them as U+FFFD like TextEncoder.
    encoded = encodeURIComponent(s.replace(LONE_SURROGATE, '\uFFFD'));
  }
  return encoded.replace(SUB_DELIMS, hexOf);
}

/**
 * Canonical form of one query key or value exactly as received: decode, then re-encode, so
 * `%7e`, `~` and `%7E` all become `~`. A literal `+` stays a `+` (it is not form encoding)
 * and so becomes `%2B`, which is what @smithy/signature-v4 signs for a decoded `+`.
 */
export function canonicalQueryComponent(raw: string): string {
  if (allUnreserved(raw)) return raw;
  let decoded = raw;
  if (raw.includes('%')) {
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      // A malformed escape is taken literally, so its `%` is signed as `%25`.
    }
  }
  return uriEscape(decoded);
}

/** Decodes a query key or value for reading (not for signing). */
export function decodeQueryComponent(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
