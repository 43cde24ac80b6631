// Which blobs messages still point at: what the orphan sweeper and a mailbox's removal ask
// before a body is freed. A filed message and a message waiting in the outbound queue both
// reference their body; a body is free only when neither does.
import type { Reader } from '../../store/database.ts';
import type { FileBlobStore } from '../../blobs/blob-store.ts';

export async function referencedBlobs(db: Reader, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const filed = await db.selectFrom('mail_messages').select('blob_id').distinct().where('blob_id', 'in', ids).execute();
  const queued = await db.selectFrom('mail_outbound_messages').select('blob_id').distinct().where('blob_id', 'in', ids).execute();
  return new Set([...filed, ...queued].map((row) => row.blob_id));
}

/** Removes those of `ids` no message references any more and no hold protects; returns how many went. */
export async function freeUnreferenced(db: Reader, blobs: FileBlobStore, ids: readonly string[]): Promise<number> {
  const unique = [...new Set(ids)];
  const used = await referencedBlobs(db, unique);
  let freed = 0;
  for (const id of unique) {
    if (!used.has(id) && (await blobs.removeUnlessUsed(id, async (one) => (await referencedBlobs(db, [one])).has(one)))) freed++;
  }
  return freed;
}
