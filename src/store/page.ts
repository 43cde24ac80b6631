// Keyset pagination, the one implementation behind IAM's Marker/MaxItems and WorkMail's
// NextToken/MaxResults. Each page is a range query after the key of the last item of the page
// before, so a page costs the same at any depth and a cursor keeps working while items are
// added or removed between pages.
//
// A cursor is opaque to clients: the key in base64url, then a check of it. A cursor that does
// not decode, or whose check does not match (garbage, truncated, edited), is refused with the
// error the caller's protocol uses; it never silently means "from the start".
import { createHash } from 'node:crypto';

export interface PageRequest {
  /** The key of the last item already returned; undefined for the first page. */
  after: string | undefined;
  limit: number;
}

export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  /** The cursor of the next page, when there is one. */
  next: string | undefined;
}

const CHECK_LENGTH = 11;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function check(key: string): string {
  return createHash('sha256').update('godwit-page\u0000').update(key, 'utf8').digest('base64url').slice(0, CHECK_LENGTH);
}

export function encodeCursor(key: string): string {
  return `${Buffer.from(key, 'utf8').toString('base64url')}.${check(key)}`;
}

/** The key a cursor carries; throws `invalid()` for anything `encodeCursor` did not make. */
export function decodeCursor(cursor: string, invalid: () => Error): string {
  const dot = cursor.lastIndexOf('.');
  const body = cursor.slice(0, dot);
  if (dot < 0 || !BASE64URL.test(body)) throw invalid();
  const bytes = Buffer.from(body, 'base64url');
  // Buffer skips characters it cannot place; a cursor must be exactly what encodeCursor wrote.
  if (bytes.toString('base64url') !== body) throw invalid();
  const key = bytes.toString('utf8');
  if (Buffer.from(key, 'utf8').compare(bytes) !== 0 || cursor.slice(dot + 1) !== check(key)) throw invalid();
  return key;
}

/** A page request from a client's cursor and page size; `invalid` makes the protocol's error. */
export function pageRequest(cursor: string | undefined, limit: number, invalid: () => Error): PageRequest {
  return { after: cursor === undefined ? undefined : decodeCursor(cursor, invalid), limit };
}

/** `rows` must hold up to limit + 1 rows in key order: the extra one tells that more remain. */
export function pageOf<T>(rows: T[], request: PageRequest, keyOf: (row: T) => string): Page<T> {
  const isTruncated = rows.length > request.limit;
  const items = isTruncated ? rows.slice(0, request.limit) : rows;
  return { items, isTruncated, next: isTruncated ? encodeCursor(keyOf(items[items.length - 1]!)) : undefined };
}

/**
 * The same over a list small enough to hold in memory (the ≤10 policies attached to an entity,
 * the ≤50 tags, the ≤5 versions of a policy, simulation results). `items` must already be in
 * ascending order of `keyOf` (plain string comparison).
 */
export function pageOfSorted<T>(items: readonly T[], request: PageRequest, keyOf: (item: T) => string): Page<T> {
  const after = request.after;
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) > after);
  const rest = start < 0 ? [] : items.slice(start, start + request.limit + 1);
  return pageOf(rest, request, keyOf);
}

/** A sortable key for a position in a list whose order is fixed by the data itself (tags, results). */
export const positionKey = (index: number): string => String(index).padStart(8, '0');
