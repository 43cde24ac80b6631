// SEARCH over one folder: the criteria (search-criteria.ts) to the UIDs that match.
//
// How each key is answered:
// - Flags, internal dates, sizes, UIDs, sequence numbers (as UID ranges of the session's view),
//   keywords and MODSEQ are SQL on mail_messages' columns (and mail_keywords). The criteria become
//   one WHERE clause that every match satisfies: a key SQL cannot answer counts as "maybe" (TRUE
//   under an even number of NOTs, FALSE under an odd one), so for metadata-only criteria the
//   clause is exact and for the rest it narrows the rows read.
// - FROM, TO, CC, BCC, SUBJECT and SENT* read the envelope stored at delivery (RFC 2047 decoded);
//   the string keys first narrow the rows with a LIKE on the stored envelope (envelope-prefilter.ts).
// - BODY and TEXT ask the full-text index first (its UIDs narrow the SQL while they are a few
//   thousand), then confirm the substring RFC 3501 requires in
//   the decoded body text of each remaining message (its blob). The index is word-based, so a
//   string must begin a word of the message (each of its words is looked up as a word prefix):
//   "ello" does not find "hello", "hel" and "hello wor" do. A string without letters or digits
//   cannot use the index and is confirmed on every message. The text is what the index holds:
//   text/plain and text/html parts (HTML tags dropped), nested messages, the first 256 KB. TEXT
//   is that or the envelope's header text (subject, addresses, date, message ids); other header
//   fields are HEADER's, which reads each candidate's header from its blob.
// - Matching is case-insensitive in Unicode (text-match.ts), the CHARSET UTF-8 semantics.
//
// Rows are read in chunks of `chunkSize` by UID with a turn of the event loop between chunks, so
// a search over 100,000 messages never holds the process in one step.
import { sql, type RawBuilder } from 'kysely';
import type { FileBlobStore } from '../../blobs/blob-store.ts';
import type { Db } from '../../store/database.ts';
import { decodeWords } from '../store/mime-decode.ts';
import { parseMessage, type Envelope } from '../store/mime.ts';
import { searchTerms, type MailSearch } from '../store/search.ts';
import { fieldValue, headerFields } from './header-fields.ts';
import { envelopeMayHold } from './envelope-prefilter.ts';
import { bodyStartOf } from './part-locator.ts';
import { checkSearch, dayStart, inSequenceSet, InvalidSearch, nextDayStart, type SearchKey, type SequenceSet } from './search-criteria.ts';
import { addressesText, compareDays, decodeEnvelopeText, envelopeText, fold, holds, sentDay } from './text-match.ts';

export interface FolderSearch {
  db: Db;
  blobs: FileBlobStore;
  search: MailSearch;
  folderId: string;
  /**
   * The session's view: the folder's UIDs in sequence order (sequence number n is view[n - 1]).
   * Needed for sequence-number keys; when given, only these messages can match (a message
   * delivered since is not the client's yet).
   */
  view?: readonly number[];
  /** The session's \Recent messages (RFC 3501 2.3.2); none when absent. */
  recent?: ReadonlySet<number>;
  /** Messages covered per step. Default 2500. */
  chunkSize?: number;
}

const BITS = { SEEN: 1, ANSWERED: 2, FLAGGED: 4, DELETED: 8, DRAFT: 16 } as const;
const FLAG_KEYS: Record<string, { bit: number; set: boolean }> = {
  ...Object.fromEntries(Object.entries(BITS).map(([name, bit]) => [name, { bit, set: true }])),
  ...Object.fromEntries(Object.entries(BITS).map(([name, bit]) => [`UN${name}`, { bit, set: false }])),
};

interface Row {
  uid: number;
  flags: number;
  internal_date: number;
  size: number;
  modseq: number;
  envelope?: string;
  blob_id: string;
}

/** The UIDs of the folder's messages that match `key`, ascending. Throws InvalidSearch for criteria past the bounds. */
export async function searchFolder(scope: FolderSearch, key: SearchKey): Promise<number[]> {
  checkSearch(key);
  const { db, folderId, view } = scope;
  const needs = requirements(key);
  if (needs.sequence && !view) throw new InvalidSearch('Sequence numbers need the session’s view of the folder.');
  const largestUid = view ? (view[view.length - 1] ?? 0) : needs.uidStar ? await highestUid(db, folderId) : 0;
  const candidates = await indexCandidates(scope, key);
  const bounds = compile(key, { db, largestUid, view, candidates, budget: { left: MAX_LISTED_CANDIDATES } });
  if (bounds.upper === false || (view && view.length === 0)) return [];
  const matcher = new Matcher(scope, largestUid, candidates);

  const chunkSize = scope.chunkSize ?? 2500;
  const matches: number[] = [];
  let after = 0;
  for (;;) {
    // Each step covers the next `chunkSize` messages of the folder by UID (found on the primary
    // key alone), so that a selective condition never scans the whole folder in one statement.
    const boundary = await db.selectFrom('mail_messages').select('uid').where('folder_id', '=', folderId).where('uid', '>', after).orderBy('uid').limit(1).offset(chunkSize - 1).executeTakeFirst();
    const until = boundary ? Number(boundary.uid) : undefined;
    let query = db
      .selectFrom('mail_messages as m')
      .select(['m.uid', 'm.flags', 'm.internal_date', 'm.size', 'm.modseq', 'm.blob_id'])
      .$if(needs.envelope, (q) => q.select('m.envelope'))
      .where('m.folder_id', '=', folderId)
      .where('m.uid', '>', after);
    if (until !== undefined) query = query.where('m.uid', '<=', until);
    if (view) query = query.where('m.uid', '<=', largestUid);
    if (bounds.upper !== true) query = query.where(bounds.upper);
    const rows = (await query.orderBy('m.uid').execute()) as Row[];
    const keywords = needs.keywords && rows.length ? await keywordsOf(db, folderId, Number(rows[0].uid), Number(rows[rows.length - 1].uid)) : new Map<number, Set<string>>();
    for (const row of rows) {
      const uid = Number(row.uid);
      if (view && indexIn(view, uid) < 0) continue;
      if (await matcher.matches(key, row, keywords.get(uid))) matches.push(uid);
    }
    if (until === undefined || (view && until >= largestUid)) break;
    after = until;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return matches;
}

interface Requirements {
  envelope: boolean;
  keywords: boolean;
  sequence: boolean;
  uidStar: boolean;
}

function requirements(key: SearchKey): Requirements {
  const needs: Requirements = { envelope: false, keywords: false, sequence: false, uidStar: false };
  const visit = (node: SearchKey): void => {
    switch (node.type) {
      case 'NOT':
        return visit(node.key);
      case 'OR':
        visit(node.left);
        return visit(node.right);
      case 'AND':
        return node.keys.forEach(visit);
      case 'KEYWORD':
      case 'UNKEYWORD':
        needs.keywords = true;
        return;
      case 'SEQUENCE':
        needs.sequence = true;
        return;
      case 'UID':
        needs.uidStar ||= node.set.some((range) => range.from === '*' || range.to === '*');
        return;
      case 'FROM':
      case 'TO':
      case 'CC':
      case 'BCC':
      case 'SUBJECT':
      case 'TEXT':
      case 'SENTBEFORE':
      case 'SENTON':
      case 'SENTSINCE':
        needs.envelope = true;
        return;
      default:
        return;
    }
  };
  visit(key);
  return needs;
}

async function highestUid(db: Db, folderId: string): Promise<number> {
  const row = await db.selectFrom('mail_messages').select((eb) => eb.fn.max('uid').as('uid')).where('folder_id', '=', folderId).executeTakeFirst();
  return Number(row?.uid ?? 0);
}

async function keywordsOf(db: Db, folderId: string, first: number, last: number): Promise<Map<number, Set<string>>> {
  const rows = await db.selectFrom('mail_keywords').select(['uid', 'keyword']).where('folder_id', '=', folderId).where('uid', '>=', first).where('uid', '<=', last).execute();
  const out = new Map<number, Set<string>>();
  for (const row of rows) {
    const uid = Number(row.uid);
    let set = out.get(uid);
    if (!set) out.set(uid, (set = new Set()));
    set.add(row.keyword.toLowerCase());
  }
  return out;
}

/** For each BODY and TEXT key, the UIDs the full-text index holds its words for; absent when its string has no word. */
async function indexCandidates(scope: FolderSearch, key: SearchKey): Promise<Map<SearchKey, Set<number>>> {
  const out = new Map<SearchKey, Set<number>>();
  const visit = async (node: SearchKey): Promise<void> => {
    if (node.type === 'NOT') return visit(node.key);
    if (node.type === 'OR') {
      await visit(node.left);
      return visit(node.right);
    }
    if (node.type === 'AND') {
      for (const child of node.keys) await visit(child);
      return;
    }
    if (node.type !== 'BODY' && node.type !== 'TEXT') return;
    const terms = searchTerms(node.value);
    if (terms.length) out.set(node, new Set(await scope.search.findInFolder(scope.db, scope.folderId, terms, 'body')));
  };
  await visit(key);
  return out;
}

/** Binary search: the index of `uid` in the ascending view, or -1. */
function indexIn(view: readonly number[], uid: number): number {
  let low = 0;
  let high = view.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (view[middle] === uid) return middle;
    if (view[middle] < uid) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

// ---- SQL: a WHERE clause every match satisfies (exact when every key is SQL's) ----

type Clause = RawBuilder<boolean> | boolean;

const all = (clauses: Clause[]): Clause => {
  if (clauses.includes(false)) return false;
  const rest = clauses.filter((c): c is RawBuilder<boolean> => c !== true);
  if (!rest.length) return true;
  return rest.length === 1 ? rest[0] : sql<boolean>`(${sql.join(rest, sql` and `)})`;
};
const any = (clauses: Clause[]): Clause => {
  if (clauses.includes(true)) return true;
  const rest = clauses.filter((c): c is RawBuilder<boolean> => c !== false);
  if (!rest.length) return false;
  return rest.length === 1 ? rest[0] : sql<boolean>`(${sql.join(rest, sql` or `)})`;
};
const negate = (clause: Clause): Clause => (typeof clause === 'boolean' ? !clause : sql<boolean>`not (${clause})`);

/** `upper`: true of every match (rows to read); `lower`: true only of matches. */
interface Bounds {
  upper: Clause;
  lower: Clause;
}
const exact = (clause: Clause): Bounds => ({ upper: clause, lower: clause });
const MAYBE: Bounds = { upper: true, lower: false };

/** How many UIDs from the full-text index one query may list (`m.uid in (…)`); past it a BODY key does not narrow the SQL. */
const MAX_LISTED_CANDIDATES = 5000;

interface CompileContext {
  db: Db;
  largestUid: number;
  view?: readonly number[];
  candidates: Map<SearchKey, Set<number>>;
  budget: { left: number };
}

function compile(key: SearchKey, context: CompileContext): Bounds {
  const { largestUid, view } = context;
  switch (key.type) {
    case 'ALL':
      return exact(true);
    case 'NOT': {
      const inner = compile(key.key, context);
      return { upper: negate(inner.lower), lower: negate(inner.upper) };
    }
    case 'OR': {
      const [a, b] = [compile(key.left, context), compile(key.right, context)];
      return { upper: any([a.upper, b.upper]), lower: any([a.lower, b.lower]) };
    }
    case 'AND': {
      const parts = key.keys.map((k) => compile(k, context));
      return { upper: all(parts.map((p) => p.upper)), lower: all(parts.map((p) => p.lower)) };
    }
    case 'KEYWORD':
    case 'UNKEYWORD': {
      const has = sql<boolean>`exists (select 1 from mail_keywords k where k.folder_id = m.folder_id and k.uid = m.uid and lower(k.keyword) = ${key.keyword.toLowerCase()})`;
      return exact(key.type === 'KEYWORD' ? has : negate(has));
    }
    case 'BEFORE':
      return exact(sql<boolean>`m.internal_date < ${dayStart(key.date)}`);
    case 'ON':
      return exact(sql<boolean>`(m.internal_date >= ${dayStart(key.date)} and m.internal_date < ${nextDayStart(key.date)})`);
    case 'SINCE':
      return exact(sql<boolean>`m.internal_date >= ${dayStart(key.date)}`);
    case 'LARGER':
      return exact(sql<boolean>`m.size > ${key.size}`);
    case 'SMALLER':
      return exact(sql<boolean>`m.size < ${key.size}`);
    case 'MODSEQ':
      return exact(sql<boolean>`m.modseq >= ${key.modseq}`);
    case 'UID':
      return exact(uidRanges(key.set, largestUid));
    case 'SEQUENCE':
      // Sequence numbers n..m of the view are the UIDs view[n-1]..view[m-1]; a UID between them
      // that is not in the view is a message gone since, whose row is gone too.
      return exact(uidRanges(key.set, view!.length, (n) => view![n - 1]));
    case 'FROM':
    case 'TO':
    case 'CC':
    case 'BCC':
    case 'SUBJECT':
      return { upper: envelopeMayHold(context.db, fold(key.value)), lower: false };
    case 'BODY':
      return { upper: indexed(key, context), lower: false };
    case 'TEXT':
      return { upper: any([envelopeMayHold(context.db, fold(key.value)), indexed(key, context)]), lower: false };
    default: {
      const flag = FLAG_KEYS[key.type];
      if (flag) return exact(flag.set ? sql<boolean>`(m.flags & ${flag.bit}) <> 0` : sql<boolean>`(m.flags & ${flag.bit}) = 0`);
      return MAYBE;
    }
  }
}

/** The messages the full-text index found for a BODY/TEXT key, as SQL while they are few enough to list. */
function indexed(key: SearchKey, context: CompileContext): Clause {
  const found = context.candidates.get(key);
  if (!found) return true;
  if (found.size === 0) return false;
  if (found.size > context.budget.left) return true;
  context.budget.left -= found.size;
  return sql<boolean>`m.uid in (${sql.join([...found])})`;
}

/** `m.uid between …` per range; `toUid` maps sequence numbers (1..largest) to UIDs. */
function uidRanges(set: SequenceSet, largest: number, toUid?: (n: number) => number): Clause {
  // An empty view has no sequence numbers; UIDs need no view (and `largest` is only read for '*').
  if (toUid && largest === 0) return false;
  return any(
    set.map((range) => {
      const a = range.from === '*' ? largest : range.from;
      const b = range.to === '*' ? largest : range.to;
      const [low, high] = [Math.min(a, b), Math.max(a, b)];
      if (!toUid) return sql<boolean>`m.uid between ${low} and ${high}`;
      if (low > largest) return false;
      return sql<boolean>`m.uid between ${toUid(low)} and ${toUid(Math.min(high, largest))}`;
    }),
  );
}

// ---- Per message: every key, "unknown" for those that need the blob until it is read ----

interface Opened {
  header: HeaderBlock;
  bodyText: string;
}
type HeaderBlock = ReturnType<typeof headerFields>['fields'];

class Matcher {
  private readonly needles = new Map<SearchKey, string>();

  constructor(
    private readonly scope: FolderSearch,
    private readonly largestUid: number,
    private readonly candidates: Map<SearchKey, Set<number>>,
  ) {}

  async matches(key: SearchKey, row: Row, keywords: Set<string> | undefined): Promise<boolean> {
    let envelope: Envelope | undefined;
    const message = { row, keywords, envelope: () => (envelope ??= JSON.parse(row.envelope ?? 'null') as Envelope) };
    const first = evaluate(key, (leaf) => this.leaf(leaf, message, null));
    if (first !== undefined) return first;
    const opened = await this.open(row.blob_id);
    return evaluate(key, (leaf) => this.leaf(leaf, message, opened)) === true;
  }

  private async open(blobId: string): Promise<Opened> {
    const raw = await this.scope.blobs.read(blobId);
    const header = headerFields(raw.subarray(0, bodyStartOf(raw, 0, raw.length)).toString('latin1')).fields;
    return { header, bodyText: parseMessage(raw).text.body };
  }

  private needle(key: SearchKey & { value: string }): string {
    let folded = this.needles.get(key);
    if (folded === undefined) this.needles.set(key, (folded = fold(key.value)));
    return folded;
  }

  private leaf(key: SearchKey, message: { row: Row; keywords: Set<string> | undefined; envelope: () => Envelope }, opened: Opened | null): boolean | undefined {
    const { row } = message;
    const uid = Number(row.uid);
    switch (key.type) {
      case 'ALL':
        return true;
      case 'RECENT':
        return this.scope.recent?.has(uid) ?? false;
      case 'NEW':
        return (this.scope.recent?.has(uid) ?? false) && (row.flags & BITS.SEEN) === 0;
      case 'OLD':
        return !(this.scope.recent?.has(uid) ?? false);
      case 'KEYWORD':
      case 'UNKEYWORD':
        return (message.keywords?.has(key.keyword.toLowerCase()) ?? false) === (key.type === 'KEYWORD');
      case 'BEFORE':
        return Number(row.internal_date) < dayStart(key.date);
      case 'ON':
        return Number(row.internal_date) >= dayStart(key.date) && Number(row.internal_date) < nextDayStart(key.date);
      case 'SINCE':
        return Number(row.internal_date) >= dayStart(key.date);
      case 'SENTBEFORE':
      case 'SENTON':
      case 'SENTSINCE': {
        // No readable Date header: the internal date's UTC day stands in, as RFC 5256 does for SORT.
        const received = new Date(Number(row.internal_date));
        const sent = sentDay(message.envelope().date) ?? { year: received.getUTCFullYear(), month: received.getUTCMonth() + 1, day: received.getUTCDate() };
        const order = compareDays(sent, key.date);
        return key.type === 'SENTBEFORE' ? order < 0 : key.type === 'SENTON' ? order === 0 : order >= 0;
      }
      case 'LARGER':
        return Number(row.size) > key.size;
      case 'SMALLER':
        return Number(row.size) < key.size;
      case 'MODSEQ':
        return Number(row.modseq) >= key.modseq;
      case 'UID':
        return inSequenceSet(key.set, uid, this.largestUid);
      case 'SEQUENCE': {
        const view = this.scope.view!;
        return inSequenceSet(key.set, indexIn(view, uid) + 1, view.length);
      }
      case 'FROM':
        return holds(addressesText(message.envelope().from), this.needle(key));
      case 'TO':
        return holds(addressesText(message.envelope().to), this.needle(key));
      case 'CC':
        return holds(addressesText(message.envelope().cc), this.needle(key));
      case 'BCC':
        return holds(addressesText(message.envelope().bcc), this.needle(key));
      case 'SUBJECT':
        return holds(decodeEnvelopeText(message.envelope().subject), this.needle(key));
      case 'HEADER': {
        if (!opened) return undefined;
        const name = key.field.toLowerCase();
        const needle = fold(key.value);
        return opened.header.some((field) => field.name === name && holds(decodeWords(fieldValue(field)), needle));
      }
      case 'TEXT':
      case 'BODY': {
        const needle = this.needle(key);
        if (key.type === 'TEXT' && holds(envelopeText(message.envelope()), needle)) return true;
        const indexed = this.candidates.get(key);
        if (indexed && !indexed.has(uid)) return false;
        return opened ? holds(opened.bodyText, needle) : undefined;
      }
      default: {
        const flag = FLAG_KEYS[key.type];
        return flag ? ((row.flags & flag.bit) !== 0) === flag.set : false;
      }
    }
  }
}

/** Three-valued (Kleene) logic: undefined is "not known before the blob is read". */
function evaluate(key: SearchKey, leaf: (key: SearchKey) => boolean | undefined): boolean | undefined {
  switch (key.type) {
    case 'NOT': {
      const value = evaluate(key.key, leaf);
      return value === undefined ? undefined : !value;
    }
    case 'OR': {
      const left = evaluate(key.left, leaf);
      if (left === true) return true;
      const right = evaluate(key.right, leaf);
      if (right === true) return true;
      return left === undefined || right === undefined ? undefined : false;
    }
    case 'AND': {
      let unknown = false;
      for (const child of key.keys) {
        const value = evaluate(child, leaf);
        if (value === false) return false;
        if (value === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    default:
      return leaf(key);
  }
}
