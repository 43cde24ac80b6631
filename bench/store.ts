// The store groundwork's costs, each beside a baseline run on the same machine in the same run:
//   1. writes under the owner lock (writeTransaction) against the same writes in a plain
//      transaction (which is incorrect under concurrency on PostgreSQL), all on one owner and
//      spread over 50 owners, at 1, 10 and 50 concurrent writers;
//   2. gap-free counter allocation (`allocate`, UPDATE … RETURNING) against PostgreSQL's own
//      sequence (nextval: fast, but with gaps on rollback), at 1, 10 and 50 concurrent allocators;
//   3. change-bus latency between two stores on one PostgreSQL database (commit → delivery).
// Every case runs on SQLite and PostgreSQL unless it is PostgreSQL-only.
//
//   node --import tsx bench/store.ts [--ops 2000] [--postgres postgres://postgres@127.0.0.1:5432/test]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { allocate, inTransaction, migrate, openStore, writeTransaction, type Db, type Store } from '../src/store/database.ts';
import { iamChange } from '../src/store/changes.ts';

const { values } = parseArgs({
  options: { ops: { type: 'string', default: '2000' }, postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' } },
});
const OPS = Number(values.ops);
const OWNERS = 50;
const CONCURRENCY = [1, 10, 50];

async function tempPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `godwit_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: values.postgres });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(values.postgres!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

async function seed(db: Db): Promise<void> {
  const now = new Date().toISOString();
  for (let i = 0; i < OWNERS; i++) {
    const id = String(100000000000 + i);
    await db.insertInto('accounts').values({ id, email: `${id}@bench`, email_lower: `${id}@bench`, root_password_hash: 'x', alias: null, password_policy: null, created_at: now }).execute();
    await db
      .insertInto('policies')
      .values({ id: `P${id}`, account_id: id, name: 'p', name_lower: 'p', path: '/', description: null, default_version_id: 'v1', next_version: 1, created_at: now, updated_at: now })
      .execute();
  }
}

/** Runs `ops` calls of `work(i)` with `concurrency` in flight; returns operations per second. */
async function rate(ops: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ops) await work(next++);
    }),
  );
  return ops / (Number(process.hrtime.bigint() - started) / 1e9);
}

const owner = (i: number, spread: boolean) => String(100000000000 + (spread ? i % OWNERS : 0));

/** One small write: a tag row, as an IAM TagUser would write. */
const writeTag = (db: Db, account: string, i: number) => {
  const key = `k${i}-${randomBytes(4).toString('hex')}`;
  return db.insertInto('tags').values({ entity_type: 'bench', entity_id: account, key, key_lower: key, value: 'v', position: i }).execute();
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function writes(store: Store): Promise<void> {
  console.log(`\n  writes/s (${store.engine}): one insert per transaction, ${OPS} transactions`);
  console.log('  "writeTransaction" locks the owner and publishes (NOTIFY on PostgreSQL); "lock only" takes the same');
  console.log('  lock without publishing; "plain" neither (the baseline, incorrect under concurrency on PostgreSQL)');
  console.log('  writers | one owner: writeTransaction, lock only, plain | 50 owners: writeTransaction, lock only, plain');
  const lockOnly = (i: number, spread: boolean) =>
    inTransaction(store.db, async (trx) => {
      if (store.engine === 'postgres') await trx.selectFrom('accounts').select('id').where('id', '=', owner(i, spread)).forUpdate().execute();
      await writeTag(trx, owner(i, spread), i);
    });
  for (const c of CONCURRENCY) {
    const row: string[] = [];
    for (const spread of [false, true]) {
      row.push(fmt(await rate(OPS, c, (i) => writeTransaction(store.db, iamChange(owner(i, spread)), (trx) => writeTag(trx, owner(i, spread), i)))));
      row.push(fmt(await rate(OPS, c, (i) => lockOnly(i, spread))));
      row.push(fmt(await rate(OPS, c, (i) => inTransaction(store.db, (trx) => writeTag(trx, owner(i, spread), i)))));
    }
    console.log(`  ${String(c).padStart(7)} | ${row.map((cell) => cell.padStart(8)).join(' | ')}`);
  }
}

async function counters(store: Store): Promise<void> {
  const postgres = store.engine === 'postgres';
  if (postgres) await sql`create sequence if not exists bench_sequence`.execute(store.db);
  console.log(`\n  counter values/s (${store.engine}), each in its own transaction`);
  console.log(`  allocators | allocate, one counter | allocate, 50 counters${postgres ? ' | nextval (sequence)' : ''}`);
  for (const c of CONCURRENCY) {
    const one = await rate(OPS, c, () => inTransaction(store.db, (trx) => allocate(trx, 'policies', `P${owner(0, false)}`, 'next_version')));
    const spread = await rate(OPS, c, (i) => inTransaction(store.db, (trx) => allocate(trx, 'policies', `P${owner(i, true)}`, 'next_version')));
    const cells = [fmt(one), fmt(spread)];
    if (postgres) cells.push(fmt(await rate(OPS, c, () => inTransaction(store.db, (trx) => sql`select nextval('bench_sequence')`.execute(trx)))));
    console.log(`  ${String(c).padStart(10)} | ${cells.map((cell) => cell.padStart(8)).join(' | ')}`);
  }
}

async function busLatency(url: string): Promise<void> {
  const dirs = [mkdtempSync(join(tmpdir(), 'godwit-bench-bus-')), mkdtempSync(join(tmpdir(), 'godwit-bench-bus-'))];
  const writer = openStore({ dataDir: dirs[0]!, databaseUrl: url });
  const reader = openStore({ dataDir: dirs[1]!, databaseUrl: url });
  await reader.listen();
  // Times from the start of the writing transaction: to its commit returning (in the writer),
  // and to the change's delivery (in the reader), which can come before the writer's commit returns.
  const commits: number[] = [];
  const deliveries: number[] = [];
  let delivered: ((at: bigint) => void) | undefined;
  reader.changes.subscribe(() => delivered?.(process.hrtime.bigint()));
  for (let i = 0; i < 500; i++) {
    const heard = new Promise<bigint>((resolve) => (delivered = resolve));
    const started = process.hrtime.bigint();
    await writeTransaction(writer.db, iamChange(owner(i, true)), async () => undefined);
    commits.push(Number(process.hrtime.bigint() - started) / 1e6);
    deliveries.push(Number((await heard) - started) / 1e6);
  }
  const quantiles = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
    return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`;
  };
  console.log('\n  change bus (postgres, 500 transactions, each locking an owner and publishing one change), from BEGIN:');
  console.log(`    commit returns in the writing process:  ${quantiles(commits)}`);
  console.log(`    change delivered in the other process:  ${quantiles(deliveries)}`);
  await writer.close();
  await reader.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

console.log(`store benchmark: ${OPS} operations per cell`);
for (const engine of ['sqlite', 'postgres'] as const) {
  const dataDir = mkdtempSync(join(tmpdir(), 'godwit-bench-store-'));
  const database = engine === 'postgres' ? await tempPostgres() : undefined;
  const store = openStore({ dataDir, databaseUrl: database?.url });
  try {
    await migrate(store.db);
    await seed(store.db);
    await writes(store);
    await counters(store);
    if (database) await busLatency(database.url);
  } finally {
    await store.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
