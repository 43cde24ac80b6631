// SELECT of a folder of 100,000 messages on both engines: every UID, flag and MODSEQ comes back
// in UID order, and the read yields to the event loop between chunks, so that a timer fires and
// another session's command is answered while it runs. The rows are made by one INSERT … SELECT
// (they need no bodies: open reads none), which keeps the test quick.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { postgresAvailable } from '../helpers/postgres.ts';
import { serviceFixture, type ServiceFixture } from './mailbox-service-fixture.ts';

const N = 100_000;
const CHUNK = 5_000;

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`mailbox service: opening a large folder (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let s: ServiceFixture;
    before(async () => {
      s = await serviceFixture(engine);
    });
    after(async () => {
      await s?.close();
    });

    test(`${N} messages read in chunks of ${CHUNK} that yield: a timer fires and another command is answered meanwhile`, { timeout: 120_000 }, async () => {
      const { id, mail } = await s.user('big');
      const other = await s.user('other');
      await mail.createFolder(id, 'Big');
      await other.mail.listFolders(other.id);
      const folder = await s.f.store.db.selectFrom('mail_folders').select('id').where('mailbox_id', '=', id).where('name', '=', 'Big').executeTakeFirstOrThrow();
      // Every third message \Seen (1), every seventh \Flagged (4); MODSEQ = UID.
      const select = sql`select ${folder.id}, i, ${id}, ${'0'.repeat(64)}, 100, 0, (case when i % 3 = 0 then 1 else 0 end) + (case when i % 7 = 0 then 4 else 0 end), i, '{}', '{}'`;
      const columns = sql`mail_messages (folder_id, uid, mailbox_id, blob_id, size, internal_date, flags, modseq, envelope, body_structure)`;
      if (engine === 'postgres') await sql`insert into ${columns} ${select} from generate_series(1, ${N}) as i`.execute(s.f.store.db);
      else await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${N}) insert into ${columns} ${select} from n`.execute(s.f.store.db);
      await s.f.store.db.insertInto('mail_keywords').values([{ folder_id: folder.id, uid: 50_000, keyword: 'Half' }]).execute();
      await s.f.store.db.updateTable('mail_folders').set({ uid_next: N + 1, highest_modseq: N, messages: N, bytes: N * 100 }).where('id', '=', folder.id).execute();
      await s.f.store.db.updateTable('mail_mailboxes').set({ next_modseq: N + 1 }).where('id', '=', id).execute();

      let ticks = 0;
      let ticking = true;
      const tick = () => {
        ticks++;
        if (ticking) setTimeout(tick, 0);
      };
      setTimeout(tick, 0);
      let openedAt = 0;
      let otherAt = 0;
      const started = performance.now();
      const opening = mail.open(id, 'Big', { chunkSize: CHUNK }).then((opened) => {
        openedAt = performance.now();
        return opened;
      });
      // Another session's command, issued once the read is under way.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const answered = other.mail.status(other.id, 'INBOX').then(() => (otherAt = performance.now()));
      const opened = await opening;
      await answered;
      ticking = false;
      const elapsed = performance.now() - started;

      assert.equal(opened.messages.length, N);
      assert.equal(opened.uidNext, N + 1);
      assert.equal(opened.highestModseq, N);
      for (let i = 0; i < N; i++) assert.equal(opened.messages[i].uid, i + 1);
      assert.deepEqual(opened.messages[20].flags, ['\\Seen', '\\Flagged']);
      assert.deepEqual(opened.messages[49_999].flags, ['Half']);
      assert.equal(opened.messages[99_999].modseq, N);
      assert.ok(opened.flags.includes('Half'));
      assert.ok(ticks >= 2, `a timer fired ${ticks} times during the read`);
      assert.ok(otherAt < openedAt, `the other command was answered ${Math.round(otherAt - started)} ms in, the open took ${Math.round(openedAt - started)} ms`);
      console.log(`${engine}: opened ${N} messages in ${Math.round(elapsed)} ms, ${ticks} timer ticks meanwhile`);

      // STORE +FLAGS (\Seen) over the whole folder: a MODSEQ and a journal entry per changed message.
      const storeStarted = performance.now();
      const stored = await mail.storeFlags(opened.handle, { uids: [[1, N]], operation: 'add', flags: ['\\Seen'] });
      console.log(`${engine}: STORE 1:${N} +FLAGS (\\Seen) changed ${stored.updated.length} in ${Math.round(performance.now() - storeStarted)} ms`);
      assert.equal(stored.updated.length, N - Math.floor(N / 3));
      assert.equal(stored.unchanged.length, Math.floor(N / 3));
      const changes = await mail.changesSince(opened.handle, N);
      assert.equal(changes.changed.length, stored.updated.length);
      assert.equal(changes.highestModseq, N + stored.updated.length);
    });
  });
}
