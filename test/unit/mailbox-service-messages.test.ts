// The mailbox service's message operations on both engines, on mail delivered by the real
// MailStore: open, STORE with keywords and UNCHANGEDSINCE, changes since a MODSEQ and VANISHED,
// EXPUNGE and UID EXPUNGE, COPY and MOVE with their UID mappings, APPEND into a user folder,
// FETCH metadata and bodies, quota refusals; checkMailStore after each.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMailStore } from '../../src/mail/store/consistency.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { message } from './mail-fixture.ts';
import { ALL, serviceFixture, type ServiceFixture } from './mailbox-service-fixture.ts';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`mailbox service: messages (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let s: ServiceFixture;
    before(async () => {
      s = await serviceFixture(engine);
    });
    after(async () => {
      await s?.close();
    });
    const consistent = async () => assert.deepEqual(await checkMailStore(s.f.store.db, s.f.mail.blobs), []);

    test('open, STORE (+, -, replace, keywords), UNCHANGEDSINCE, and changes since a MODSEQ', async () => {
      const { id, mail } = await s.user('flags');
      await s.deliver(id, 3);
      const opened = await mail.open(id, 'inbox');
      assert.equal(opened.name, 'INBOX');
      assert.deepEqual(opened.messages, [1, 2, 3].map((uid) => ({ uid, flags: [], modseq: uid })));
      assert.equal(opened.uidNext, 4);
      assert.equal(opened.highestModseq, 3);
      const stored = await mail.storeFlags(opened.handle, { uids: [[1, 2]], operation: 'add', flags: ['\\Seen', '$Forwarded'] });
      assert.deepEqual(stored.updated, [
        { uid: 1, flags: ['\\Seen', '$Forwarded'], modseq: 4 },
        { uid: 2, flags: ['\\Seen', '$Forwarded'], modseq: 5 },
      ]);
      assert.equal((await mail.status(id, 'INBOX')).unseen, 1);
      const again = await mail.storeFlags(opened.handle, { uids: [[1, 1]], operation: 'add', flags: ['\\Seen'] });
      assert.deepEqual(again, { updated: [], unchanged: [{ uid: 1, flags: ['\\Seen', '$Forwarded'], modseq: 4 }], failed: [] });
      const conditional = await mail.storeFlags(opened.handle, { uids: [[1, 3]], operation: 'replace', flags: ['\\Flagged'], unchangedSince: 3 });
      assert.deepEqual(conditional.failed, [1, 2]);
      assert.deepEqual(conditional.updated, [{ uid: 3, flags: ['\\Flagged'], modseq: 6 }]);
      await mail.storeFlags(opened.handle, { uids: [[2, 2]], operation: 'remove', flags: ['\\Seen', '$Forwarded'] });
      const changes = await mail.changesSince(opened.handle, 3);
      assert.deepEqual(
        changes.changed.map((m) => [m.uid, m.flags]),
        [
          [1, ['\\Seen', '$Forwarded']],
          [2, []],
          [3, ['\\Flagged']],
        ],
      );
      assert.equal(changes.highestModseq, 7);
      assert.equal((await mail.status(id, 'INBOX')).unseen, 2);
      const reopened = await mail.open(id, 'INBOX');
      assert.deepEqual(reopened.flags.slice(5), ['$Forwarded']);
      assert.ok(reopened.permanentFlags.includes('\\*'));
      await assert.rejects(mail.storeFlags(opened.handle, { uids: [[1, 1]], operation: 'add', flags: ['\\Bogus'] }), { code: 'InvalidFlag' });
      await assert.rejects(mail.storeFlags(opened.handle, { uids: [[1, 1]], operation: 'add', flags: ['bad word'] }), { code: 'InvalidFlag' });
      await consistent();
    });

    test('EXPUNGE all \\Deleted, UID EXPUNGE a set; VANISHED (EARLIER) from the journal', async () => {
      const { id, mail } = await s.user('expunge');
      await s.deliver(id, 5);
      const { handle, highestModseq } = await mail.open(id, 'INBOX');
      await mail.storeFlags(handle, { uids: [[1, 4]], operation: 'add', flags: ['\\Deleted'] });
      assert.deepEqual(await mail.expunge(handle, [[3, 5]]), [3, 4]);
      assert.deepEqual(await mail.expunge(handle), [1, 2]);
      assert.deepEqual(await mail.expunge(handle), []);
      assert.deepEqual((await mail.open(id, 'INBOX')).messages.map((m) => m.uid), [5]);
      const changes = await mail.changesSince(handle, highestModseq);
      assert.deepEqual(changes.expunged, [1, 2, 3, 4]);
      assert.equal(changes.messages, 1);
      assert.deepEqual(await mail.vanishedSince(handle, highestModseq, [[2, 3]]), [2, 3]);
      assert.deepEqual(await mail.vanishedSince(handle, changes.highestModseq), []);
      await consistent();
    });

    test('COPY and MOVE return the UID mappings; bodies are shared, not written again', async () => {
      const { id, mail } = await s.user('copy');
      await s.deliver(id, 4);
      await mail.createFolder(id, 'Keep');
      const { handle } = await mail.open(id, 'INBOX');
      await mail.storeFlags(handle, { uids: [[2, 2]], operation: 'add', flags: ['\\Seen', 'Work'] });
      const copied = await mail.copy(handle, [[2, 3]], id, 'Keep');
      assert.deepEqual(copied.mapping, [
        [2, 1],
        [3, 2],
      ]);
      assert.equal(copied.uidValidity, (await mail.status(id, 'Keep')).uidValidity);
      const keep = await mail.open(id, 'Keep');
      assert.deepEqual(keep.messages.map((m) => [m.uid, m.flags]), [
        [1, ['\\Seen', 'Work']],
        [2, []],
      ]);
      const moved = await mail.move(handle, [[1, 1], [3, 4]], id, 'Keep');
      assert.deepEqual(moved.mapping, [
        [1, 3],
        [3, 4],
        [4, 5],
      ]);
      assert.deepEqual(moved.expunged, [1, 3, 4]);
      assert.deepEqual((await mail.open(id, 'INBOX')).messages.map((m) => m.uid), [2]);
      const fetched = await mail.fetch(keep.handle, [[1, 5]], { envelope: true, bodyStructure: true });
      assert.deepEqual(fetched.map((m) => m.uid), [1, 2, 3, 4, 5]);
      assert.match(fetched[0].envelope?.subject ?? '', /^Test \d+$/);
      assert.equal(fetched[0].bodyStructure?.type, 'text');
      const originals = await mail.fetch(handle, [[2, 2]]);
      assert.equal(fetched[0].blobId, originals[0].blobId);
      assert.equal((await mail.readBody(keep.handle, 1)).toString(), (await mail.readBody(handle, 2)).toString());
      await assert.rejects(mail.copy(handle, ALL, id, 'Nowhere'), { code: 'FolderNotFound' });
      await consistent();
      // Expunging the originals keeps the bodies the copies share.
      await mail.storeFlags(keep.handle, { uids: ALL, operation: 'add', flags: ['\\Deleted'] });
      await mail.expunge(keep.handle, [[1, 1]]);
      await consistent();
    });

    test('APPEND into a user folder with flags and internal date, APPENDUID; search finds it', async () => {
      const { id, mail } = await s.user('append');
      await mail.createFolder(id, 'Archive/2025');
      const date = new Date('2025-03-04T05:06:07Z');
      const appended = await mail.append(id, 'Archive/2025', message(77, 'zanzibar quokka'), { flags: ['\\Seen', '\\Recent', 'Done'], internalDate: date });
      assert.deepEqual(appended, { uidValidity: (await mail.status(id, 'Archive/2025')).uidValidity, uid: 1, modseq: 1 });
      const { handle } = await mail.open(id, 'Archive/2025');
      const [fetched] = await mail.fetch(handle, [[1, 1]], { envelope: true });
      assert.deepEqual(fetched.flags, ['\\Seen', 'Done']);
      assert.equal(fetched.internalDate.getTime(), date.getTime());
      assert.equal(fetched.size, message(77, 'zanzibar quokka').length);
      assert.equal(fetched.envelope?.subject, 'Test 77');
      assert.deepEqual((await mail.readBody(handle, 1)).toString(), message(77, 'zanzibar quokka').toString());
      const found = await s.f.mail.delivery.search.find(s.f.store.db, id, 'quokka');
      assert.deepEqual(found, [{ folderId: handle.folderId, uid: 1 }]);
      assert.equal((await mail.status(id, 'Archive/2025')).unseen, 0);
      await assert.rejects(mail.append(id, 'Missing', message(1)), { code: 'FolderNotFound' });
      await consistent();
    });

    test('over quota: APPEND and COPY are refused with QuotaExceeded, nothing filed', async () => {
      const { id, mail } = await s.user('full', { quotaMb: 1 });
      const big = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), Buffer.alloc(600 * 1024, 'a'), Buffer.from('\r\n')]);
      await mail.append(id, 'INBOX', big);
      await assert.rejects(mail.append(id, 'INBOX', big), { code: 'QuotaExceeded', kind: 'limit' });
      const { handle } = await mail.open(id, 'INBOX');
      await assert.rejects(mail.copy(handle, ALL, id, 'Drafts'), { code: 'QuotaExceeded', kind: 'limit' });
      assert.equal((await mail.status(id, 'Drafts')).messages, 0);
      assert.equal((await mail.status(id, 'INBOX')).messages, 1);
      // A move within the mailbox takes no more room.
      await mail.move(handle, ALL, id, 'Drafts');
      assert.equal((await mail.status(id, 'Drafts')).messages, 1);
      await consistent();
    });

    test('a body read by a user only through a folder they may open', async () => {
      const { id, mail } = await s.user('owner');
      const { mail: stranger } = await s.user('stranger');
      await s.deliver(id, 1);
      const { handle } = await mail.open(id, 'INBOX');
      await assert.rejects(stranger.readBody(handle, 1), { code: 'MailboxAccessDenied' });
      await assert.rejects(stranger.open(id, 'INBOX'), { code: 'MailboxAccessDenied' });
      await assert.rejects(mail.readBody(handle, 99), { code: 'MessageNotFound' });
    });
  });
}
