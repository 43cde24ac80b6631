// The SEARCH criteria as the IMAP parser produces them (RFC 3501 6.4.4, CONDSTORE's MODSEQ of
// RFC 7162), one node per search key, named as the RFC names them so that the parser maps
// keywords to nodes one for one. A list of keys (and a parenthesized group) is AND.
import { errorClass } from '../../errors.ts';

/** `1:4,7,9:*` — `'*'` is the largest number in use (the last sequence number, or the highest UID). */
export type SequenceSet = ReadonlyArray<{ from: number | '*'; to: number | '*' }>;

/** A calendar day, as IMAP's `1-Feb-2026` means: no time, no zone. */
export interface Day {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

export type FlagKey = 'ANSWERED' | 'DELETED' | 'DRAFT' | 'FLAGGED' | 'SEEN' | 'UNANSWERED' | 'UNDELETED' | 'UNDRAFT' | 'UNFLAGGED' | 'UNSEEN';
/** \Recent belongs to the session (RFC 3501 2.3.2), which passes its recent UIDs in. */
export type RecentKey = 'RECENT' | 'NEW' | 'OLD';
export type DateKey = 'BEFORE' | 'ON' | 'SINCE' | 'SENTBEFORE' | 'SENTON' | 'SENTSINCE';
export type StringKey = 'BCC' | 'CC' | 'FROM' | 'SUBJECT' | 'TO' | 'BODY' | 'TEXT';

export type SearchKey =
  | { type: 'ALL' }
  | { type: FlagKey }
  | { type: RecentKey }
  | { type: 'KEYWORD' | 'UNKEYWORD'; keyword: string }
  | { type: DateKey; date: Day }
  | { type: 'LARGER' | 'SMALLER'; size: number }
  | { type: StringKey; value: string }
  | { type: 'HEADER'; field: string; value: string }
  /** `UID 1:5` */
  | { type: 'UID'; set: SequenceSet }
  /** a bare sequence set: message sequence numbers */
  | { type: 'SEQUENCE'; set: SequenceSet }
  /** CONDSTORE: messages whose MODSEQ is at least `modseq` (a per-flag entry name is answered by the message's MODSEQ) */
  | { type: 'MODSEQ'; modseq: number; entry?: { name: string; type: 'priv' | 'shared' | 'all' } }
  | { type: 'NOT'; key: SearchKey }
  | { type: 'OR'; left: SearchKey; right: SearchKey }
  /** a list of keys, top level or parenthesized */
  | { type: 'AND'; keys: SearchKey[] };

/** How deeply NOT, OR and groups may nest, and how many nodes (sequence ranges counted) one search may have. */
export const MAX_SEARCH_DEPTH = 32;
export const MAX_SEARCH_NODES = 2000;

/** A search past the bounds above, or with a value that cannot be (a negative size): IMAP answers BAD. */
export class InvalidSearch extends errorClass('invalid', 'InvalidSearch') {}

/** Throws InvalidSearch unless the criteria are within the bounds; the evaluator calls it first. */
export function checkSearch(key: SearchKey): void {
  let nodes = 0;
  const visit = (node: SearchKey, depth: number): void => {
    if (depth > MAX_SEARCH_DEPTH) throw new InvalidSearch(`Search criteria nest deeper than ${MAX_SEARCH_DEPTH} levels.`);
    nodes += node.type === 'UID' || node.type === 'SEQUENCE' ? Math.max(1, node.set.length) : 1;
    if (nodes > MAX_SEARCH_NODES) throw new InvalidSearch(`Search criteria have more than ${MAX_SEARCH_NODES} keys.`);
    switch (node.type) {
      case 'NOT':
        return visit(node.key, depth + 1);
      case 'OR':
        visit(node.left, depth + 1);
        return visit(node.right, depth + 1);
      case 'AND':
        for (const child of node.keys) visit(child, depth + 1);
        return;
      case 'LARGER':
      case 'SMALLER':
        if (!Number.isSafeInteger(node.size) || node.size < 0) throw new InvalidSearch(`${node.type} needs a number of octets.`);
        return;
      case 'MODSEQ':
        if (!Number.isSafeInteger(node.modseq) || node.modseq < 0) throw new InvalidSearch('MODSEQ needs a number.');
        return;
      case 'UID':
      case 'SEQUENCE':
        for (const range of node.set) {
          for (const end of [range.from, range.to]) {
            if (end !== '*' && (!Number.isSafeInteger(end) || end < 1)) throw new InvalidSearch(`${node.type} needs numbers from 1.`);
          }
        }
        return;
      default:
        return;
    }
  };
  visit(key, 0);
}

/** Whether `n` is in the set, `'*'` standing for `largest` (RFC 3501 9: `n:m` is the same range as `m:n`). */
export function inSequenceSet(set: SequenceSet, n: number, largest: number): boolean {
  for (const range of set) {
    const a = range.from === '*' ? largest : range.from;
    const b = range.to === '*' ? largest : range.to;
    if (n >= Math.min(a, b) && n <= Math.max(a, b)) return true;
  }
  return false;
}

/** Midnight UTC of the day, in ms: internal dates compare in UTC. */
export const dayStart = (day: Day): number => Date.UTC(day.year, day.month - 1, day.day);
export const nextDayStart = (day: Day): number => Date.UTC(day.year, day.month - 1, day.day + 1);
