// The blob store alone: content addressing, durable write order leaving no temporary files,
// and removals racing deliveries of the same body, in one process (writes and removals take
// turns) and across two (tombstones, and the delivery's check after its commit), never leaving a
// committed delivery pointing at a missing file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileBlobStore } from '../../src/blobs/blob-store.ts';

function withStore(fn: (blobs: FileBlobStore, root: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = mkdtempSync(join(tmpdir(), 'godwit-blobs-'));
    try {
      await fn(new FileBlobStore(join(root, 'blobs')), join(root, 'blobs'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

test(
  'a body is stored once under its sha256, read back whole, with no temporary file left',
  withStore(async (blobs, root) => {
    const body = Buffer.from('Subject: hi\r\n\r\nbody\r\n');
    const [a, b] = await Promise.all([blobs.put(body), blobs.put(body)]);
    assert.equal(a.id, createHash('sha256').update(body).digest('hex'));
    assert.equal(a.id, b.id);
    assert.deepEqual(await blobs.read(a.id), body);
    const chunks: Buffer[] = [];
    for await (const chunk of blobs.stream(a.id)) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), body);
    assert.deepEqual(readdirSync(join(root, a.id.slice(0, 2))), [a.id]);
    a.release();
    b.release();
  }),
);

test(
  'a removal queued behind a write finds the blob held and keeps it; once released it may go',
  withStore(async (blobs) => {
    const body = Buffer.from('racing body');
    const putting = blobs.put(body);
    const id = createHash('sha256').update(body).digest('hex');
    const removing = blobs.removeUnlessUsed(id, async () => false);
    const hold = await putting;
    assert.equal(await removing, false);
    assert.equal(await blobs.exists(id), true);
    hold.release();
    assert.equal(await blobs.removeUnlessUsed(id, async () => true), false, 'a referenced blob stays');
    assert.equal(await blobs.removeUnlessUsed(id, async () => false), true);
    assert.equal(await blobs.exists(id), false);
  }),
);

test(
  'a write queued behind a removal writes the body again',
  withStore(async (blobs) => {
    const body = Buffer.from('written twice');
    (await blobs.put(body)).release();
    const id = createHash('sha256').update(body).digest('hex');
    const removing = blobs.removeUnlessUsed(id, async () => false);
    const putting = blobs.put(body);
    assert.equal(await removing, true);
    const hold = await putting;
    assert.deepEqual(await blobs.read(id), body);
    hold.release();
  }),
);

test(
  'two processes on one blob folder: a removal by one while the other delivers the same body; the delivery writes it again after its commit',
  withStore(async (delivering, root) => {
    // Each FileBlobStore has its own holds and turns, as two processes do.
    const removing = new FileBlobStore(root);
    const body = Buffer.from('shared between processes');
    (await delivering.put(body)).release();
    const id = createHash('sha256').update(body).digest('hex');
    const hold = await delivering.put(body);
    // Not committed yet: the other process sees no reference and no hold of its own.
    assert.equal(await removing.removeUnlessUsed(id, async () => false), true);
    assert.equal(await delivering.exists(id), false);
    await delivering.ensure(id, body);
    hold.release();
    assert.deepEqual(await delivering.read(id), body);
  }),
);

test(
  'a reference committed while a removal had the file aside brings it back; tombstones a crash left are settled',
  withStore(async (blobs, root) => {
    const body = Buffer.from('nearly removed');
    (await blobs.put(body)).release();
    const id = createHash('sha256').update(body).digest('hex');
    assert.equal(await blobs.removeUnlessUsed(id, async () => true), false);
    assert.deepEqual(await blobs.read(id), body);
    assert.deepEqual(readdirSync(join(root, id.slice(0, 2))), [id]);

    // As if a removal died between its rename and its answer: one referenced, one not.
    const other = Buffer.from('orphan in a tombstone');
    (await blobs.put(other)).release();
    const otherId = createHash('sha256').update(other).digest('hex');
    renameSync(join(root, id.slice(0, 2), id), join(root, id.slice(0, 2), `.${id}.abc123.dead`));
    renameSync(join(root, otherId.slice(0, 2), otherId), join(root, otherId.slice(0, 2), `.${otherId}.def456.dead`));
    assert.equal(await blobs.settleTombstones(async (one) => one === id), 2);
    assert.deepEqual(await blobs.read(id), body);
    assert.equal(await blobs.exists(otherId), false);
    assert.deepEqual(readdirSync(join(root, otherId.slice(0, 2))).filter((name) => name.includes(otherId)), []);
  }),
);

test(
  'a short or zeroed file a crash left under a body id is replaced by the next write of that body; an intact one is kept',
  withStore(async (blobs, root) => {
    const body = Buffer.from('Subject: crash leftover\r\n\r\nthe whole body\r\n');
    const id = createHash('sha256').update(body).digest('hex');
    const folder = join(root, id.slice(0, 2));
    mkdirSync(folder, { recursive: true });
    // A new body is linked under its name before its fsync: a crash there can leave this.
    writeFileSync(join(folder, id), Buffer.alloc(body.length));
    (await blobs.put(body)).release();
    assert.deepEqual(await blobs.read(id), body);
    writeFileSync(join(folder, id), body.subarray(0, 5));
    (await blobs.put(body)).release();
    assert.deepEqual(await blobs.read(id), body);
    const inode = statSync(join(folder, id)).ino;
    (await blobs.put(body)).release();
    assert.equal(statSync(join(folder, id)).ino, inode, 'an intact body is kept, not rewritten');
    assert.deepEqual(readdirSync(folder), [id], 'no temporary file left');
  }),
);
