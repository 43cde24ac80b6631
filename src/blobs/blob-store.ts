// Message bodies on disk, content-addressed: a body's id is the sha256 of its bytes, so a message
// delivered to many recipients is stored once, and rewriting the same body is harmless.
//
// Durability order (docs/mail-store.md): write a temporary file in the blob's own folder, link it
// to its content path, then fsync the file and its folder together. Only then may the metadata
// transaction that references the blob commit; the caller holds the blob until it has, so that the orphan
// sweeper (sweeper.ts) does not remove a body whose reference is about to be committed.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { link, mkdir, open, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const ID = /^[0-9a-f]{64}$/;

/** A blob being written or filed: protected from the sweeper until released. */
export interface BlobHold {
  id: string;
  release(): void;
}

export interface StoredBlob {
  id: string;
  /** Last modification, ms since the epoch: the sweeper's grace period counts from it. */
  modifiedAt: number;
}

export class FileBlobStore {
  private readonly holds = new Map<string, number>();
  /** Per id, the tail of the writes and removals queued on it: they take turns. */
  private readonly turns = new Map<string, Promise<unknown>>();
  private readonly madeFolders = new Set<string>();
  /** Per folder, the fsync running now and the one that callers arriving now will share. */
  private readonly folderSyncs = new Map<string, { running: Promise<void> | undefined; next: Promise<void> | undefined }>();

  constructor(readonly root: string) {}

  /** Stores `body` durably and returns its id, held until the caller releases it. */
  put(body: Buffer): Promise<BlobHold> {
    const id = createHash('sha256').update(body).digest('hex');
    return this.inTurn(id, () => this.write(id, body));
  }

  private async write(id: string, body: Buffer): Promise<BlobHold> {
    const hold = this.hold(id);
    try {
      const folder = await this.folder(id);
      const path = join(folder, id);
      const temporary = join(folder, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
      const file = await open(temporary, 'wx', 0o600);
      let placed = false;
      try {
        await file.writeFile(body);
        // link, not rename: it never replaces a file that is there (a committed message's body, or
        // the same body another process is writing right now).
        if (await link(temporary, path).then(() => true, (error: NodeJS.ErrnoException) => (error.code === 'EEXIST' ? false : Promise.reject(error)))) {
          placed = true;
          // A new name: the bytes and the folder entry are made durable together, so that one
          // journal commit of the file system can carry both (docs/mail-store.md). Until they
          // return, the content path may name a file a crash would leave short; nothing references
          // it before then, and a later write of the same body finds it in adopt() below.
          await Promise.all([file.sync(), this.syncFolder(folder), unlink(temporary)]);
        } else if (await this.adopt(path, folder, body)) {
          await unlink(temporary);
        } else {
          // Different bytes under the name: a short file a crash left. Replaced only once ours is durable.
          await file.sync();
          await rename(temporary, path);
          placed = true;
          await this.syncFolder(folder);
        }
      } catch (error) {
        if (!placed) await unlink(temporary).catch(() => undefined);
        throw error;
      } finally {
        await file.close();
      }
      return hold;
    } catch (error) {
      hold.release();
      throw error;
    }
  }

  /**
   * A body already under its name is taken as it is only if it holds the same bytes (see write).
   * It is synced again, since another process may have linked it a moment ago and not synced it
   * yet, and gets a fresh modification time, which keeps it out of a sweep that began before this
   * hold. False when it must be written anew: different bytes, or a removal took it meanwhile.
   */
  private async adopt(path: string, folder: string, body: Buffer): Promise<boolean> {
    let file;
    try {
      file = await open(path, 'r+');
    } catch (error) {
      ignoreMissing(error);
      return false;
    }
    try {
      if (!body.equals(await file.readFile())) return false;
      const now = new Date();
      await file.utimes(now, now);
      await Promise.all([file.sync(), this.syncFolder(folder)]);
      return true;
    } finally {
      await file.close();
    }
  }

  /** The blob's folder, made the first time this process needs it (no sweep removes folders). */
  private async folder(id: string): Promise<string> {
    const folder = this.folderOf(id);
    if (!this.madeFolders.has(folder)) {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      this.madeFolders.add(folder);
    }
    return folder;
  }

  /**
   * fsync of a folder, shared: a caller whose rename came before a sync that has not started yet
   * joins it, so that concurrent writes into one folder pay one fsync. A sync already running may
   * have begun before the caller's rename, so the caller waits for the next one.
   */
  private syncFolder(folder: string): Promise<void> {
    let state = this.folderSyncs.get(folder);
    if (!state) this.folderSyncs.set(folder, (state = { running: undefined, next: undefined }));
    if (state.next) return state.next;
    const entry = state;
    // Started a microtask later, so that `entry.next` names it before it can begin.
    const next = Promise.resolve().then(async () => {
      while (entry.running) await entry.running.catch(() => undefined);
      entry.next = undefined;
      const running = syncFolder(folder);
      entry.running = running;
      try {
        await running;
      } finally {
        entry.running = undefined;
        if (!entry.next) this.folderSyncs.delete(folder);
      }
    });
    entry.next = next;
    return next;
  }

  /** Marks `id` as in flight; a held blob is never swept or freed. */
  hold(id: string): BlobHold {
    this.holds.set(id, (this.holds.get(id) ?? 0) + 1);
    let released = false;
    return {
      id,
      release: () => {
        if (released) return;
        released = true;
        const count = (this.holds.get(id) ?? 1) - 1;
        if (count > 0) this.holds.set(id, count);
        else this.holds.delete(id);
      },
    };
  }

  isHeld(id: string): boolean {
    return this.holds.has(id);
  }

  read(id: string): Promise<Buffer> {
    return readFile(this.pathOf(id));
  }

  stream(id: string): ReadStream {
    return createReadStream(this.pathOf(id));
  }

  /**
   * Removes a blob unless it is held or `referenced` says a message points at it; true when a file
   * was removed. In this process, both are asked in the blob's turn, after any write of it queued
   * earlier: a delivery holds its body from before writing it until its reference is committed.
   *
   * Another process (PostgreSQL) has holds of its own, which this one cannot see. So the file is
   * first renamed aside to a tombstone, and only then is `referenced` asked: a reference committed
   * before that answer brings the file back; one committed after it finds the file gone when
   * its delivery checks (`ensure`) and writes it again. A tombstone a crash left behind is settled
   * by `settleTombstones` the same way.
   */
  removeUnlessUsed(id: string, referenced: (id: string) => Promise<boolean>): Promise<boolean> {
    return this.inTurn(id, async () => {
      if (this.isHeld(id)) return false;
      const path = this.pathOf(id);
      const tombstone = join(this.folderOf(id), `.${id}.${randomBytes(6).toString('hex')}.dead`);
      try {
        await rename(path, tombstone);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
      let used: boolean;
      try {
        used = this.isHeld(id) || (await referenced(id));
      } catch (error) {
        await this.restore(tombstone, path);
        throw error;
      }
      if (used) {
        await this.restore(tombstone, path);
        return false;
      }
      await unlink(tombstone).catch(ignoreMissing);
      return true;
    });
  }

  /**
   * Called by a delivery after its reference committed: writes the body again if a removal in
   * another process took it away meanwhile (see removeUnlessUsed).
   */
  ensure(id: string, body: Buffer): Promise<void> {
    return this.inTurn(id, async () => {
      if (!(await this.exists(id))) (await this.write(id, body)).release();
    });
  }

  /** Tombstones left by a removal that did not finish: back in place if referenced, else removed. */
  async settleTombstones(referenced: (id: string) => Promise<boolean>): Promise<number> {
    let settled = 0;
    for (const shard of await readdir(this.root).catch(() => [] as string[])) {
      const folder = join(this.root, shard);
      for (const name of await readdir(folder).catch(() => [] as string[])) {
        const match = /^\.([0-9a-f]{64})\.[0-9a-f]+\.dead$/.exec(name);
        if (!match) continue;
        const id = match[1];
        await this.inTurn(id, async () => {
          const tombstone = join(folder, name);
          if (!(await stat(tombstone).catch(() => undefined))) return;
          if (await referenced(id)) await this.restore(tombstone, this.pathOf(id));
          else await unlink(tombstone).catch(ignoreMissing);
          settled++;
        });
      }
    }
    return settled;
  }

  // Same content under the same name, so replacing a copy written meanwhile changes nothing.
  private async restore(tombstone: string, path: string): Promise<void> {
    try {
      await rename(tombstone, path);
      await syncFolder(dirname(path));
    } catch (error) {
      ignoreMissing(error);
    }
  }

  private inTurn<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.turns.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.turns.set(id, tail);
    void tail.then(() => {
      if (this.turns.get(id) === tail) this.turns.delete(id);
    });
    return next;
  }

  async exists(id: string): Promise<boolean> {
    return stat(this.pathOf(id)).then(
      () => true,
      () => false,
    );
  }

  /** Every stored blob; temporary files left by a crash are removed on the way once older than `staleBefore`. */
  async *list(staleBefore: number): AsyncGenerator<StoredBlob> {
    const shards = await readdir(this.root).catch(() => [] as string[]);
    for (const shard of shards) {
      const folder = join(this.root, shard);
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names) {
        const path = join(folder, name);
        const info = await stat(path).catch(() => undefined);
        if (!info) continue;
        if (name.endsWith('.dead')) continue;
        if (name.endsWith('.tmp')) {
          if (info.mtimeMs < staleBefore) await rm(path, { force: true });
          continue;
        }
        if (ID.test(name)) yield { id: name, modifiedAt: info.mtimeMs };
      }
    }
  }

  private folderOf(id: string): string {
    return join(this.root, id.slice(0, 2));
  }

  private pathOf(id: string): string {
    if (!ID.test(id)) throw new Error(`not a blob id: ${id}`);
    return join(this.folderOf(id), id);
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException)?.code !== 'ENOENT') throw error;
}

/** A rename is durable only once its folder's entry is on disk. */
async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
