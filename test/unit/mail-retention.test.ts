// Retention by the clock and the orphan-blob sweeper, on both engines. Retention: the
// organization's policy moves old Inbox mail to Deleted Items (DELETE) and expunges old Deleted
// Items (PERMANENTLY_DELETE), keeping the counters and the journal in step and freeing bodies no
// message references. Sweeper: an unreferenced old blob goes; a referenced or held one stays.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMailStore } from '../../src/mail/store/consistency.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { ORG, mailFixture, message, type MailFixture } from './mail-fixture.ts';

const DAY = 24 * 60 * 60 * 1000;

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`mail retention and orphan sweeper (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let f: MailFixture;
    before(async () => {
      f = await mailFixture(engine);
    });
    after(async () => {
      await f?.close();
    });

    const folder = (mailboxId: string, name: string) => f.store.db.selectFrom('mail_folders').selectAll().where('mailbox_id', '=', mailboxId).where('name', '=', name).executeTakeFirstOrThrow();

    test('DELETE moves old Inbox mail to Deleted Items; PERMANENTLY_DELETE expunges old Deleted Items and frees bodies', async () => {
      const ann = await f.user('ann');
      const now = f.clock.now().getTime();
      const at = (days: number) => new Date(now - days * DAY);
      await f.mail.delivery.deliver({ raw: message(1, 'old inbox zeppelin'), receivedAt: at(40) }, [{ mailboxId: ann, folder: 'Inbox' }]);
      await f.mail.delivery.deliver({ raw: message(2), receivedAt: at(5) }, [{ mailboxId: ann, folder: 'Inbox', flags: ['\\Seen'] }]);
      const [old] = await f.mail.delivery.deliver({ raw: message(3), receivedAt: at(100) }, [{ mailboxId: ann, folder: 'Deleted Items' }]);
      const oldBlob = (await f.store.db.selectFrom('mail_messages').select('blob_id').where('mailbox_id', '=', ann).where('uid', '=', old.uid).where('folder_id', '=', (await folder(ann, 'Deleted Items')).id).executeTakeFirstOrThrow()).blob_id;
      await f.store.db
        .insertInto('wm_retention_policies')
        .values({
          org_id: ORG,
          id: 'policy',
          name: 'default',
          description: null,
          folders: JSON.stringify([
            { Name: 'INBOX', Action: 'DELETE', Period: 30 },
            { Name: 'DELETED_ITEMS', Action: 'PERMANENTLY_DELETE', Period: 60 },
            { Name: 'SENT_ITEMS', Action: 'NONE' },
          ]),
          updated_at: new Date(now).toISOString(),
        })
        .execute();

      const first = await f.mail.applyRetention();
      assert.deepEqual(first, { moved: 1, expunged: 1 });
      const inbox = await folder(ann, 'Inbox');
      const bin = await folder(ann, 'Deleted Items');
      assert.deepEqual([inbox.messages, inbox.unseen], [1, 0]);
      assert.deepEqual([bin.messages, bin.unseen], [1, 1]);
      assert.equal(await f.mail.blobs.exists(oldBlob), false);
      // The moved message is found by search in its new folder, with a new UID there.
      const hits = await f.mail.delivery.search.find(f.store.db, ann, 'zeppelin');
      assert.deepEqual(hits, [{ folderId: bin.id, uid: 2 }]);
      const journal = await f.store.db.selectFrom('mail_changes').select(['folder_id', 'uid', 'kind']).where('mailbox_id', '=', ann).where('kind', '=', 'expunged').execute();
      assert.equal(journal.length, 2);
      assert.deepEqual(await checkMailStore(f.store.db, f.mail.blobs), []);

      // Nothing more is due until the clock moves past the moved message's 60 days.
      assert.deepEqual(await f.mail.applyRetention(), { moved: 0, expunged: 0 });
      f.clock.advance(21 * DAY);
      assert.deepEqual(await f.mail.applyRetention(), { moved: 0, expunged: 1 });
      f.clock.advance(30 * DAY);
      assert.deepEqual(await f.mail.applyRetention(), { moved: 1, expunged: 0 });
      assert.equal(Number((await folder(ann, 'Inbox')).messages), 0);
      assert.deepEqual(await checkMailStore(f.store.db, f.mail.blobs), []);
    });

    test('the orphan sweeper removes an unreferenced blob and keeps a referenced or held one', async () => {
      const ben = await f.user('ben');
      await f.mail.delivery.deliver({ raw: message(10), receivedAt: f.clock.now() }, [{ mailboxId: ben, folder: 'Inbox' }]);
      const referenced = (await f.store.db.selectFrom('mail_messages').select('blob_id').where('mailbox_id', '=', ben).executeTakeFirstOrThrow()).blob_id;
      const orphan = await f.mail.blobs.put(Buffer.from('nobody files this'));
      orphan.release();
      const held = await f.mail.blobs.put(Buffer.from('in flight'));
      // Within the grace period, even an orphan stays.
      assert.deepEqual((await f.mail.sweepOrphans(60_000)).removed, []);
      const swept = await f.mail.sweepOrphans(0);
      assert.deepEqual(swept.removed, [orphan.id]);
      assert.equal(await f.mail.blobs.exists(orphan.id), false);
      assert.equal(await f.mail.blobs.exists(held.id), true);
      assert.equal(await f.mail.blobs.exists(referenced), true);
      held.release();
      assert.deepEqual((await f.mail.sweepOrphans(0)).removed, [held.id]);
      assert.equal((await f.mail.blobs.read(referenced)).toString(), message(10).toString());
    });
  });
}
