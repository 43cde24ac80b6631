// The store opens, migrates and enforces uniqueness the same way on both engines.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { isUniqueViolation, migrate, openStore } from '../../src/store/database.ts';
import { createTempDatabase, postgresAvailable } from '../helpers/postgres.ts';

const account = (id: string, email: string) => ({
  id,
  email,
  email_lower: email.toLowerCase(),
  root_password_hash: 'x',
  alias: null,
  password_policy: null,
  created_at: new Date().toISOString(),
});

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`store (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    test('migrations run once, then are up to date; unique names are enforced', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'godwit-store-'));
      const database = engine === 'postgres' ? await createTempDatabase() : undefined;
      const store = openStore({ dataDir, databaseUrl: database?.url });
      try {
        assert.equal(store.engine, engine);
        assert.deepEqual(await migrate(store.db), ['001_iam', '002_workmail', '003_workmail_rules', '004_workmail_settings', '005_workmail_delegates', '006_workmail_default_rules', '007_mail', '008_outbound', '009_imap']);
        assert.deepEqual(await migrate(store.db), []);
        await store.db.insertInto('accounts').values(account('111111111111', 'A@example.com')).execute();
        const duplicate = await store.db
          .insertInto('accounts')
          .values(account('222222222222', 'a@example.com'))
          .execute()
          .then(() => undefined, (error: unknown) => error);
        assert.ok(isUniqueViolation(duplicate), `a second account with the same email (any case) is refused: ${String(duplicate)}`);
        if (engine === 'sqlite') {
          const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
          const synchronous = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
          assert.equal(journal.rows[0]?.journal_mode, 'wal');
          assert.equal(synchronous.rows[0]?.synchronous, 2, 'synchronous=FULL');
        }
      } finally {
        await store.close();
        await database?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
