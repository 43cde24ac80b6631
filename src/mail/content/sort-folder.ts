// SORT over one folder: the messages its search criteria match (search-query.ts), their sort
// rows read in chunks, put in order (sort.ts). The session passes its view as for SEARCH.
import type { Db } from '../../store/database.ts';
import type { Envelope } from '../store/mime.ts';
import type { SearchKey } from './search-criteria.ts';
import { searchFolder, type FolderSearch } from './search-query.ts';
import { sortMessages, type SortCriterion, type SortItem } from './sort.ts';

const CHUNK = 500;

/** The UIDs matching `key` in the order of `criteria` (UID SORT answers these; SORT their sequence numbers). */
export async function sortFolder(scope: FolderSearch, criteria: readonly SortCriterion[], key: SearchKey): Promise<number[]> {
  const uids = await searchFolder(scope, key);
  return sortMessages(await sortItems(scope.db, scope.folderId, uids), criteria);
}

/** The rows SORT reads, for the given UIDs of the folder (those gone meanwhile are left out). */
export async function sortItems(db: Db, folderId: string, uids: readonly number[]): Promise<SortItem[]> {
  const items: SortItem[] = [];
  for (let i = 0; i < uids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('mail_messages')
      .select(['uid', 'internal_date', 'size', 'envelope'])
      .where('folder_id', '=', folderId)
      .where('uid', 'in', uids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) items.push({ uid: Number(row.uid), internalDate: Number(row.internal_date), size: Number(row.size), envelope: JSON.parse(row.envelope) as Envelope });
    if (i + CHUNK < uids.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return items;
}
