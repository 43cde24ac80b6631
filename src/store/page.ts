// Keyset pagination for IAM-style Marker/MaxItems: each page is a range query after the last
// key of the previous one, so a page costs the same at any depth. The marker is opaque to clients.
import { InvalidInput } from '../errors.ts';

export interface PageRequest {
  after: string | undefined;
  limit: number;
}

export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  marker: string | undefined;
}

export const DEFAULT_MAX_ITEMS = 100;

export function pageRequest(input: { Marker?: string; MaxItems?: number }): PageRequest {
  let after: string | undefined;
  if (input.Marker !== undefined) {
    try {
      after = Buffer.from(input.Marker, 'base64url').toString('utf8');
    } catch {
      after = undefined;
    }
    if (!after || !after.startsWith('k:')) throw new InvalidInput('Invalid Marker.');
    after = after.slice(2);
  }
  return { after, limit: input.MaxItems ?? DEFAULT_MAX_ITEMS };
}

/** `rows` must hold up to limit + 1 rows in key order: the extra one tells that more remain. */
export function pageOf<T>(rows: T[], request: PageRequest, keyOf: (row: T) => string): Page<T> {
  const isTruncated = rows.length > request.limit;
  const items = isTruncated ? rows.slice(0, request.limit) : rows;
  const marker = isTruncated ? Buffer.from('k:' + keyOf(items[items.length - 1]!), 'utf8').toString('base64url') : undefined;
  return { items, isTruncated, marker };
}

/** The Query-protocol result members for a page. */
export const pageResult = <T>(page: Page<T>) => ({ IsTruncated: page.isTruncated, Marker: page.marker });
