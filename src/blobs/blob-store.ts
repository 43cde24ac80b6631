// Message bodies on disk, content-addressed: a body's id is the sha256 of its bytes, so a message
// delivered to many recipients is stored once, and rewriting the same body is harmless.
//
// Durability order (docs/mail-store.md): write a temporary file in the blob's own folder, fsync
// it, rename it to its content path, fsync the folder. Only then may the metadata transaction
// that references the blob commit; the caller holds the blob until it has, so that the orphan
// sweeper (sweeper.ts) does not remove a body whose reference is about to be committed.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';

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

  constructor(readonly root: string) {}

  /** Stores `body` durably and returns its id, held until the caller releases it. */
  put(body: Buffer): Promise<BlobHold> {
    const id = createHash('sha256').update(body).digest('hex');
    return this.inTurn(id, () => this.write(id, body));
  }

  private async write(id: string, body: Buffer): Promise<BlobHold> {
    const hold = this.hold(id);
    try {
      const folder = this.folderOf(id);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const path = join(folder, id);
      const existing = await stat(path).catch(() => undefined);
      if (existing?.size === body.length) {
        // Already durable; a fresh mtime keeps it out of a sweep that began before this hold.
        const now = new Date();
        await utimes(path, now, now);
        return hold;
      }
      const temporary = join(folder, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
      const file = await open(temporary, 'wx', 0o600);
      try {
        await file.writeFile(body);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path).catch(async (error: unknown) => {
        await unlink(temporary).catch(() => undefined);
        throw error;
      });
      await syncFolder(folder);
      return hold;
    } catch (error) {
      hold.release();
      throw error;
    }
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
   * was removed. Both are asked in the blob's turn, after any write of it queued earlier: a
   * delivery holds its body before writing it and releases it only after its reference is
   * committed, so a body is either held here or its reference is visible to `referenced`.
   */
  removeUnlessUsed(id: string, referenced: (id: string) => Promise<boolean>): Promise<boolean> {
    return this.inTurn(id, async () => {
      if (this.isHeld(id) || (await referenced(id))) return false;
      try {
        await unlink(this.pathOf(id));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    });
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

/** A rename is durable only once its folder's entry is on disk. */
async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
