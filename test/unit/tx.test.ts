// The transaction idiom (src/store/tx.ts) on both engines: owner locks make read-check-write
// correct under concurrency, counters allocated by UPDATE … RETURNING are distinct and
// gap-free, and changes reach the bus only after a commit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocate, inTransaction, migrate, openStore, writeTransaction, type Store } from '../../src/store/database.ts';
import { iamChange, type Change } from '../../src/store/changes.ts';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../helpers/postgres.ts';

const ACCOUNT = '111111111111';

async function seed(store: Store): Promise<void> {
  const now = new Date().toISOString();
  await store.db
    .insertInto('accounts')
    .values({ id: ACCOUNT, email: 'a@example.com', email_lower: 'a@example.com', root_password_hash: 'x', alias: null, password_policy: null, created_at: now })
    .execute();
  await store.db
    .insertInto('policies')
    .values({ id: 'ANPACOUNTER', account_id: ACCOUNT, name: 'counter', name_lower: 'counter', path: '/', description: null, default_version_id: 'v1', next_version: 1, created_at: now, updated_at: now })
    .execute();
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`store transactions (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let dataDir: string;
    let database: TempDatabase | undefined;
    let store: Store;
    const heard: Change[] = [];

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'godwit-tx-'));
      database = engine === 'postgres' ? await createTempDatabase() : undefined;
      store = openStore({ dataDir, databaseUrl: database?.url });
      await migrate(store.db);
      await seed(store);
      store.changes.subscribe((change) => heard.push(change));
    });
    after(async () => {
      await store.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('1,000 concurrent counter allocations, each in its own transaction, are distinct and gap-free', async () => {
      const values = await Promise.all(
        Array.from({ length: 1000 }, () => inTransaction(store.db, (trx) => allocate(trx, 'policies', 'ANPACOUNTER', 'next_version'))),
      );
      const sorted = values.map(Number).sort((a, b) => a - b);
      assert.deepEqual(sorted, Array.from({ length: 1000 }, (_, i) => i + 1));
      const row = await store.db.selectFrom('policies').select('next_version').where('id', '=', 'ANPACOUNTER').executeTakeFirstOrThrow();
      assert.equal(Number(row.next_version), 1001);
      assert.equal(await allocate(store.db, 'policies', 'no-such-policy', 'next_version'), undefined);
    });

    test('a read-check-write under the owner lock never loses an update (50 concurrent increments of a value read first)', async () => {
      // Reads the value, yields to the event loop (so other transactions interleave on
      // PostgreSQL), then writes value + 1: without the lock, increments are lost.
      const increment = () =>
        writeTransaction(store.db, iamChange(ACCOUNT), async (trx) => {
          const row = await trx.selectFrom('policies').select('next_version').where('id', '=', 'ANPACOUNTER').executeTakeFirstOrThrow();
          await trx.selectFrom('accounts').select('id').execute();
          await trx.updateTable('policies').set({ next_version: Number(row.next_version) + 1 }).where('id', '=', 'ANPACOUNTER').execute();
        });
      const before = await store.db.selectFrom('policies').select('next_version').where('id', '=', 'ANPACOUNTER').executeTakeFirstOrThrow();
      await Promise.all(Array.from({ length: 50 }, increment));
      const afterRow = await store.db.selectFrom('policies').select('next_version').where('id', '=', 'ANPACOUNTER').executeTakeFirstOrThrow();
      assert.equal(Number(afterRow.next_version), Number(before.next_version) + 50);
    });

    test('changes are delivered once per transaction after commit, folded, and never for a rollback', async () => {
      heard.length = 0;
      await writeTransaction(store.db, iamChange(ACCOUNT), async (trx) => {
        // A nested step joins the transaction; its change folds into the same one.
        await writeTransaction(trx, iamChange(ACCOUNT), async () => undefined);
        assert.equal(heard.length, 0, 'nothing is heard before the commit');
      });
      assert.deepEqual(heard, [iamChange(ACCOUNT)]);

      heard.length = 0;
      await assert.rejects(
        writeTransaction(store.db, iamChange(ACCOUNT), async (trx) => {
          await trx.updateTable('policies').set({ description: 'rolled back' }).where('id', '=', 'ANPACOUNTER').execute();
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.deepEqual(heard, [], 'a rolled-back transaction announces nothing');
      const row = await store.db.selectFrom('policies').select('description').where('id', '=', 'ANPACOUNTER').executeTakeFirstOrThrow();
      assert.equal(row.description, null);
    });

    test('a transaction not started through store/tx.ts cannot be joined', async () => {
      await assert.rejects(
        store.db.transaction().execute((trx) => writeTransaction(trx, iamChange(ACCOUNT), async () => undefined)),
        /cannot be joined/,
      );
    });
  });
}

describe('change bus across processes (postgres)', { skip: !(await postgresAvailable()) }, () => {
  test("one store's committed changes reach another store on the same database; rolled-back ones do not", async () => {
    const database = await createTempDatabase();
    const dirs = [mkdtempSync(join(tmpdir(), 'godwit-bus-')), mkdtempSync(join(tmpdir(), 'godwit-bus-'))];
    const writer = openStore({ dataDir: dirs[0]!, databaseUrl: database.url });
    const reader = openStore({ dataDir: dirs[1]!, databaseUrl: database.url });
    try {
      await migrate(writer.db);
      await seed(writer);
      await reader.listen();
      const heard: Change[] = [];
      const arrived = new Promise<void>((resolve) =>
        reader.changes.subscribe((change) => {
          heard.push(change);
          resolve();
        }),
      );
      await assert.rejects(
        writeTransaction(writer.db, iamChange('222222222222'), async () => {
          throw new Error('abort');
        }),
      );
      await writeTransaction(writer.db, iamChange(ACCOUNT), async () => undefined);
      const started = Date.now();
      await arrived;
      assert.ok(Date.now() - started < 1000, 'heard within a second');
      assert.deepEqual(heard, [iamChange(ACCOUNT)], 'only the committed change arrives');
    } finally {
      await writer.close();
      await reader.close();
      await database.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});
