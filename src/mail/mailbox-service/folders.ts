// Folder management (LIST, STATUS, CREATE, DELETE, RENAME) under the mailbox's lock
// (store/tx.ts), so that two sessions making, renaming or deleting one name take turns and
// the loser is told why rather than tripping over a unique index.
import { mailboxChange } from '../../store/changes.ts';
import { isUniqueViolation, writeTransaction, type Reader, type Tx } from '../../store/database.ts';
import { freeUnreferenced } from '../store/blob-references.ts';
import { moveMessages } from '../store/moves.ts';
import type { ServiceContext } from './context.ts';
import { FolderExists, FolderHasChildren, FolderNotFound, FolderProtected, InvalidFolderName } from './errors.ts';
import { folderByName, insertFolder, namesOf, requireFolderByName, type FolderRow } from './folder-rows.ts';
import { DELIMITER, canonicalName, displayName, isInbox, isInside, isWellKnown, parentsOf, specialUse } from './names.ts';

export interface FolderInfo {
  /** As IMAP shows it (INBOX), in UTF-8. */
  name: string;
  /** As stored, for subscriptions and the other calls (they accept either). */
  stored: string;
  /** \HasChildren or \HasNoChildren, \Noselect for a placeholder level, and a special-use attribute. */
  attributes: string[];
  specialUse: string | undefined;
  selectable: boolean;
}

export interface FolderStatus {
  messages: number;
  /** Godwit keeps no \Recent (IMAP4rev2 dropped it): always 0. */
  recent: number;
  uidNext: number;
  uidValidity: number;
  unseen: number;
  highestModseq: number;
  /** RFC 8438 STATUS SIZE: octets of every message. */
  size: number;
}

/** Every folder and placeholder level, INBOX first, then by name. */
export async function listFolders(db: Reader, mailboxId: string): Promise<FolderInfo[]> {
  const { folders, placeholders } = await namesOf(db, mailboxId);
  const all = [...folders, ...placeholders];
  const parents = new Set(all.flatMap(parentsOf));
  const info = all.map((stored) => {
    const selectable = folders.has(stored);
    const use = selectable ? specialUse(stored) : undefined;
    const attributes = [parents.has(stored) ? '\\HasChildren' : '\\HasNoChildren'];
    if (!selectable) attributes.push('\\Noselect');
    if (use) attributes.push(use);
    return { name: displayName(stored), stored, attributes, specialUse: use, selectable };
  });
  return info.sort((a, b) => Number(isInbox(b.stored)) - Number(isInbox(a.stored)) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export const statusOf = (folder: FolderRow): FolderStatus => ({
  messages: Number(folder.messages),
  recent: 0,
  uidNext: Number(folder.uid_next),
  uidValidity: Number(folder.uid_validity),
  unseen: Number(folder.unseen),
  highestModseq: Number(folder.highest_modseq),
  size: Number(folder.bytes),
});

export async function folderStatus(db: Reader, mailboxId: string, name: string): Promise<FolderStatus> {
  return statusOf(await requireFolderByName(db, mailboxId, canonicalName(name)));
}

/** Makes the folder and any missing level above it; a trailing '/' (RFC 3501's hint of children to come) is dropped. */
export async function createFolder(context: ServiceContext, mailboxId: string, name: string): Promise<{ name: string; uidValidity: number }> {
  const stored = canonicalName(name.endsWith(DELIMITER) ? name.slice(0, -1) : name);
  try {
    return await writeTransaction(context.db, mailboxChange(mailboxId), async (trx) => {
      const { folders, placeholders } = await namesOf(trx, mailboxId);
      if (folders.has(stored)) throw new FolderExists(`The folder ${displayName(stored)} exists already.`);
      const now = context.clock.now();
      for (const parent of parentsOf(stored)) if (!folders.has(parent) && !placeholders.has(parent)) await insertFolder(trx, mailboxId, parent, now);
      const folder = await insertFolder(trx, mailboxId, stored, now);
      return { name: displayName(stored), uidValidity: Number(folder.uid_validity) };
    });
  } catch (error) {
    // On either engine the lock makes the loser see the winner's row; this covers a writer that took no lock.
    if (isUniqueViolation(error)) throw new FolderExists(`The folder ${displayName(stored)} exists already.`);
    throw error;
  }
}

/**
 * RFC 3501 DELETE: the folder's messages go; a folder with children stays as a \Noselect level
 * (a placeholder), and deleting a placeholder that still has children is refused.
 * WorkMail's folders cannot be deleted.
 */
export async function deleteFolder(context: ServiceContext, mailboxId: string, name: string): Promise<void> {
  const stored = canonicalName(name);
  if (isWellKnown(stored)) throw new FolderProtected(`${displayName(stored)} is one of WorkMail's folders and cannot be deleted.`);
  const blobIds = await writeTransaction(context.db, mailboxChange(mailboxId), async (trx) => {
    const { folders, placeholders } = await namesOf(trx, mailboxId);
    const hasChildren = [...folders, ...placeholders].some((other) => isInside(other, stored));
    if (!folders.has(stored)) {
      if (!placeholders.has(stored)) throw new FolderNotFound(`No folder ${displayName(stored)}.`);
      if (hasChildren) throw new FolderHasChildren(`${displayName(stored)} has children and no messages of its own: delete its children first.`);
      await trx.deleteFrom('mail_folder_placeholders').where('mailbox_id', '=', mailboxId).where('name', '=', stored).execute();
      return [];
    }
    const folder = (await folderByName(trx, mailboxId, stored))!;
    const ids = await dropFolder(trx, context, folder);
    if (hasChildren) await trx.insertInto('mail_folder_placeholders').values({ mailbox_id: mailboxId, name: stored }).execute();
    return ids;
  });
  await freeUnreferenced(context.db, context.blobs, blobIds);
}

const CHUNK = 500;

/** Removes a folder with its messages, keywords, search entries and journal; returns the bodies to free after the commit. */
async function dropFolder(trx: Tx, context: ServiceContext, folder: FolderRow): Promise<string[]> {
  const blobs = await trx.selectFrom('mail_messages').select('blob_id').distinct().where('folder_id', '=', folder.id).execute();
  const uids = (await trx.selectFrom('mail_messages').select('uid').where('folder_id', '=', folder.id).execute()).map((row) => Number(row.uid));
  for (let i = 0; i < uids.length; i += CHUNK) await context.search.forget(trx, folder.id, uids.slice(i, i + CHUNK));
  await trx.deleteFrom('mail_keywords').where('folder_id', '=', folder.id).execute();
  await trx.deleteFrom('mail_messages').where('folder_id', '=', folder.id).execute();
  await trx.deleteFrom('mail_changes').where('folder_id', '=', folder.id).execute();
  await trx.deleteFrom('mail_folders').where('id', '=', folder.id).execute();
  return blobs.map((row) => row.blob_id);
}

/**
 * RFC 3501 RENAME: the folder and every level inside it take the new name, keeping their
 * UIDVALIDITY and messages; missing levels above the new name are made. Renaming INBOX makes a
 * new folder, moves INBOX's messages into it and leaves INBOX empty (its children stay).
 * Subscriptions follow the rename. WorkMail's other folders cannot be renamed.
 */
export async function renameFolder(context: ServiceContext, mailboxId: string, from: string, to: string): Promise<void> {
  const source = canonicalName(from);
  const target = canonicalName(to);
  if (!isInbox(source) && isWellKnown(source)) throw new FolderProtected(`${displayName(source)} is one of WorkMail's folders and cannot be renamed.`);
  if (isInside(target, source)) throw new InvalidFolderName(`${displayName(source)} cannot be renamed inside itself.`);
  try {
    await writeTransaction(context.db, mailboxChange(mailboxId), async (trx) => {
      const { folders, placeholders } = await namesOf(trx, mailboxId);
      const exists = (name: string) => folders.has(name) || placeholders.has(name);
      if (exists(target)) throw new FolderExists(`The folder ${displayName(target)} exists already.`);
      if (!exists(source)) throw new FolderNotFound(`No folder ${displayName(source)}.`);
      const now = context.clock.now();
      for (const parent of parentsOf(target)) if (!exists(parent)) await insertFolder(trx, mailboxId, parent, now);
      if (isInbox(source)) {
        await renameInbox(trx, context, mailboxId, target);
        return;
      }
      const moving = [...folders, ...placeholders].filter((name) => name === source || isInside(name, source));
      const renamed = (name: string) => target + name.slice(source.length);
      for (const name of moving) if (exists(renamed(name))) throw new FolderExists(`The folder ${displayName(renamed(name))} exists already.`);
      for (const name of moving) {
        const table = folders.has(name) ? 'mail_folders' : 'mail_folder_placeholders';
        await trx.updateTable(table).set({ name: renamed(name) }).where('mailbox_id', '=', mailboxId).where('name', '=', name).execute();
        // A user subscribed to both names (subscriptions need no folder) keeps one row.
        await trx
          .deleteFrom('mail_subscriptions')
          .where('mailbox_id', '=', mailboxId)
          .where('name', '=', renamed(name))
          .where('user_id', 'in', (eb) => eb.selectFrom('mail_subscriptions as old').select('old.user_id').where('old.mailbox_id', '=', mailboxId).where('old.name', '=', name))
          .execute();
        await trx.updateTable('mail_subscriptions').set({ name: renamed(name) }).where('mailbox_id', '=', mailboxId).where('name', '=', name).execute();
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new FolderExists(`The folder ${displayName(target)} exists already.`);
    throw error;
  }
}

async function renameInbox(trx: Tx, context: ServiceContext, mailboxId: string, target: string): Promise<void> {
  const inbox = (await folderByName(trx, mailboxId, 'Inbox'))!;
  const folder = await insertFolder(trx, mailboxId, target, context.clock.now());
  const uids = (await trx.selectFrom('mail_messages').select('uid').where('folder_id', '=', inbox.id).orderBy('uid').execute()).map((row) => Number(row.uid));
  for (let i = 0; i < uids.length; i += CHUNK) await moveMessages(trx, mailboxId, inbox.id, folder.id, uids.slice(i, i + CHUNK));
}
