// Full-text search over messages behind one small interface: SQLite's FTS5 (a contentless table
// whose rows are the messages' rowids) or PostgreSQL's tsvector with a GIN index (a column of
// mail_messages). Indexed at delivery, in the transaction that files the message.
import { sql } from 'kysely';
import type { Db, Tx } from '../../store/database.ts';

export interface SearchText {
  subject: string;
  addresses: string;
  body: string;
}

export interface MessageRef {
  folderId: string;
  uid: number;
}

export interface MailSearch {
  index(trx: Tx, message: MessageRef, text: SearchText): Promise<void>;
  /** Called before the messages' rows are deleted. */
  forget(trx: Tx, folderId: string, uids: readonly number[]): Promise<void>;
  /** Messages of the mailbox containing every word of `words`. */
  find(db: Db, mailboxId: string, words: string): Promise<MessageRef[]>;
  /**
   * UIDs of one folder whose indexed text (the body text only, or any of it) has, for each of
   * `terms`, a word beginning with it: IMAP SEARCH BODY/TEXT narrows to these before it confirms
   * its substring match (src/mail/content/search-query.ts). `terms` as `searchTerms` cuts them.
   */
  findInFolder(db: Db, folderId: string, terms: readonly string[], where: 'body' | 'any'): Promise<number[]>;
}

const terms = (words: string): string[] => words.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
/** The words of a search string as the index cuts text: runs of letters and digits. */
export const searchTerms = terms;

const sqlite: MailSearch = {
  async index(trx, message, text) {
    await sql`insert into mail_fts (rowid, subject, addresses, body)
      select rowid, ${text.subject}, ${text.addresses}, ${text.body} from mail_messages where folder_id = ${message.folderId} and uid = ${message.uid}`.execute(trx);
  },
  async forget(trx, folderId, uids) {
    if (!uids.length) return;
    await sql`delete from mail_fts where rowid in (select rowid from mail_messages where folder_id = ${folderId} and uid in (${sql.join(uids)}))`.execute(trx);
  },
  async find(db, mailboxId, words) {
    const list = terms(words);
    if (!list.length) return [];
    const query = list.map((term) => `"${term.replace(/"/g, '""')}"`).join(' ');
    const result = await sql<{ folder_id: string; uid: number }>`select m.folder_id, m.uid from mail_fts f join mail_messages m on m.rowid = f.rowid
      where mail_fts match ${query} and m.mailbox_id = ${mailboxId} order by m.folder_id, m.uid`.execute(db);
    return result.rows.map((row) => ({ folderId: row.folder_id, uid: Number(row.uid) }));
  },
  async findInFolder(db, folderId, list, where) {
    if (!list.length) return [];
    const prefixes = list.map((term) => `"${term.replace(/"/g, '""')}"*`).join(' AND ');
    const query = where === 'body' ? `body : (${prefixes})` : prefixes;
    const result = await sql<{ uid: number }>`select m.uid from mail_fts f join mail_messages m on m.rowid = f.rowid
      where mail_fts match ${query} and m.folder_id = ${folderId} order by m.uid`.execute(db);
    return result.rows.map((row) => Number(row.uid));
  },
};

// 'simple': no stemming and no stop words, since a mailbox mixes languages.
const postgres: MailSearch = {
  async index(trx, message, text) {
    await sql`update mail_messages set search =
        setweight(to_tsvector('simple', ${text.subject}), 'A') ||
        setweight(to_tsvector('simple', ${text.addresses}), 'B') ||
        setweight(to_tsvector('simple', ${text.body}), 'C')
      where folder_id = ${message.folderId} and uid = ${message.uid}`.execute(trx);
  },
  async forget() {
    // The vector is a column of the message row and goes with it.
  },
  async find(db, mailboxId, words) {
    const list = terms(words);
    if (!list.length) return [];
    const result = await sql<{ folder_id: string; uid: number }>`select folder_id, uid from mail_messages
      where mailbox_id = ${mailboxId} and search @@ plainto_tsquery('simple', ${list.join(' ')}) order by folder_id, uid`.execute(db);
    return result.rows.map((row) => ({ folderId: row.folder_id, uid: Number(row.uid) }));
  },
  async findInFolder(db, folderId, list, where) {
    if (!list.length) return [];
    // Terms are letters and digits only (searchTerms), so they cannot break to_tsquery's syntax;
    // weight C is the body.
    const weight = where === 'body' ? 'C' : '';
    const query = list.map((term) => `${term}:*${weight}`).join(' & ');
    const result = await sql<{ uid: number }>`select uid from mail_messages
      where folder_id = ${folderId} and search @@ to_tsquery('simple', ${query}) order by uid`.execute(db);
    return result.rows.map((row) => Number(row.uid));
  },
};

export const mailSearch = (engine: 'sqlite' | 'postgres'): MailSearch => (engine === 'postgres' ? postgres : sqlite);
