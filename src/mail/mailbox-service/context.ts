// What every part of the mailbox service works with, built once by MailboxService.
import type { FileBlobStore } from '../../blobs/blob-store.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../store/database.ts';
import type { MailSearch } from '../store/search.ts';

export interface ServiceContext {
  db: Db;
  engine: 'sqlite' | 'postgres';
  blobs: FileBlobStore;
  search: MailSearch;
  clock: Clock;
  /** The quota of a mailbox whose entity has none set (WorkMail's default). */
  defaultQuotaMb: number;
}

/** A folder a session has opened: kept by id, so that a rename by another session does not lose it. */
export interface FolderHandle {
  mailboxId: string;
  folderId: string;
}
