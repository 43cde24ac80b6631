// A store with one account, one organization and a few WorkMail users registered to it, for the
// mailbox store's tests on either engine. Rows are written directly: these tests are about mail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../src/clock.ts';
import { MailService } from '../../src/mail/store/service.ts';
import { migrate, openStore, type Store } from '../../src/store/database.ts';
import { createTempDatabase, type TempDatabase } from '../helpers/postgres.ts';

export const ACCOUNT = '111111111111';
export const ORG = 'm-' + 'a'.repeat(32);
export const CREATED = '2026-01-01T00:00:00.000Z';

export interface MailFixture {
  store: Store;
  mail: MailService;
  clock: ReturnType<typeof fixedClock>;
  dataDir: string;
  /** The PostgreSQL database's URL; undefined on SQLite. */
  databaseUrl: string | undefined;
  /** Closes the store (another process may then open the SQLite data folder)… */
  suspend(): Promise<void>;
  /** …and opens it again, with a fresh MailService. */
  resume(): Promise<void>;
  /** Adds a user (ENABLED unless said otherwise) and returns its id. */
  user(name: string, options?: { state?: string; quotaMb?: number | null }): Promise<string>;
  close(): Promise<void>;
}

export async function mailFixture(engine: 'sqlite' | 'postgres'): Promise<MailFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'godwit-mail-'));
  const database: TempDatabase | undefined = engine === 'postgres' ? await createTempDatabase() : undefined;
  const store = openStore({ dataDir, databaseUrl: database?.url });
  await migrate(store.db);
  await store.db.insertInto('accounts').values({ id: ACCOUNT, email: 'root@example.com', email_lower: 'root@example.com', root_password_hash: 'x', alias: null, password_policy: null, created_at: CREATED }).execute();
  await store.db
    .insertInto('wm_organizations')
    .values({
      id: ORG,
      account_id: ACCOUNT,
      alias: 'org-a',
      alias_lower: 'org-a',
      state: 'Active',
      default_mail_domain: 'org-a.example',
      directory_id: 'd-a',
      directory_type: 'WorkMail Directory',
      client_token: null,
      interoperability_enabled: 0,
      created_at: CREATED,
      completed_at: CREATED,
      deleted_at: null,
    })
    .execute();
  const clock = fixedClock(new Date('2026-06-01T12:00:00Z'));
  const service = (opened: Store) => new MailService({ store: opened, dataDir, clock, defaultQuotaMb: 51200, orphanGraceMs: 0 });
  let n = 0;
  const fixture: MailFixture = {
    store,
    mail: service(store),
    clock,
    dataDir,
    databaseUrl: database?.url,
    async suspend() {
      await fixture.mail.stop();
      await fixture.store.close();
    },
    async resume() {
      fixture.store = openStore({ dataDir, databaseUrl: database?.url });
      fixture.mail = service(fixture.store);
    },
    async user(name, options = {}) {
      const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
      await fixture.store.db
        .insertInto('wm_entities')
        .values({
          id,
          org_id: ORG,
          type: 'USER',
          name,
          name_lower: name.toLowerCase(),
          display_name: name,
          email: `${name}@org-a.example`,
          state: options.state ?? 'ENABLED',
          created_at: CREATED,
          enabled_at: CREATED,
          disabled_at: null,
          role: 'USER',
          hidden: 0,
          password_hash: null,
          mailbox_quota_mb: options.quotaMb === undefined ? 100 : options.quotaMb,
          attributes: '{}',
        })
        .execute();
      return id;
    },
    async close() {
      await fixture.mail.stop();
      await fixture.store.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** A small message, distinct per `n`, with CRLF line ends. */
export function message(n: number, body = `Hello number ${n}.`): Buffer {
  return Buffer.from(
    [`From: Alice <alice@example.com>`, `To: bob@org-a.example`, `Subject: Test ${n}`, `Message-ID: <m${n}@example.com>`, `Date: Mon, 1 Jun 2026 12:00:00 +0000`, '', body, ''].join('\r\n'),
  );
}
