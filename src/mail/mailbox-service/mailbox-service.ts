// The mailbox service: everything the IMAP commands do to mailboxes, folders and messages, so
// that a command handler calls one method and never SQL. One MailboxService per process (it
// shares the MailService's blob store, whose holds are per instance, and its search index);
// one UserMailboxes per logged-in user, from forUser().
//
// Every call names the mailbox it works on and checks again that the user may open it (their
// own, or FULL_ACCESS granted to them or a group of theirs: access.ts), so that a grant revoked
// while a session is open takes effect at its next command. The user's own mailbox costs no query.
//
// Failures are DomainErrors (src/errors.ts): notFound (FolderNotFound, MailboxNotFound),
// conflict (FolderExists, FolderHasChildren), limit (QuotaExceeded), invalid (InvalidFolderName,
// InvalidFlag, InvalidUidSet), state (FolderProtected), denied (MailboxAccessDenied), and
// unavailable (StorageFull, StoreUnavailable) for the disk or database below.
import type { Clock } from '../../clock.ts';
import type { Store } from '../../store/database.ts';
import { storeFailure } from '../store/errors.ts';
import { ensureMailbox, mailboxBytes, quotaBytes } from '../store/mailboxes.ts';
import type { MailService } from '../store/service.ts';
import { accessibleMailboxes, requireAccess, type AccessibleMailbox } from './access.ts';
import { append, type AppendOptions, type Appended } from './append.ts';
import { changesSince, vanishedSince, type FolderChanges } from './changes-since.ts';
import type { FolderHandle, ServiceContext } from './context.ts';
import { copy, move, type CopyResult, type MoveResult } from './copy-move.ts';
import { expunge } from './expunge.ts';
import { blobOf, fetchMessages, type FetchedMessage, type FetchOptions } from './fetch.ts';
import { createFolder, deleteFolder, folderStatus, listFolders, renameFolder, type FolderInfo, type FolderStatus } from './folders.ts';
import { openFolder, type OpenedFolder } from './open-folder.ts';
import { storeFlags, type StoreRequest, type StoreResult } from './store-flags.ts';
import { subscribe, subscriptions, unsubscribe } from './subscriptions.ts';
import type { UidSet } from './uid-set.ts';

export interface MailboxServiceOptions {
  store: Store;
  mail: MailService;
  clock: Clock;
  defaultQuotaMb: number;
}

export class MailboxService {
  readonly context: ServiceContext;
  private readonly knownMailboxes = new Set<string>();

  constructor(private readonly options: MailboxServiceOptions) {
    this.context = {
      db: options.store.db,
      engine: options.store.engine,
      blobs: options.mail.blobs,
      search: options.mail.delivery.search,
      clock: options.clock,
      defaultQuotaMb: options.defaultQuotaMb,
    };
  }

  forUser(userId: string): UserMailboxes {
    return new UserMailboxes(this, userId);
  }

  /** Calls `listener` with the mailbox's MODSEQ after each committed change to it (IDLE); returns the unsubscribe. */
  watch(mailboxId: string, listener: (modseq: number) => void): () => void {
    return this.options.store.changes.subscribe((change) => {
      if (change.kind === 'mailbox' && change.mailboxId === mailboxId) listener(change.modseq);
    });
  }

  /** Access checked, and the mailbox made with WorkMail's folders if its entity has had no mail yet. */
  async enter(userId: string, mailboxId: string): Promise<void> {
    await requireAccess(this.context.db, userId, mailboxId);
    if (this.knownMailboxes.has(mailboxId)) return;
    await ensureMailbox(this.context.db, mailboxId, this.context.clock.now());
    this.knownMailboxes.add(mailboxId);
  }
}

export class UserMailboxes {
  private readonly context: ServiceContext;

  constructor(
    private readonly service: MailboxService,
    readonly userId: string,
  ) {
    this.context = service.context;
  }

  /** The user's own mailbox first, then those shared with them. */
  mailboxes(): Promise<AccessibleMailbox[]> {
    return this.guard(() => accessibleMailboxes(this.context.db, this.userId));
  }

  listFolders(mailboxId: string): Promise<FolderInfo[]> {
    return this.in(mailboxId, () => listFolders(this.context.db, mailboxId));
  }

  status(mailboxId: string, name: string): Promise<FolderStatus> {
    return this.in(mailboxId, () => folderStatus(this.context.db, mailboxId, name));
  }

  createFolder(mailboxId: string, name: string): Promise<{ name: string; uidValidity: number }> {
    return this.in(mailboxId, () => createFolder(this.context, mailboxId, name));
  }

  deleteFolder(mailboxId: string, name: string): Promise<void> {
    return this.in(mailboxId, () => deleteFolder(this.context, mailboxId, name));
  }

  renameFolder(mailboxId: string, from: string, to: string): Promise<void> {
    return this.in(mailboxId, () => renameFolder(this.context, mailboxId, from, to));
  }

  subscribe(mailboxId: string, name: string): Promise<void> {
    return this.in(mailboxId, () => subscribe(this.context.db, this.userId, mailboxId, name));
  }

  unsubscribe(mailboxId: string, name: string): Promise<void> {
    return this.in(mailboxId, () => unsubscribe(this.context.db, this.userId, mailboxId, name));
  }

  subscriptions(mailboxId: string): Promise<string[]> {
    return this.in(mailboxId, () => subscriptions(this.context.db, this.userId, mailboxId));
  }

  /** SELECT / EXAMINE (read-only is the session's business: the service reads the same either way). */
  open(mailboxId: string, name: string, options: { chunkSize?: number } = {}): Promise<OpenedFolder> {
    return this.in(mailboxId, () => openFolder(this.context.db, mailboxId, name, options.chunkSize));
  }

  changesSince(folder: FolderHandle, modseq: number): Promise<FolderChanges> {
    return this.in(folder.mailboxId, () => changesSince(this.context.db, folder, modseq));
  }

  vanishedSince(folder: FolderHandle, modseq: number, uids?: UidSet): Promise<number[]> {
    return this.in(folder.mailboxId, () => vanishedSince(this.context.db, folder, modseq, uids));
  }

  fetch(folder: FolderHandle, uids: UidSet, options?: FetchOptions): Promise<FetchedMessage[]> {
    return this.in(folder.mailboxId, () => fetchMessages(this.context.db, folder, uids, options));
  }

  /** The body of a message of the folder, for BODY[…] and RFC822; MessageNotFound once it is expunged. */
  readBody(folder: FolderHandle, uid: number): Promise<Buffer> {
    return this.in(folder.mailboxId, async () => this.context.blobs.read(await blobOf(this.context.db, folder, uid)));
  }

  storeFlags(folder: FolderHandle, request: StoreRequest): Promise<StoreResult> {
    return this.in(folder.mailboxId, () => storeFlags(this.context, folder, request));
  }

  /** Every \Deleted message of the folder, or only those of `uids` (UID EXPUNGE); returns the UIDs expunged. */
  expunge(folder: FolderHandle, uids?: UidSet): Promise<number[]> {
    return this.in(folder.mailboxId, () => expunge(this.context, folder, uids));
  }

  copy(folder: FolderHandle, uids: UidSet, targetMailboxId: string, targetName: string): Promise<CopyResult> {
    return this.in(folder.mailboxId, () => this.in(targetMailboxId, () => copy(this.context, folder, uids, targetMailboxId, targetName)));
  }

  move(folder: FolderHandle, uids: UidSet, targetMailboxId: string, targetName: string): Promise<MoveResult> {
    return this.in(folder.mailboxId, () => this.in(targetMailboxId, () => move(this.context, folder, uids, targetMailboxId, targetName)));
  }

  append(mailboxId: string, name: string, raw: Buffer, options?: AppendOptions): Promise<Appended> {
    return this.in(mailboxId, () => append(this.context, mailboxId, name, raw, options));
  }

  /** RFC 9208 QUOTA: the mailbox's storage in bytes (the door shows KiB). */
  quota(mailboxId: string): Promise<{ usedBytes: number; limitBytes: number }> {
    return this.in(mailboxId, async () => ({
      usedBytes: await mailboxBytes(this.context.db, mailboxId),
      limitBytes: await quotaBytes(this.context.db, mailboxId, this.context.defaultQuotaMb),
    }));
  }

  private in<T>(mailboxId: string, work: () => Promise<T>): Promise<T> {
    return this.guard(async () => {
      await this.service.enter(this.userId, mailboxId);
      return work();
    });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw storeFailure(error);
    }
  }
}
