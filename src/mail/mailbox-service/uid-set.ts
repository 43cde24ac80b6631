// UID sets as the IMAP door hands them over: ranges with '*' already resolved by the door
// (RFC 3501: n:* is n:UIDNEXT-1, and n when n is above it), in any order, possibly overlapping.
import type { SelectQueryBuilder } from 'kysely';
import { InvalidUidSet } from './errors.ts';

/** Inclusive [first, last] ranges. */
export type UidSet = ReadonlyArray<readonly [number, number]>;

/** Ranges per statement: keeps the bound parameters well under either engine's limit. */
const RANGES_PER_QUERY = 200;

/** Sorted, merged, checked ranges. */
export function normalize(set: UidSet): Array<[number, number]> {
  const ranges = set.map(([a, b]) => {
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 1 || b < 1) throw new InvalidUidSet(`${a}:${b} is not a range of UIDs.`);
    return (a <= b ? [a, b] : [b, a]) as [number, number];
  });
  ranges.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/** The ranges in groups small enough for one statement each. */
export function batches(set: UidSet): Array<Array<[number, number]>> {
  const ranges = normalize(set);
  const out: Array<Array<[number, number]>> = [];
  for (let i = 0; i < ranges.length; i += RANGES_PER_QUERY) out.push(ranges.slice(i, i + RANGES_PER_QUERY));
  return out;
}

/** Restricts a query on a table with a `uid` column to the ranges. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function whereUids<Q extends SelectQueryBuilder<any, any, any>>(query: Q, ranges: ReadonlyArray<readonly [number, number]>, column = 'uid'): Q {
  return query.where((eb) => eb.or(ranges.map(([a, b]) => (a === b ? eb(eb.ref(column), '=', a) : eb.between(eb.ref(column), a, b))))) as Q;
}
