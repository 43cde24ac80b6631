// The mailbox store on both engines: concurrent deliveries get distinct, gap-free UIDs and
// MODSEQs with exact counters; group commit folds concurrent deliveries into few transactions and
// resolves each only after its commit; quota refusals are all or nothing; a body shared by many
// recipients is stored once; search finds a word of the body.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileBlobStore } from '../../src/blobs/blob-store.ts';
import { checkMailStore } from '../../src/mail/store/consistency.ts';
import { MailStore } from '../../src/mail/store/mail-store.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { mailFixture, message, type MailFixture } from './mail-fixture.ts';

const receivedAt = new Date('2026-06-01T12:00:00Z');

function blobFiles(dataDir: string): string[] {
  const root = join(dataDir, 'blobs');
  let out: string[] = [];
  try {
    for (const shard of readdirSync(root)) out = out.concat(readdirSync(join(root, shard)).filter((name) => !name.endsWith('.tmp')));
  } catch {
    return [];
  }
  return out;
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`mail store (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let f: MailFixture;
    before(async () => {
      f = await mailFixture(engine);
    });
    after(async () => {
      await f?.close();
    });

    test('50 concurrent deliveries to one mailbox: distinct, gap-free UIDs and MODSEQs, exact counters', async () => {
      const bob = await f.user('bob');
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => f.mail.delivery.deliver({ raw: message(i), receivedAt }, [{ mailboxId: bob, folder: 'Inbox' }])));
      const uids = results.map((r) => r[0].uid).sort((a, b) => a - b);
      const modseqs = results.map((r) => r[0].modseq).sort((a, b) => a - b);
      assert.deepEqual(uids, Array.from({ length: 50 }, (_, i) => i + 1));
      assert.deepEqual(modseqs, Array.from({ length: 50 }, (_, i) => i + 1));
      const inbox = await f.store.db.selectFrom('mail_folders').selectAll().where('mailbox_id', '=', bob).where('name', '=', 'Inbox').executeTakeFirstOrThrow();
      const bytes = Array.from({ length: 50 }, (_, i) => message(i).length).reduce((a, b) => a + b, 0);
      assert.equal(Number(inbox.messages), 50);
      assert.equal(Number(inbox.unseen), 50);
      assert.equal(Number(inbox.bytes), bytes);
      assert.equal(Number(inbox.uid_next), 51);
      assert.equal(Number(inbox.highest_modseq), 50);
      assert.deepEqual(await f.mail.delivery.usage(bob), { bytes, quotaBytes: 100 * 1024 * 1024 });
      assert.deepEqual(await checkMailStore(f.store.db, f.mail.blobs), []);
    });

    test('group commit folds concurrent deliveries into few transactions; each resolves after its commit', async () => {
      const carol = await f.user('carol');
      const batches: number[] = [];
      const stop = f.mail.delivery.queue.observe((size) => batches.push(size));
      const heard: number[] = [];
      const unsubscribe = f.store.changes.subscribe((change) => {
        if (change.kind === 'mailbox' && change.mailboxId === carol) heard.push(change.modseq);
      });
      try {
        const results = await Promise.all(
          Array.from({ length: 40 }, async (_, i) => {
            const [delivered] = await f.mail.delivery.deliver({ raw: message(1000 + i), receivedAt }, [{ mailboxId: carol, folder: 'Inbox' }]);
            // Resolved: the row is committed and visible to any reader.
            const row = await f.store.db.selectFrom('mail_messages').select('uid').where('mailbox_id', '=', carol).where('uid', '=', delivered.uid).executeTakeFirst();
            assert.ok(row, `UID ${delivered.uid} is visible once its promise resolved`);
            return delivered;
          }),
        );
        assert.equal(results.length, 40);
        assert.equal(batches.reduce((a, b) => a + b, 0), 40);
        assert.ok(batches.length < 40 / 2, `40 deliveries took ${batches.length} transactions: ${batches.join(',')}`);
        assert.ok(Math.max(...batches) > 1);
        // One announcement per transaction, carrying its highest MODSEQ.
        assert.equal(heard.length, batches.length);
        assert.equal(Math.max(...heard), 40);
      } finally {
        stop();
        unsubscribe();
      }
    });

    test('batches across mailboxes and folders: UIDs gap-free per folder, MODSEQs gap-free per mailbox', async () => {
      const [hana, ivan] = await Promise.all(['hana', 'ivan'].map((name) => f.user(name)));
      const folders = ['Inbox', 'Junk E-mail', 'Sent Items'] as const;
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          f.mail.delivery.deliver({ raw: message(8000 + i), receivedAt }, [
            { mailboxId: hana, folder: folders[i % 3] },
            { mailboxId: ivan, folder: folders[(i + 1) % 3], flags: i % 2 ? ['\\Seen'] : [] },
          ]),
        ),
      );
      const all = results.flat();
      for (const mailboxId of [hana, ivan]) {
        const mine = all.filter((d) => d.mailboxId === mailboxId);
        assert.deepEqual(mine.map((d) => d.modseq).sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1));
        for (const folder of folders) {
          const uids = mine.filter((d) => d.folder === folder).map((d) => d.uid).sort((a, b) => a - b);
          assert.deepEqual(uids, Array.from({ length: 10 }, (_, i) => i + 1), `${folder} of ${mailboxId}`);
        }
      }
      assert.deepEqual(await checkMailStore(f.store.db, f.mail.blobs), []);
    });

    test('a body delivered to many recipients is stored once', async () => {
      const before = blobFiles(f.dataDir).length;
      const users = await Promise.all(['dan', 'erin', 'frank', 'gina'].map((name) => f.user(name)));
      const delivered = await f.mail.delivery.deliver(
        { raw: message(2000), receivedAt },
        users.map((mailboxId) => ({ mailboxId, folder: 'Inbox' as const })),
      );
      assert.equal(delivered.length, 4);
      assert.equal(blobFiles(f.dataDir).length, before + 1);
      const rows = await f.store.db.selectFrom('mail_messages').select('blob_id').where('mailbox_id', 'in', users).execute();
      assert.equal(rows.length, 4);
      assert.equal(new Set(rows.map((r) => r.blob_id)).size, 1);
    });

    test('quota: a delivery that would take one target over is refused whole, and leaves no blob after the sweeper', async () => {
      const roomy = await f.user('roomy');
      const tight = await f.user('tight', { quotaMb: 1 });
      await f.mail.delivery.deliver({ raw: Buffer.alloc(600 * 1024, 'a'), receivedAt }, [{ mailboxId: tight, folder: 'Inbox' }]);
      const blobsBefore = blobFiles(f.dataDir).sort();
      const big = Buffer.concat([message(3000), Buffer.alloc(500 * 1024, 'b')]);
      await assert.rejects(
        f.mail.delivery.deliver({ raw: big, receivedAt }, [
          { mailboxId: roomy, folder: 'Inbox' },
          { mailboxId: tight, folder: 'Inbox' },
        ]),
        (error: Error & { kind?: string; code?: string }) => error.kind === 'limit' && error.code === 'QuotaExceeded',
      );
      const filed = await f.store.db.selectFrom('mail_messages').select('uid').where('mailbox_id', '=', roomy).execute();
      assert.equal(filed.length, 0);
      await f.mail.sweepOrphans(0);
      assert.deepEqual(blobFiles(f.dataDir).sort(), blobsBefore);
      assert.deepEqual(await checkMailStore(f.store.db, f.mail.blobs), []);
    });

    test('quota is checked again under the lock: concurrent deliveries cannot together exceed it', async () => {
      const small = await f.user('small', { quotaMb: 1 });
      const blobsBefore = blobFiles(f.dataDir).length;
      const piece = 300 * 1024;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => f.mail.delivery.deliver({ raw: Buffer.concat([message(4000 + i), Buffer.alloc(piece, 'c')]), receivedAt }, [{ mailboxId: small, folder: 'Inbox' }])),
      );
      const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
      assert.equal(ok, 3);
      for (const o of outcomes) if (o.status === 'rejected') assert.equal((o.reason as { code: string }).code, 'QuotaExceeded');
      const { bytes, quotaBytes } = await f.mail.delivery.usage(small);
      assert.ok(bytes <= quotaBytes);
      // The refused three had written their bodies before the lock refused them: orphans, swept.
      assert.equal(blobFiles(f.dataDir).length, blobsBefore + 6);
      const swept = await f.mail.sweepOrphans(0);
      assert.equal(swept.removed.length, 3);
      assert.equal(blobFiles(f.dataDir).length, blobsBefore + 3);
      assert.deepEqual(await checkMailStore(f.store.db, f.mail.blobs), []);
    });

    test('a blob store that cannot write refuses the delivery as unavailable, and nothing is filed', async () => {
      const jo = await f.user('jo');
      const blocked = join(f.dataDir, 'not-a-folder');
      writeFileSync(blocked, 'a file where the blob folder should be');
      const store = new MailStore({ store: f.store, blobs: new FileBlobStore(join(blocked, 'blobs')), clock: f.clock, defaultQuotaMb: 100 });
      await assert.rejects(store.deliver({ raw: message(9000), receivedAt }, [{ mailboxId: jo, folder: 'Inbox' }]), (error: Error & { kind?: string; code?: string }) => error.kind === 'unavailable' && error.code === 'StoreUnavailable');
      assert.equal((await f.store.db.selectFrom('mail_messages').select('uid').where('mailbox_id', '=', jo).execute()).length, 0);
    });

    test('an unknown or unregistered mailbox is refused as notFound', async () => {
      const never = await f.user('never', { state: 'DISABLED' });
      for (const mailboxId of [never, 'no-such-entity']) {
        await assert.rejects(f.mail.delivery.deliver({ raw: message(5000), receivedAt }, [{ mailboxId, folder: 'Inbox' }]), (error: Error & { kind?: string }) => error.kind === 'notFound');
      }
    });

    test('flags at delivery: Sent Items with \\Seen counts nothing unseen; keywords are kept', async () => {
      const sender = await f.user('sender');
      const [d] = await f.mail.delivery.deliver({ raw: message(6000), receivedAt }, [{ mailboxId: sender, folder: 'Sent Items', flags: ['\\Seen', '$Forwarded'] }]);
      const folder = await f.store.db.selectFrom('mail_folders').selectAll().where('mailbox_id', '=', sender).where('name', '=', 'Sent Items').executeTakeFirstOrThrow();
      assert.equal(Number(folder.unseen), 0);
      assert.equal(Number(folder.messages), 1);
      const keywords = await f.store.db.selectFrom('mail_keywords').select('keyword').where('folder_id', '=', folder.id).where('uid', '=', d.uid).execute();
      assert.deepEqual(keywords.map((k) => k.keyword), ['$Forwarded']);
    });

    test('search finds a word of the body, the subject and a sender, and not another mailbox\'s mail', async () => {
      const reader = await f.user('reader');
      const other = await f.user('other');
      await f.mail.delivery.deliver({ raw: message(7000, 'The quarterly figures mention a zeppelin.'), receivedAt }, [{ mailboxId: reader, folder: 'Inbox' }]);
      await f.mail.delivery.deliver({ raw: message(7001, 'Nothing to see.'), receivedAt }, [{ mailboxId: other, folder: 'Inbox' }]);
      const hits = await f.mail.delivery.search.find(f.store.db, reader, 'zeppelin');
      assert.equal(hits.length, 1);
      assert.equal((await f.mail.delivery.search.find(f.store.db, other, 'zeppelin')).length, 0);
      assert.equal((await f.mail.delivery.search.find(f.store.db, reader, 'alice')).length, 1);
      assert.equal((await f.mail.delivery.search.find(f.store.db, reader, 'Test 7000')).length, 1);
    });
  });
}
