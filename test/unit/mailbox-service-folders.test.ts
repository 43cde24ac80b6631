// The mailbox service's folders on both engines: LIST with hierarchy and special use, CREATE with
// parents, DELETE (WorkMail's folders protected, RFC 3501 \Noselect for a folder with children),
// RENAME with children and of INBOX, fresh UIDVALIDITY, name checks, subscriptions, STATUS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMailStore } from '../../src/mail/store/consistency.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { ALL, serviceFixture, type ServiceFixture } from './mailbox-service-fixture.ts';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`mailbox service: folders (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let s: ServiceFixture;
    before(async () => {
      s = await serviceFixture(engine);
    });
    after(async () => {
      await s?.close();
    });

    test('LIST: INBOX first, WorkMail folders with special use, children attributes', async () => {
      const { id, mail } = await s.user('list');
      await mail.createFolder(id, 'Projects/2026/Q1');
      const list = await mail.listFolders(id);
      assert.deepEqual(
        list.map((folder) => [folder.name, folder.attributes.join(' ')]),
        [
          ['INBOX', '\\HasNoChildren'],
          ['Deleted Items', '\\HasNoChildren \\Trash'],
          ['Drafts', '\\HasNoChildren \\Drafts'],
          ['Junk E-mail', '\\HasNoChildren \\Junk'],
          ['Outbox', '\\HasNoChildren'],
          ['Projects', '\\HasChildren'],
          ['Projects/2026', '\\HasChildren'],
          ['Projects/2026/Q1', '\\HasNoChildren'],
          ['Sent Items', '\\HasNoChildren \\Sent'],
        ],
      );
    });

    test('CREATE: an existing name is a conflict, INBOX in any case exists, names are checked', async () => {
      const { id, mail } = await s.user('create');
      await mail.createFolder(id, 'Ünïcode ✓/');
      assert.ok((await mail.listFolders(id)).some((folder) => folder.name === 'Ünïcode ✓'));
      await assert.rejects(mail.createFolder(id, 'Ünïcode ✓'), { code: 'FolderExists', kind: 'conflict' });
      await assert.rejects(mail.createFolder(id, 'inbox'), { code: 'FolderExists' });
      await mail.createFolder(id, 'iNbOx/Child');
      assert.ok((await mail.listFolders(id)).some((folder) => folder.name === 'INBOX/Child'));
      for (const bad of ['', 'a//b', '/a', 'a\u0001b', 'x'.repeat(300), 'a/' + 'y'.repeat(1100), 'a*', 'b%']) {
        await assert.rejects(mail.createFolder(id, bad), { code: 'InvalidFolderName', kind: 'invalid' }, JSON.stringify(bad));
      }
    });

    test('DELETE: WorkMail folders refused; messages go; a folder with children stays \\Noselect', async () => {
      const { id, mail } = await s.user('delete');
      for (const name of ['Inbox', 'INBOX', 'Sent Items', 'Deleted Items', 'Drafts', 'Junk E-mail', 'Outbox']) {
        await assert.rejects(mail.deleteFolder(id, name), { code: 'FolderProtected', kind: 'state' });
        await assert.rejects(mail.renameFolder(id, name === 'INBOX' || name === 'Inbox' ? 'Sent Items' : name, 'Elsewhere'), { code: 'FolderProtected' });
      }
      await mail.createFolder(id, 'Parent/Child');
      await mail.append(id, 'Parent', Buffer.from('Subject: in parent\r\n\r\nbody\r\n'));
      await mail.deleteFolder(id, 'Parent');
      const parent = (await mail.listFolders(id)).find((folder) => folder.name === 'Parent')!;
      assert.deepEqual(parent.attributes, ['\\HasChildren', '\\Noselect']);
      assert.equal(parent.selectable, false);
      await assert.rejects(mail.open(id, 'Parent'), { code: 'FolderNotFound' });
      await assert.rejects(mail.deleteFolder(id, 'Parent'), { code: 'FolderHasChildren', kind: 'conflict' });
      await mail.deleteFolder(id, 'Parent/Child');
      await mail.deleteFolder(id, 'Parent');
      assert.ok(!(await mail.listFolders(id)).some((folder) => folder.name.startsWith('Parent')));
      await assert.rejects(mail.deleteFolder(id, 'Parent'), { code: 'FolderNotFound', kind: 'notFound' });
      assert.deepEqual(await checkMailStore(s.f.store.db, s.f.mail.blobs), []);
    });

    test('a name made again gets a new UIDVALIDITY, as does one another folder is renamed to', async () => {
      const { id, mail } = await s.user('validity');
      const first = await mail.createFolder(id, 'Again');
      await mail.deleteFolder(id, 'Again');
      const second = await mail.createFolder(id, 'Again');
      assert.ok(second.uidValidity > first.uidValidity);
      await mail.deleteFolder(id, 'Again');
      await mail.renameFolder(id, 'INBOX', 'Again');
      assert.ok((await mail.status(id, 'Again')).uidValidity > second.uidValidity);
      const inbox = (await mail.status(id, 'INBOX')).uidValidity;
      assert.ok(second.uidValidity > inbox);
    });

    test('RENAME moves children and subscriptions; the target must not exist', async () => {
      const { id, mail } = await s.user('rename');
      await mail.createFolder(id, 'Old/Sub');
      await mail.append(id, 'Old/Sub', Buffer.from('Subject: kept\r\n\r\nbody\r\n'));
      const before = await mail.status(id, 'Old/Sub');
      await mail.subscribe(id, 'Old/Sub');
      await mail.subscribe(id, 'New/Place/Sub');
      await mail.createFolder(id, 'Taken');
      await assert.rejects(mail.renameFolder(id, 'Old', 'Taken'), { code: 'FolderExists' });
      await assert.rejects(mail.renameFolder(id, 'Old', 'Old/Sub/Deeper'), { code: 'InvalidFolderName' });
      await assert.rejects(mail.renameFolder(id, 'Missing', 'Other'), { code: 'FolderNotFound' });
      await mail.renameFolder(id, 'Old', 'New/Place');
      const names = (await mail.listFolders(id)).map((folder) => folder.name);
      assert.ok(names.includes('New') && names.includes('New/Place') && names.includes('New/Place/Sub'));
      assert.ok(!names.some((name) => name.startsWith('Old')));
      assert.deepEqual(await mail.status(id, 'New/Place/Sub'), before);
      assert.deepEqual(await mail.subscriptions(id), ['New/Place/Sub']);
    });

    test('RENAME INBOX moves its messages into a new folder and leaves INBOX empty', async () => {
      const { id, mail } = await s.user('inboxrename');
      await s.deliver(id, 3);
      await mail.createFolder(id, 'INBOX/Child');
      await mail.renameFolder(id, 'inbox', 'Archive');
      const archive = await mail.open(id, 'Archive');
      assert.deepEqual(archive.messages.map((m) => m.uid), [1, 2, 3]);
      assert.equal((await mail.status(id, 'INBOX')).messages, 0);
      assert.equal((await mail.status(id, 'INBOX')).uidNext, 4);
      assert.ok((await mail.listFolders(id)).some((folder) => folder.name === 'INBOX/Child'));
      assert.deepEqual(await checkMailStore(s.f.store.db, s.f.mail.blobs), []);
    });

    test('a \\Noselect level: renamed with its children, made selectable again by CREATE, never opened', async () => {
      const { id, mail } = await s.user('noselect');
      await mail.createFolder(id, 'Level/Leaf');
      await mail.deleteFolder(id, 'Level');
      await assert.rejects(mail.append(id, 'Level', Buffer.from('Subject: x\r\n\r\nx\r\n')), { code: 'FolderNotFound' });
      await mail.renameFolder(id, 'Level', 'Moved');
      const moved = (await mail.listFolders(id)).filter((folder) => folder.name.startsWith('Moved'));
      assert.deepEqual(moved.map((folder) => [folder.name, folder.selectable]), [
        ['Moved', false],
        ['Moved/Leaf', true],
      ]);
      const made = await mail.createFolder(id, 'Moved');
      assert.ok(made.uidValidity > 0);
      assert.equal((await mail.open(id, 'Moved')).messages.length, 0);
      assert.ok((await mail.listFolders(id)).find((folder) => folder.name === 'Moved')!.selectable);
      const { handle } = await mail.open(id, 'Moved/Leaf');
      await assert.rejects(mail.fetch(handle, [[0, 5]]), { code: 'InvalidUidSet', kind: 'invalid' });
      await mail.deleteFolder(id, 'Moved/Leaf');
      await assert.rejects(mail.fetch(handle, [[1, 5]]), { code: 'FolderNotFound' });
    });

    test('subscriptions per user, INBOX in any case; STATUS counters', async () => {
      const { id, mail } = await s.user('subs');
      await mail.subscribe(id, 'inbox');
      await mail.subscribe(id, 'INBOX');
      await mail.subscribe(id, 'Not/There');
      assert.deepEqual(await mail.subscriptions(id), ['INBOX', 'Not/There']);
      await mail.unsubscribe(id, 'Not/There');
      assert.deepEqual(await mail.subscriptions(id), ['INBOX']);
      await s.deliver(id, 2);
      const status = await mail.status(id, 'INBOX');
      assert.equal(status.messages, 2);
      assert.equal(status.unseen, 2);
      assert.equal(status.recent, 0);
      assert.equal(status.uidNext, 3);
      assert.equal(status.highestModseq, 2);
      assert.ok(status.size > 0);
      const { mail: other } = await s.user('subs2');
      await assert.rejects(other.subscriptions(id), { code: 'MailboxAccessDenied', kind: 'denied' });
    });

    test('QUOTA: usage and limit in bytes', async () => {
      const { id, mail } = await s.user('quota', { quotaMb: 7 });
      await s.deliver(id, 1);
      const quota = await mail.quota(id);
      assert.equal(quota.limitBytes, 7 * 1024 * 1024);
      assert.equal(quota.usedBytes, (await mail.status(id, 'INBOX')).size);
      await mail.fetch((await mail.open(id, 'INBOX')).handle, ALL);
    });
  });
}
