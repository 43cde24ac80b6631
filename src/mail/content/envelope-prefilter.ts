// A SQL condition every message whose envelope text holds a search string satisfies, so that
// FROM/TO/CC/BCC/SUBJECT (and TEXT's header side) read the envelopes of likely messages only,
// not of the whole folder. It is a prefilter: search-query.ts confirms each row on the decoded
// envelope. Superset by construction:
// - the stored envelope is JSON of the raw header values; the searched text joins its fields
//   with blanks and `<>@,:;`, so the string is cut at those (and at `"` and `\`, which JSON
//   escapes) and each piece must appear within the JSON, case-insensitively (LIKE on SQLite is
//   ASCII case-insensitive, ILIKE on PostgreSQL);
// - an envelope holding an RFC 2047 word (`=?`) or any non-ASCII character always passes: its
//   decoded or case-folded text may differ from the stored bytes.
import { PostgresAdapter, sql, type RawBuilder } from 'kysely';
import type { Db } from '../../store/database.ts';

const SEPARATORS = /[\s<>@,:;"\\\x00-\x1f]+/;

/** `true` (no narrowing) or a condition on `m.envelope`; `foldedNeedle` is already case-folded. */
export function envelopeMayHold(db: Db, foldedNeedle: string): RawBuilder<boolean> | true {
  const pieces = foldedNeedle.split(SEPARATORS).filter(Boolean);
  if (!pieces.length) return true;
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const like = (piece: string) => {
    const pattern = `%${piece.replace(/[%_]/g, (c) => `\\${c}`)}%`;
    return postgres ? sql<boolean>`m.envelope ilike ${pattern} escape '\\'` : sql<boolean>`m.envelope like ${pattern} escape '\\'`;
  };
  const nonAscii = postgres ? sql<boolean>`m.envelope ~ '[^[:ascii:]]'` : sql<boolean>`length(cast(m.envelope as blob)) <> length(m.envelope)`;
  return sql<boolean>`((${sql.join(pieces.map(like), sql` and `)}) or m.envelope like '%=?%' or ${nonAscii})`;
}
