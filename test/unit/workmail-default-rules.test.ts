// Migration 006 on both engines: organizations created while the default rules were still
// written on first use get the rules they never had, and a default an administrator deleted
// (its marker row is there, its rule is not) stays deleted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { migrate, openStore, type Store } from '../../src/store/database.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../helpers/postgres.ts';

const ACCOUNT = '111111111111';
const CREATED = '2025-01-01T00:00:00.000Z';

const orgId = (letter: string) => 'm-' + letter.repeat(32);

async function organization(store: Store, letter: string): Promise<string> {
  const id = orgId(letter);
  await store.db
    .insertInto('wm_organizations')
    .values({
      id,
      account_id: ACCOUNT,
      alias: `org-${letter}`,
      alias_lower: `org-${letter}`,
      state: 'Active',
      default_mail_domain: `org-${letter}.example`,
      directory_id: `d-${letter}`,
      directory_type: 'WorkMail Directory',
      client_token: null,
      interoperability_enabled: 0,
      created_at: CREATED,
      completed_at: CREATED,
      deleted_at: null,
    })
    .execute();
  return id;
}

const rule = (org: string, name: string) => ({ org_id: org, name, effect: 'ALLOW', description: 'x', conditions: '{}', created_at: CREATED, modified_at: CREATED });

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`migration 006: default rules for existing organizations (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let dataDir: string;
    let database: TempDatabase | undefined;
    let store: Store;

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'godwit-defaults-'));
      database = engine === 'postgres' ? await createTempDatabase() : undefined;
      store = openStore({ dataDir, databaseUrl: database?.url });
    });
    after(async () => {
      await store.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('writes the missing defaults with their markers, and leaves deleted ones deleted', async () => {
      const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
      const { error } = await migrator.migrateTo('005_workmail_delegates');
      if (error) throw error;
      await store.db
        .insertInto('accounts')
        .values({ id: ACCOUNT, email: 'a@example.com', email_lower: 'a@example.com', root_password_hash: 'x', alias: null, password_policy: null, created_at: CREATED })
        .execute();

      // Never used either rule set: no markers, no rules.
      const untouched = await organization(store, 'a');
      // Listed both rule sets, then deleted the default access rule and added rules of its own.
      const edited = await organization(store, 'b');
      await store.db.insertInto('wm_rule_defaults').values([{ org_id: edited, kind: 'access', installed_at: CREATED }, { org_id: edited, kind: 'mobile', installed_at: CREATED }]).execute();
      await store.db.insertInto('wm_access_control_rules').values(rule(edited, 'office')).execute();
      await store.db.insertInto('wm_mobile_access_rules').values({ ...rule(edited, 'default'), id: 'mobile-default-b', client_token: null }).execute();
      // Used access rules only.
      const half = await organization(store, 'c');
      await store.db.insertInto('wm_rule_defaults').values({ org_id: half, kind: 'access', installed_at: CREATED }).execute();
      await store.db.insertInto('wm_access_control_rules').values([rule(half, 'default'), rule(half, 'vpn')]).execute();

      assert.deepEqual(await migrate(store.db), ['006_workmail_default_rules', '007_mail', '008_outbound', '009_imap']);

      const accessRules = async (org: string) =>
        (await store.db.selectFrom('wm_access_control_rules').select('name').where('org_id', '=', org).orderBy('name').execute()).map((row) => row.name);
      const mobileRules = async (org: string) =>
        (await store.db.selectFrom('wm_mobile_access_rules').select(['id', 'name']).where('org_id', '=', org).orderBy('name').execute());
      const markers = async (org: string) =>
        (await store.db.selectFrom('wm_rule_defaults').select('kind').where('org_id', '=', org).orderBy('kind').execute()).map((row) => row.kind);

      assert.deepEqual(await accessRules(untouched), ['default']);
      const [defaultRule] = await store.db.selectFrom('wm_access_control_rules').selectAll().where('org_id', '=', untouched).execute();
      assert.deepEqual(
        { effect: defaultRule!.effect, description: defaultRule!.description, conditions: defaultRule!.conditions, created: defaultRule!.created_at },
        { effect: 'ALLOW', description: 'Default WorkMail Rule', conditions: '{}', created: CREATED },
        'the default allows everything and is dated with its organization',
      );
      assert.deepEqual((await mobileRules(untouched)).map((row) => row.name), ['default']);
      assert.deepEqual(await markers(untouched), ['access', 'mobile']);

      assert.deepEqual(await accessRules(edited), ['office'], 'a deleted default stays deleted');
      assert.deepEqual(await mobileRules(edited), [{ id: 'mobile-default-b', name: 'default' }]);
      assert.deepEqual(await markers(edited), ['access', 'mobile']);

      assert.deepEqual(await accessRules(half), ['default', 'vpn']);
      assert.deepEqual((await mobileRules(half)).map((row) => row.name), ['default']);
      assert.deepEqual(await markers(half), ['access', 'mobile']);
    });
  });
}
