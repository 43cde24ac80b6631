// Bootstrapping a data folder survives a crash: the first account commits as one transaction,
// and a folder whose `init` stopped after the server key but before that commit is completed
// by the next `init` or `serve` instead of being left unusable.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/config.ts';
import { createAccount } from '../../src/iam/accounts.ts';
import { createServerKey } from '../../src/security/secret-box.ts';
import { initialise, needsInitialisation } from '../../src/server/bootstrap.ts';
import { migrate, openStore } from '../../src/store/database.ts';
import { createTempDatabase, postgresAvailable } from '../helpers/postgres.ts';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`bootstrap (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    test('an account whose last step fails leaves nothing behind', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'godwit-boot-'));
      const database = engine === 'postgres' ? await createTempDatabase() : undefined;
      const store = openStore({ dataDir, databaseUrl: database?.url });
      try {
        await migrate(store.db);
        // The access key is the bootstrap's last step: without its table, the step fails.
        await sql`drop table access_keys`.execute(store.db);
        await assert.rejects(createAccount(store.db, createServerKey(dataDir), { email: 'a@example.com', password: 'long password 1' }, new Date()));
        for (const table of ['accounts', 'users', 'groups', 'group_members', 'policy_attachments'] as const) {
          const { n } = await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
          assert.equal(Number(n), 0, `${table} is empty`);
        }
      } finally {
        await store.close();
        await database?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    test('init completes a folder that has its key but never got its account, then refuses to run again', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'godwit-boot-'));
      const database = engine === 'postgres' ? await createTempDatabase() : undefined;
      const config = loadConfig({ data: dataDir, httpPort: 0 }, { GODWIT_DATABASE_URL: database?.url });
      try {
        createServerKey(dataDir); // as an init stopped right after writing the key
        assert.equal(await needsInitialisation(config), true);
        const result = await initialise(config, { password: 'long password 1' });
        assert.match(result.accountId, /^\d{12}$/);
        assert.equal(readFileSync(join(dataDir, 'admin_accessKeys.csv'), 'utf8'), `Access key ID,Secret access key\n${result.accessKeyId},${result.secretAccessKey}\n`);
        assert.equal(await needsInitialisation(config), false);
        await assert.rejects(initialise(config, { password: 'long password 1' }), /already initialised/);
      } finally {
        await database?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
