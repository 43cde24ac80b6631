// A message's flags as IMAP lists them: the system flags of the row's bitmask, then its
// keywords. Checked on the way in: the system flags the store keeps, and keywords that are IMAP atoms.
import type { Reader } from '../../store/database.ts';
import { flagNames, splitFlags } from '../store/flags.ts';
import { InvalidFlag } from './errors.ts';

export interface MessageFlags {
  uid: number;
  flags: readonly string[];
  modseq: number;
}

/** What SELECT's PERMANENTFLAGS offers: every system flag but \Recent, and any keyword. */
export const PERMANENT_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\*'] as const;

const SYSTEM = new Set(['\\seen', '\\answered', '\\flagged', '\\deleted', '\\draft']);
// RFC 3501 atom: no ( ) { SP CTL % * " \ ]
const ATOM = /^[^(){ \u0000-\u001f\u007f%*"\\\]]+$/u;
export const MAX_KEYWORD_LENGTH = 128;

/** The flags a client may set; \Recent is the server's and is ignored, as RFC 3501 asks. */
export function checkFlags(flags: readonly string[]): { mask: number; keywords: string[] } {
  const kept: string[] = [];
  for (const flag of flags) {
    if (flag.toLowerCase() === '\\recent') continue;
    if (flag.startsWith('\\')) {
      if (!SYSTEM.has(flag.toLowerCase())) throw new InvalidFlag(`${flag} is not a system flag.`);
    } else if (!ATOM.test(flag) || flag.length > MAX_KEYWORD_LENGTH) {
      throw new InvalidFlag(`"${flag}" is not a keyword: an atom of at most ${MAX_KEYWORD_LENGTH} characters.`);
    }
    kept.push(flag);
  }
  return splitFlags(kept);
}

// Most messages carry no keyword: their lists are shared per bitmask instead of made per message.
const shared = new Map<number, readonly string[]>();

export function flagList(mask: number, keywords: readonly string[] | undefined): readonly string[] {
  if (keywords?.length) return [...flagNames(mask), ...keywords];
  let list = shared.get(mask);
  if (!list) shared.set(mask, (list = Object.freeze(flagNames(mask))));
  return list;
}

/** The keywords of messages of a folder with UIDs between `first` and `last`, by UID. */
export async function keywordsBetween(db: Reader, folderId: string, first: number, last: number): Promise<Map<number, string[]>> {
  const rows = await db.selectFrom('mail_keywords').select(['uid', 'keyword']).where('folder_id', '=', folderId).where('uid', '>=', first).where('uid', '<=', last).orderBy('uid').orderBy('keyword').execute();
  const out = new Map<number, string[]>();
  for (const row of rows) {
    const uid = Number(row.uid);
    const list = out.get(uid);
    if (list) list.push(row.keyword);
    else out.set(uid, [row.keyword]);
  }
  return out;
}

/** The keywords some message of the folder carries, for SELECT's FLAGS and PERMANENTFLAGS. */
export async function keywordsInUse(db: Reader, folderId: string): Promise<string[]> {
  const rows = await db.selectFrom('mail_keywords').select('keyword').distinct().where('folder_id', '=', folderId).orderBy('keyword').execute();
  return rows.map((row) => row.keyword);
}
