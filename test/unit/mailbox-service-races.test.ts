// The mailbox service's invariants under concurrency, on both engines (on PostgreSQL the
// mailbox's row lock makes writers take turns; on SQLite one connection serialises
// transactions while their awaits interleave): appends, copies, moves and deliveries into one
// folder get distinct, gap-free UIDs; of concurrent STOREs with the same UNCHANGEDSINCE exactly one wins; concurrent
// expunges and stores keep the counters exact; one of concurrent CREATEs of a name wins; an
// APPEND racing a RENAME of its folder lands in the renamed folder or is refused, never lost.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMailStore } from '../../src/mail/store/consistency.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { message } from './mail-fixture.ts';
import { ALL, serviceFixture, type ServiceFixture } from './mailbox-service-fixture.ts';

const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`mailbox service: races (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let s: ServiceFixture;
    before(async () => {
      s = await serviceFixture(engine);
    });
    after(async () => {
      await s?.close();
    });
    const consistent = async () => assert.deepEqual(await checkMailStore(s.f.store.db, s.f.mail.blobs), []);

    test('appends, copies, moves and deliveries at once into one folder: UIDs 1..N without a gap', async () => {
      const { id, mail } = await s.user('uids');
      await s.deliver(id, 10);
      const { handle } = await mail.open(id, 'INBOX');
      const results = await Promise.all([
        ...range(20).map((i) => mail.append(id, 'Drafts', message(5000 + i)).then((r) => [r.uid])),
        ...range(5).map((uid) => mail.copy(handle, [[uid, uid]], id, 'Drafts').then((r) => r.mapping.map(([, to]) => to))),
        ...range(5, 6).map((uid) => mail.move(handle, [[uid, uid]], id, 'Drafts').then((r) => r.mapping.map(([, to]) => to))),
        ...range(10).map((i) => s.f.mail.delivery.deliver({ raw: message(6000 + i), receivedAt: new Date() }, [{ mailboxId: id, folder: 'Drafts' }]).then((r) => [r[0].uid])),
      ]);
      const uids = results.flat().sort((a, b) => a - b);
      assert.deepEqual(uids, range(40));
      const status = await mail.status(id, 'Drafts');
      assert.equal(status.messages, 40);
      assert.equal(status.uidNext, 41);
      assert.deepEqual((await mail.open(id, 'Drafts')).messages.map((m) => m.uid), range(40));
      assert.equal((await mail.status(id, 'INBOX')).messages, 5);
      await consistent();
    });

    test('10 STOREs with the same UNCHANGEDSINCE on one message: exactly one wins', async () => {
      const { id, mail } = await s.user('condstore');
      await s.deliver(id, 1);
      const { handle, messages } = await mail.open(id, 'INBOX');
      const since = messages[0].modseq;
      const results = await Promise.all(range(10).map((i) => mail.storeFlags(handle, { uids: [[1, 1]], operation: 'add', flags: [`k${i}`], unchangedSince: since })));
      assert.equal(results.filter((r) => r.updated.length === 1).length, 1);
      assert.equal(results.filter((r) => r.failed.length === 1).length, 9);
      const [after] = await mail.fetch(handle, [[1, 1]]);
      assert.equal(after.flags.length, 1);
      await consistent();
    });

    test('concurrent EXPUNGE, UID EXPUNGE and STORE on one folder keep the counters exact', async () => {
      const { id, mail } = await s.user('expunge');
      await s.deliver(id, 60);
      const { handle } = await mail.open(id, 'INBOX');
      await mail.storeFlags(handle, { uids: [[1, 30]], operation: 'add', flags: ['\\Deleted'] });
      const work: Array<Promise<unknown>> = [];
      for (let i = 0; i < 10; i++) {
        work.push(mail.expunge(handle));
        work.push(mail.expunge(handle, [[i * 6 + 1, i * 6 + 6]]));
        work.push(mail.storeFlags(handle, { uids: ALL, operation: i % 2 ? 'add' : 'remove', flags: ['\\Seen'] }));
        work.push(mail.storeFlags(handle, { uids: [[31 + i * 3, 33 + i * 3]], operation: 'add', flags: ['\\Deleted', 'Gone'] }));
      }
      const outcomes = await Promise.allSettled(work);
      assert.deepEqual(outcomes.filter((o) => o.status === 'rejected'), []);
      await mail.expunge(handle);
      const status = await mail.status(id, 'INBOX');
      assert.equal(status.messages, 0);
      assert.equal(status.unseen, 0);
      assert.equal(status.size, 0);
      const changes = await mail.changesSince(handle, 0);
      assert.deepEqual(changes.expunged, range(60));
      await consistent();
    });

    test('10 CREATEs of one name at once: one wins, the others are told it exists', async () => {
      const { id, mail } = await s.user('create');
      const outcomes = await Promise.allSettled(range(10).map(() => mail.createFolder(id, 'Same/Name')));
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') assert.equal((outcome.reason as { code: string }).code, 'FolderExists');
      assert.equal((await mail.listFolders(id)).filter((folder) => folder.name === 'Same/Name' || folder.name === 'Same').length, 2);
    });

    test('APPENDs racing a RENAME of their folder: each lands in the renamed folder or is refused', async () => {
      const { id, mail } = await s.user('rename');
      await mail.createFolder(id, 'Before');
      // Staggered so that the rename falls among them: some commit before it, some after.
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const appends = range(20).map((i) => pause(i * 3).then(() => mail.append(id, 'Before', message(7000 + i))));
      const rename = (async () => {
        await appends[7].catch(() => undefined);
        await mail.renameFolder(id, 'Before', 'After');
      })();
      const outcomes = await Promise.allSettled(appends);
      await rename;
      const landed = outcomes.filter((o) => o.status === 'fulfilled').length;
      console.log(`${engine}: ${landed} of 20 appends landed before the rename, ${20 - landed} were refused`);
      for (const outcome of outcomes) if (outcome.status === 'rejected') assert.equal((outcome.reason as { code: string }).code, 'FolderNotFound');
      const after = await mail.status(id, 'After');
      assert.equal(after.messages, landed);
      assert.equal(after.uidNext, landed + 1);
      await assert.rejects(mail.status(id, 'Before'), { code: 'FolderNotFound' });
      await consistent();
    });

    test('copies into a folder racing its deletion: every copy lands before it or is refused', async () => {
      const { id, mail } = await s.user('deletecopy');
      await s.deliver(id, 5);
      await mail.createFolder(id, 'Doomed');
      const { handle } = await mail.open(id, 'INBOX');
      const copies = range(5).map((uid) => mail.copy(handle, [[uid, uid]], id, 'Doomed'));
      const deletion = mail.deleteFolder(id, 'Doomed');
      const outcomes = await Promise.allSettled(copies);
      await deletion;
      for (const outcome of outcomes) if (outcome.status === 'rejected') assert.equal((outcome.reason as { code: string }).code, 'FolderNotFound');
      assert.equal((await mail.status(id, 'INBOX')).messages, 5);
      await consistent();
    });
  });
}
