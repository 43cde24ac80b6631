// EXPUNGE, CLOSE and UID EXPUNGE: the folder's \Deleted messages (only those of a UID set for
// UID EXPUNGE) go, through the store's expungeMessages (counters, journal, search, announcement
// in the same transaction); bodies no other message references are freed after the commit.
import { sql } from 'kysely';
import { mailboxChange } from '../../store/changes.ts';
import { writeTransaction } from '../../store/database.ts';
import { freeUnreferenced } from '../store/blob-references.ts';
import { DELETED } from '../store/flags.ts';
import { expungeMessages } from '../store/moves.ts';
import type { FolderHandle, ServiceContext } from './context.ts';
import { requireFolder } from './folder-rows.ts';
import { batches, whereUids, type UidSet } from './uid-set.ts';

const CHUNK = 500;

/** Returns the UIDs expunged, ascending. */
export async function expunge(context: ServiceContext, handle: FolderHandle, uids?: UidSet): Promise<number[]> {
  const { expunged, blobIds } = await writeTransaction(context.db, mailboxChange(handle.mailboxId), async (trx) => {
    await requireFolder(trx, handle);
    const query = trx
      .selectFrom('mail_messages')
      .select('uid')
      .where('folder_id', '=', handle.folderId)
      .where(sql<boolean>`(flags & ${sql.lit(DELETED)}) <> 0`);
    const found: number[] = [];
    for (const ranges of uids ? batches(uids) : [undefined]) {
      for (const row of await (ranges ? whereUids(query, ranges) : query).orderBy('uid').execute()) found.push(Number(row.uid));
    }
    const blobs: string[] = [];
    for (let i = 0; i < found.length; i += CHUNK) blobs.push(...(await expungeMessages(trx, context.search, handle.mailboxId, handle.folderId, found.slice(i, i + CHUNK))));
    return { expunged: found, blobIds: blobs };
  });
  await freeUnreferenced(context.db, context.blobs, blobIds);
  return expunged;
}
