// FETCH's metadata for a UID set, as the store keeps it: flags, MODSEQ, internal date, size, and
// the envelope and body structure computed at delivery (JSON, never a re-parse of the body), with
// the blob id the IMAP door reads BODY[…] from (src/mail/content/ extracts sections).
import type { Reader } from '../../store/database.ts';
import type { BodyPart, Envelope } from '../store/mime.ts';
import type { FolderHandle } from './context.ts';
import { MessageNotFound } from './errors.ts';
import { requireFolder } from './folder-rows.ts';
import { flagList, keywordsBetween } from './message-flags.ts';
import { batches, whereUids, type UidSet } from './uid-set.ts';

export interface FetchOptions {
  envelope?: boolean;
  bodyStructure?: boolean;
}

export interface FetchedMessage {
  uid: number;
  flags: readonly string[];
  modseq: number;
  internalDate: Date;
  size: number;
  blobId: string;
  envelope?: Envelope;
  bodyStructure?: BodyPart;
}

/** In UID order; UIDs of the set that do not exist (expunged) are left out. */
export async function fetchMessages(db: Reader, handle: FolderHandle, uids: UidSet, options: FetchOptions = {}): Promise<FetchedMessage[]> {
  await requireFolder(db, handle);
  const out: FetchedMessage[] = [];
  for (const ranges of batches(uids)) {
    let query = db.selectFrom('mail_messages').select(['uid', 'flags', 'modseq', 'internal_date', 'size', 'blob_id']).where('folder_id', '=', handle.folderId);
    // Only the JSON asked for is read: a FETCH of FLAGS over a whole folder stays light.
    if (options.envelope) query = query.select('envelope') as typeof query;
    if (options.bodyStructure) query = query.select('body_structure') as typeof query;
    const rows = (await whereUids(query, ranges).orderBy('uid').execute()) as Array<{
      uid: number;
      flags: number;
      modseq: number;
      internal_date: number;
      size: number;
      blob_id: string;
      envelope?: string;
      body_structure?: string;
    }>;
    if (!rows.length) continue;
    const keywords = await keywordsBetween(db, handle.folderId, Number(rows[0].uid), Number(rows[rows.length - 1].uid));
    for (const row of rows) {
      const uid = Number(row.uid);
      out.push({
        uid,
        flags: flagList(Number(row.flags), keywords.get(uid)),
        modseq: Number(row.modseq),
        internalDate: new Date(Number(row.internal_date)),
        size: Number(row.size),
        blobId: row.blob_id,
        ...(row.envelope !== undefined ? { envelope: JSON.parse(row.envelope) as Envelope } : {}),
        ...(row.body_structure !== undefined ? { bodyStructure: JSON.parse(row.body_structure) as BodyPart } : {}),
      });
    }
  }
  return out;
}

/** The blob holding the body of a message of the folder: asked by (folder, UID), so a session reads only messages it may open. */
export async function blobOf(db: Reader, handle: FolderHandle, uid: number): Promise<string> {
  const row = await db.selectFrom('mail_messages').select('blob_id').where('folder_id', '=', handle.folderId).where('mailbox_id', '=', handle.mailboxId).where('uid', '=', uid).executeTakeFirst();
  if (!row) throw new MessageNotFound(`No message with UID ${uid}: it has been expunged.`);
  return row.blob_id;
}
