// Group commit against one transaction per delivery, on the same machine in the same run: N
// deliveries (4 KB each, distinct bodies, so each also writes and fsyncs its own blob) from C
// concurrent senders to 10 mailboxes, through MailStore with group commit (batches of up to 256)
// and with maxBatch 1 (every delivery its own transaction and commit). SQLite, and PostgreSQL
// when reachable.
//
//   node --import tsx bench/mail-store.ts [--ops 400] [--concurrency 50] [--postgres postgres://postgres@127.0.0.1:5432/test]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { systemClock } from '../src/clock.ts';
import { FileBlobStore } from '../src/blobs/blob-store.ts';
import { MailStore } from '../src/mail/store/mail-store.ts';
import { migrate, openStore, type Store } from '../src/store/database.ts';

const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '50' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const OPS = Number(values.ops);
const CONCURRENCY = Number(values.concurrency);
const MAILBOXES = 10;
const ORG = 'm-' + 'b'.repeat(32);

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: values.postgres });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function seed(store: Store): Promise<string[]> {
  const now = new Date().toISOString();
  await store.db.insertInto('accounts').values({ id: '222222222222', email: 'b@bench', email_lower: 'b@bench', root_password_hash: 'x', alias: null, password_policy: null, created_at: now }).execute();
  await store.db
    .insertInto('wm_organizations')
    .values({ id: ORG, account_id: '222222222222', alias: 'bench', alias_lower: 'bench', state: 'Active', default_mail_domain: 'bench.example', directory_id: 'd', directory_type: 'WorkMail Directory', client_token: null, interoperability_enabled: 0, created_at: now, completed_at: now, deleted_at: null })
    .execute();
  const ids: string[] = [];
  for (let i = 0; i < MAILBOXES; i++) {
    const id = `bench-user-${i}`;
    await store.db
      .insertInto('wm_entities')
      .values({ id, org_id: ORG, type: 'USER', name: id, name_lower: id, display_name: id, email: `${id}@bench.example`, state: 'ENABLED', created_at: now, enabled_at: now, disabled_at: null, role: 'USER', hidden: 0, password_hash: null, mailbox_quota_mb: null, attributes: '{}' })
      .execute();
    ids.push(id);
  }
  return ids;
}

const body = (n: number) => Buffer.from(`From: a@example.com\r\nTo: b@bench.example\r\nSubject: bench ${n} ${randomBytes(8).toString('hex')}\r\n\r\n${'lorem ipsum '.repeat(340)}\r\n`);

async function run(engine: 'sqlite' | 'postgres', maxBatch: number): Promise<{ perSecond: number; transactions: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'godwit-bench-mail-'));
  const name = `godwit_bench_${randomBytes(5).toString('hex')}`;
  let url: string | undefined;
  if (engine === 'postgres') {
    await admin(`create database ${name}`);
    const u = new URL(values.postgres!);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const store = openStore({ dataDir, databaseUrl: url });
  try {
    await migrate(store.db);
    const mailboxes = await seed(store);
    const mail = new MailStore({ store, blobs: new FileBlobStore(join(dataDir, 'blobs')), clock: systemClock, defaultQuotaMb: 51200, maxBatch });
    // Mailboxes made and warmed before timing.
    for (const mailboxId of mailboxes) await mail.deliver({ raw: body(-1), receivedAt: new Date() }, [{ mailboxId, folder: 'Inbox' }]);
    let transactions = 0;
    mail.queue.observe(() => transactions++);
    let next = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let n = next++; n < OPS; n = next++) await mail.deliver({ raw: body(n), receivedAt: new Date() }, [{ mailboxId: mailboxes[n % MAILBOXES], folder: 'Inbox' }]);
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { perSecond: OPS / seconds, transactions };
  } finally {
    await store.close();
    if (engine === 'postgres') await admin(`drop database if exists ${name} with (force)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const engines: Array<'sqlite' | 'postgres'> = ['sqlite'];
try {
  await admin('select 1');
  engines.push('postgres');
} catch {
  console.log('PostgreSQL unreachable: SQLite only');
}
console.log(`${OPS} deliveries of ~4 KB, ${CONCURRENCY} concurrent senders, ${MAILBOXES} mailboxes`);
{
  // The floor every delivery pays before its transaction: its body written and fsynced.
  const dir = mkdtempSync(join(tmpdir(), 'godwit-bench-blobs-'));
  const blobs = new FileBlobStore(dir);
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let n = next++; n < OPS; n = next++) (await blobs.put(body(n))).release();
    }),
  );
  console.log(`blobs    written and fsynced alone: ${(OPS / (Number(process.hrtime.bigint() - start) / 1e9)).toFixed(0).padStart(6)}/s`);
  rmSync(dir, { recursive: true, force: true });
}
for (const engine of engines) {
  const single = await run(engine, 1);
  const grouped = await run(engine, 256);
  console.log(
    `${engine.padEnd(8)} one transaction each: ${single.perSecond.toFixed(0).padStart(6)}/s (${single.transactions} commits)   group commit: ${grouped.perSecond.toFixed(0).padStart(6)}/s (${grouped.transactions} commits)   x${(grouped.perSecond / single.perSecond).toFixed(1)}`,
  );
}
