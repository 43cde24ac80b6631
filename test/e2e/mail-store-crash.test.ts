// Crash test of the mailbox store, on both engines: a child process delivers messages
// concurrently (through group commit) and prints each delivery as its promise resolves; it is
// killed with SIGKILL at a random moment; the store is opened again. Every delivery that had
// resolved must be there exactly once, no folder counter may disagree with its rows, and every
// referenced body must be on disk — also after the orphan sweeper has run.
//
// The same file is the child: run with GODWIT_MAIL_CRASH_CHILD set, it delivers instead of testing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../src/clock.ts';
import { checkMailStore } from '../../src/mail/store/consistency.ts';
import { MailService } from '../../src/mail/store/service.ts';
import { migrate, openStore } from '../../src/store/database.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { mailFixture, type MailFixture } from '../unit/mail-fixture.ts';

const child = process.env.GODWIT_MAIL_CRASH_CHILD;

const raw = (n: number) =>
  Buffer.from(`From: a@example.com\r\nTo: b@example.com\r\nSubject: crash ${n}\r\nMessage-ID: <crash-${n}@example.com>\r\n\r\nBody ${n} ${'x'.repeat(n % 5000)}\r\n`);

if (child) {
  const { dataDir, databaseUrl, mailboxId, first } = JSON.parse(child) as { dataDir: string; databaseUrl?: string; mailboxId: string; first: number };
  const store = openStore({ dataDir, databaseUrl });
  await migrate(store.db);
  const mail = new MailService({ store, dataDir, clock: systemClock, defaultQuotaMb: 51200 });
  let next = first;
  const worker = async () => {
    for (;;) {
      const n = next++;
      const [delivered] = await mail.delivery.deliver({ raw: raw(n), receivedAt: new Date() }, [{ mailboxId, folder: n % 3 === 0 ? 'Junk E-mail' : 'Inbox' }]);
      writeSync(1, `${n} ${delivered.uid}\n`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
} else {
  for (const engine of ['sqlite', 'postgres'] as const) {
    describe(`mail store survives SIGKILL (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
      let f: MailFixture;
      let mailboxId: string;
      before(async () => {
        f = await mailFixture(engine);
        mailboxId = await f.user('crashy');
      });
      after(async () => {
        await f?.close();
      });

      test('every resolved delivery is present exactly once after a kill at a random point; counters agree with rows', async (t) => {
        const resolved = new Set<number>();
        for (let round = 0; round < 4; round++) {
          // SQLite's data folder is for one process at a time: the test's store is closed while the child runs.
          const settings = { dataDir: f.dataDir, databaseUrl: f.databaseUrl, mailboxId, first: round * 100_000 + 1 };
          if (engine === 'sqlite') await f.suspend();
          const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
            env: { ...process.env, GODWIT_MAIL_CRASH_CHILD: JSON.stringify(settings) },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let buffered = '';
          let lines = 0;
          proc.stdout.on('data', (chunk: Buffer) => {
            buffered += chunk.toString();
            const parts = buffered.split('\n');
            buffered = parts.pop()!;
            for (const line of parts) {
              resolved.add(Number(line.split(' ')[0]));
              lines++;
            }
          });
          // Kill once some deliveries resolved, after a random further delay: mid-batch, mid-fsync or between.
          const killAfter = 20 + Math.floor(Math.random() * 80);
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('the child delivered nothing in 60 s')), 60_000);
            const poll = setInterval(() => {
              if (lines > 0) {
                clearInterval(poll);
                setTimeout(() => {
                  proc.kill('SIGKILL');
                  clearTimeout(timer);
                }, killAfter * 5 * Math.random());
              }
            }, 5);
            proc.on('exit', () => {
              clearInterval(poll);
              clearTimeout(timer);
              resolve();
            });
          });
          if (engine === 'sqlite') await f.resume();
          const rows = await f.store.db.selectFrom('mail_messages').select('envelope').where('mailbox_id', '=', mailboxId).execute();
          const counts = new Map<number, number>();
          for (const row of rows) {
            const id = /<crash-(\d+)@/.exec((JSON.parse(row.envelope) as { messageId: string }).messageId)![1];
            counts.set(Number(id), (counts.get(Number(id)) ?? 0) + 1);
          }
          for (const n of resolved) assert.equal(counts.get(n), 1, `delivery ${n} resolved before the kill, present ${counts.get(n) ?? 0} times`);
          for (const [n, count] of counts) assert.equal(count, 1, `delivery ${n} present ${count} times`);
          assert.deepEqual(await checkMailStore(f.store.db, f.mail.blobs), [], `round ${round}`);
          const swept = await f.mail.sweepOrphans(0);
          t.diagnostic(`round ${round}: ${lines} deliveries resolved before the kill, ${rows.length} filed in all, ${swept.removed.length} orphan bodies swept`);
          assert.deepEqual(await checkMailStore(f.store.db, f.mail.blobs), [], `round ${round}, after the sweeper`);
        }
        assert.ok(resolved.size > 0);
      });
    });
  }
}
