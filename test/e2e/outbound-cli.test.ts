// `godwit queue list/retry/delete` as a user runs them (the real binary, its own process) on a
// data folder whose queue holds a message deferred by a real attempt (its DNS server is dead),
// on both engines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.ts';
import { createLogger } from '../../src/log/logger.ts';
import { mailDnsResolver } from '../../src/mail/authentication/resolver.ts';
import { MailService } from '../../src/mail/store/service.ts';
import { OutboundService } from '../../src/mail/outbound/service.ts';
import { loadServerKey } from '../../src/security/secret-box.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { godwit } from '../helpers/cli.ts';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../helpers/postgres.ts';
import type { Engine } from '../helpers/smtp.ts';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`godwit queue (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let dir: string;
    let database: TempDatabase | undefined;
    let store: Store;
    let mail: MailService;
    let queueId: string;
    const env = () => ({ GODWIT_DATABASE_URL: database?.url });
    const queue = (...args: string[]) => godwit(['queue', ...args, '--data', join(dir, 'data')], env());
    const list = async () => {
      const result = await queue('list', '--json');
      assert.equal(result.code, 0, result.stderr);
      return (JSON.parse(result.stdout) as { entries: { id: string; queueId: string; recipient: string; state: string; attempts: number; nextAttemptAt: string; lastError: string | null; ageSeconds: number }[] }).entries;
    };

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'godwit-queue-cli-'));
      if (engine === 'postgres') database = await createTempDatabase();
      const init = await godwit(['init', '--data', join(dir, 'data'), '--json'], env());
      assert.equal(init.code, 0, init.stderr);
      store = openStore({ dataDir: join(dir, 'data'), databaseUrl: database?.url });
      mail = new MailService({ store, dataDir: join(dir, 'data'), clock: systemClock, defaultQuotaMb: 50 });
      const outbound = new OutboundService({
        store,
        blobs: mail.blobs,
        delivery: mail.delivery,
        box: loadServerKey(join(dir, 'data')),
        // Nobody answers there: the MX lookup times out and the recipients are deferred.
        resolver: await mailDnsResolver('127.0.0.1:9', 200),
        clock: systemClock,
        logger: createLogger('silent'),
        mailHost: 'mail.godwit.test',
      });
      const raw = Buffer.from('From: a@acme.example\r\nTo: x@far.example\r\nSubject: cli\r\n\r\nbody\r\n');
      ({ queueId } = await outbound.enqueue({ raw, sender: 'a@acme.example', recipients: ['x@far.example', 'y@far.example'], orgId: 'm-none', senderMailboxId: undefined, receivedAt: new Date() }));
      await outbound.settled();
      await outbound.stop();
    });
    after(async () => {
      await store.close();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('list shows each recipient with its state, attempts, next try, last error and age', async () => {
      const entries = await list();
      assert.deepEqual(
        entries.map((entry) => [entry.id, entry.queueId, entry.recipient, entry.state, entry.attempts]),
        [
          [`${queueId}.1`, queueId, 'x@far.example', 'deferred', 1],
          [`${queueId}.2`, queueId, 'y@far.example', 'deferred', 1],
        ],
      );
      assert.match(entries[0]!.lastError!, /MX lookup of far\.example failed/);
      assert.ok(Date.parse(entries[0]!.nextAttemptAt) > Date.now(), 'the next try is in the future');
      assert.ok(entries[0]!.ageSeconds >= 0);
      const text = await queue('list');
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^ID\s+RECIPIENT\s+STATE\s+ATTEMPTS\s+NEXT TRY\s+AGE\s+LAST ERROR$/m);
      assert.match(text.stdout, new RegExp(`^${queueId}\\.1\\s+x@far\\.example\\s+deferred\\s+1\\s`, 'm'));
    });

    test('retry makes one entry, or all, due now', async () => {
      let result = await queue('retry', `${queueId}.1`);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, '1 recipient due now\n');
      let entries = await list();
      assert.ok(Date.parse(entries[0]!.nextAttemptAt) <= Date.now());
      assert.ok(Date.parse(entries[1]!.nextAttemptAt) > Date.now());
      result = await queue('retry', '--all');
      assert.equal(result.stdout, '2 recipients due now\n');
      entries = await list();
      assert.ok(entries.every((entry) => Date.parse(entry.nextAttemptAt) <= Date.now()));
    });

    test('retry and delete refuse an unknown id, and retry wants an id or --all', async () => {
      for (const args of [['retry', 'nope'], ['delete', 'nope']]) {
        const result = await queue(...args);
        assert.equal(result.code, 1);
        assert.match(result.stderr, /no queue entry 'nope'/);
      }
      const neither = await queue('retry');
      assert.equal(neither.code, 1);
      assert.match(neither.stderr, /give one id, or --all/);
    });

    test('delete removes one entry, then the message with its last recipient', async () => {
      let result = await queue('delete', `${queueId}.1`);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, '1 recipient deleted\n');
      assert.deepEqual((await list()).map((entry) => entry.id), [`${queueId}.2`]);
      result = await queue('delete', queueId);
      assert.equal(result.stdout, '1 recipient deleted\n');
      assert.deepEqual(await list(), []);
      assert.equal((await queue('list')).stdout, 'The outbound queue is empty.\n');
      const messages = await store.db.selectFrom('mail_outbound_messages').select('id').execute();
      assert.deepEqual(messages, []);
    });
  });
}
