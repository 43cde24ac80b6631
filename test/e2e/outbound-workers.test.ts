// Two queue workers on one queue deliver every recipient exactly once: on PostgreSQL two stores
// (two connection pools, as two processes would have) on one database; on SQLite two workers
// on one store. The recipients are all due at once and both workers poll every 20 ms with small
// batches, so their claims interleave.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log/logger.ts';
import { listQueue } from '../../src/mail/outbound/admin.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import type { Engine } from '../helpers/smtp.ts';
import { OutboundWorld, RemoteMx, SIGNED_DOMAIN, submitted, until } from '../helpers/outbound.ts';

const MESSAGES = 30;
const RECIPIENTS = ['ann', 'ben', 'cat'];

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`two outbound workers (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let world: OutboundWorld;
    let remote: RemoteMx;
    before(async () => {
      world = await OutboundWorld.create(engine);
      remote = await RemoteMx.start();
      remote.dataDelayMs = 10;
    });
    after(async () => {
      await world.close();
      await remote.stop();
    });

    test('every recipient is delivered exactly once', async () => {
      const storeA = await world.openStore();
      const storeB = engine === 'postgres' ? await world.openStore() : storeA;
      const options = { port: remote.port, pollEveryMs: 20, batchSize: 4, start: false };
      const delivered = { a: 0, b: 0 };
      const counting = (worker: 'a' | 'b') =>
        createLogger(
          'info',
          new Writable({
            write(chunk, _encoding, done) {
              if (JSON.parse(chunk.toString()).event === 'outbound.delivered') delivered[worker]++;
              done();
            },
          }),
        );
      const { outbound: a } = await world.service(storeA, { ...options, workerId: 'worker-a', logger: counting('a') });
      const { outbound: b } = await world.service(storeB, { ...options, workerId: 'worker-b', logger: counting('b') });
      // Queued while the MX host has no address: every recipient is deferred once, then all are due together.
      world.dns.set('many.example', 'MX', [{ type: 'MX', preference: 10, exchange: 'mx.many.example' }]);
      const subjects: string[] = [];
      for (let i = 0; i < MESSAGES; i++) {
        const subject = `burst-${i}`;
        subjects.push(subject);
        const recipients = RECIPIENTS.map((name) => `${name}@many.example`);
        await (i % 2 ? a : b).enqueue({ raw: submitted(subject, recipients), sender: `alice@${SIGNED_DOMAIN}`, recipients, orgId: world.directory.orgId, senderMailboxId: world.directory.alice.id, receivedAt: world.clock.now() });
      }
      await a.settled();
      await b.settled();
      const deferred = await listQueue(storeA.db, world.clock.now());
      assert.equal(deferred.length, MESSAGES * RECIPIENTS.length);
      assert.ok(deferred.every((entry) => entry.state === 'deferred' && entry.attempts === 1));

      world.dns.set('mx.many.example', 'A', [{ type: 'A', address: '127.0.0.1' }]);
      world.clock.advance(60_000);
      a.start();
      b.start();
      await until('the queue to empty', async () => (await listQueue(storeA.db, world.clock.now())).length === 0, 30_000);
      await a.stop();
      await b.stop();

      const deliveries = new Map<string, number>();
      for (const message of remote.received) {
        const subject = /^Subject: (.*)\r$/m.exec(message.raw.toString())![1]!;
        for (const to of message.to) deliveries.set(`${subject} ${to}`, (deliveries.get(`${subject} ${to}`) ?? 0) + 1);
      }
      const expected = subjects.flatMap((subject) => RECIPIENTS.map((name) => `${subject} ${name}@many.example`)).sort();
      assert.deepEqual([...deliveries.keys()].sort(), expected);
      const twice = [...deliveries].filter(([, count]) => count !== 1);
      assert.deepEqual(twice, [], 'no recipient delivered twice');
      // Both took part, or the test proved nothing about two workers.
      assert.equal(delivered.a + delivered.b, MESSAGES * RECIPIENTS.length);
      assert.ok(delivered.a > 0 && delivered.b > 0, `worker a delivered ${delivered.a}, worker b ${delivered.b}`);
    });
  });
}
