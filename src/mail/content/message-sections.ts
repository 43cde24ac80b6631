// FETCH of body sections for one stored message: its row gives the blob and the structure, the
// blob is read once for all the sections one FETCH item list asks of it.
import type { FileBlobStore } from '../../blobs/blob-store.ts';
import type { Reader } from '../../store/database.ts';
import type { BodyPart } from '../store/mime.ts';
import { extractSection, type SectionSpec } from './sections.ts';

/**
 * The octets of each section (null for a section the message does not have: NIL), or null when
 * the folder holds no message with that UID (expunged meanwhile: the caller answers as RFC 3501
 * allows for an expunged message).
 */
export async function fetchSections(db: Reader, blobs: FileBlobStore, folderId: string, uid: number, specs: readonly SectionSpec[]): Promise<Array<Buffer | null> | null> {
  const row = await db.selectFrom('mail_messages').select(['blob_id', 'body_structure']).where('folder_id', '=', folderId).where('uid', '=', uid).executeTakeFirst();
  if (!row) return null;
  const raw = await blobs.read(row.blob_id);
  const structure = JSON.parse(row.body_structure) as BodyPart;
  return specs.map((spec) => extractSection(raw, structure, spec));
}
