// The outbound queue against a real remote MX (smtp-server on loopback) found through the test
// DNS server, on both engines: DKIM-signed delivery that mailauth verifies against the key in
// DNS; 451 retried with backoff and visible in the admin list meanwhile; 550 and expiry each
// filing an RFC 3464 DSN in the sender's Inbox; a queued message surviving a restart (and the
// orphan sweeper); and a smarthost relay that requires AUTH over verified STARTTLS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { authenticate } from 'mailauth';
import { listQueue } from '../../src/mail/outbound/admin.ts';
import { mailDnsResolver } from '../../src/mail/authentication/resolver.ts';
import type { OutboundService } from '../../src/mail/outbound/service.ts';
import type { MailService } from '../../src/mail/store/service.ts';
import type { Store } from '../../src/store/database.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import type { Engine } from '../helpers/smtp.ts';
import { loopbackCertificate, MAIL_HOST, OutboundWorld, REMOTE_DOMAIN, RemoteMx, SIGNED_DOMAIN, submitted, until } from '../helpers/outbound.ts';

const MINUTE = 60_000;

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`outbound queue (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let world: OutboundWorld;
    let remote: RemoteMx;
    let store: Store;
    let outbound: OutboundService;
    let mail: MailService;

    before(async () => {
      world = await OutboundWorld.create(engine);
      remote = await RemoteMx.start();
      store = await world.openStore();
      ({ outbound, mail } = await world.service(store, { port: remote.port, maxAgeMs: 24 * 60 * MINUTE }));
    });
    after(async () => {
      await world.close();
      await remote.stop();
    });

    const enqueue = (subject: string, recipients: string[], sender = `alice@${SIGNED_DOMAIN}`) =>
      outbound.enqueue({
        raw: submitted(subject, recipients),
        sender,
        recipients,
        orgId: world.directory.orgId,
        senderMailboxId: world.directory.alice.id,
        receivedAt: world.clock.now(),
      });
    const receivedWith = (subject: string) => remote.received.filter((message) => message.raw.toString().includes(`Subject: ${subject}\r\n`));
    const entriesOf = async (queueId: string) => (await listQueue(store.db, world.clock.now())).filter((entry) => entry.queueId === queueId);
    const inbox = async () => {
      const rows = await store.db
        .selectFrom('mail_messages')
        .innerJoin('mail_folders', 'mail_folders.id', 'mail_messages.folder_id')
        .select(['mail_messages.blob_id', 'mail_messages.body_structure'])
        .where('mail_messages.mailbox_id', '=', world.directory.alice.id)
        .where('mail_folders.name', '=', 'Inbox')
        .orderBy('mail_messages.uid')
        .execute();
      return Promise.all(rows.map(async (row) => ({ raw: (await mail.blobs.read(row.blob_id)).toString('utf8'), structure: JSON.parse(row.body_structure) })));
    };

    test('the remote MX receives the message DKIM-signed, and the signature verifies against the key in DNS', async () => {
      const { queueId } = await enqueue('signed', [`bob@${REMOTE_DOMAIN}`, `carol@${REMOTE_DOMAIN}`]);
      await until('delivery', () => receivedWith('signed').length === 1);
      const [message] = receivedWith('signed');
      assert.deepEqual(message!.to.sort(), [`bob@${REMOTE_DOMAIN}`, `carol@${REMOTE_DOMAIN}`]);
      assert.equal(message!.from, `alice@${SIGNED_DOMAIN}`);
      assert.ok(message!.secure, 'STARTTLS was used when offered');
      const text = message!.raw.toString('latin1');
      assert.match(text, /^DKIM-Signature: .*d=acme\.example/s);
      assert.doesNotMatch(text, /[^\r]\n/, 'no bare LF');
      assert.match(text, /\r\n\.leading dot line\r\n/, 'a leading dot arrives unstuffed');
      const result = await authenticate(message!.raw, {
        ip: '127.0.0.1',
        helo: MAIL_HOST,
        sender: message!.from,
        mta: 'mx.remote.example',
        resolver: await mailDnsResolver(world.dns.address, 1000),
      });
      const dkim = result.dkim.results[0]!;
      assert.equal(dkim.status.result, 'pass', JSON.stringify(dkim.status));
      assert.equal(dkim.signingDomain, SIGNED_DOMAIN);
      await until('queue emptied', async () => (await entriesOf(queueId)).length === 0);
    });

    test('a test-domain sender (no verified key) is sent unsigned', async () => {
      await outbound.enqueue({
        raw: submitted('unsigned', [`bob@${REMOTE_DOMAIN}`], world.directory.alice.email),
        sender: world.directory.alice.email,
        recipients: [`bob@${REMOTE_DOMAIN}`],
        orgId: world.directory.orgId,
        senderMailboxId: world.directory.alice.id,
        receivedAt: world.clock.now(),
      });
      await until('delivery', () => receivedWith('unsigned').length === 1);
      assert.doesNotMatch(receivedWith('unsigned')[0]!.raw.toString(), /DKIM-Signature/);
    });

    test('451 is retried with backoff until delivered; state, attempts and last error show in the list meanwhile', async () => {
      remote.onRcpt = (address, seen) => (address === `slow@${REMOTE_DOMAIN}` && seen <= 2 ? { code: 451, message: '4.7.1 greylisted, try again later' } : undefined);
      const { queueId } = await enqueue('greylisted', [`slow@${REMOTE_DOMAIN}`]);
      await until('first deferral', async () => (await entriesOf(queueId))[0]?.attempts === 1 && (await entriesOf(queueId))[0]?.state === 'deferred');
      let [entry] = await entriesOf(queueId);
      assert.match(entry!.lastError!, /^451 4\.7\.1 greylisted/);
      assert.equal(entry!.nextAttemptAt, new Date(world.clock.now().getTime() + MINUTE).toISOString(), 'first retry after the base delay');
      assert.equal(entry!.id, `${queueId}.1`);

      // Not due yet: a wake changes nothing.
      await outbound.runOnce();
      assert.equal((await entriesOf(queueId))[0]!.attempts, 1);

      world.clock.advance(MINUTE);
      outbound.wake();
      await until('second deferral', async () => (await entriesOf(queueId))[0]?.attempts === 2 && (await entriesOf(queueId))[0]?.state === 'deferred');
      [entry] = await entriesOf(queueId);
      assert.equal(entry!.nextAttemptAt, new Date(world.clock.now().getTime() + 2 * MINUTE).toISOString(), 'the delay doubles');

      world.clock.advance(2 * MINUTE);
      outbound.wake();
      await until('delivery', () => receivedWith('greylisted').length === 1);
      await until('queue emptied', async () => (await entriesOf(queueId)).length === 0);
      assert.equal(remote.rcpts.filter((address) => address === `slow@${REMOTE_DOMAIN}`).length, 3);
      remote.onRcpt = () => undefined;
    });

    test('550 files a DSN (multipart/report) in the sender\'s Inbox and ends the entry; the other recipient is delivered', async () => {
      remote.onRcpt = (address) => (address === `nobody@${REMOTE_DOMAIN}` ? { code: 550, message: '5.1.1 nobody: no such user here' } : undefined);
      const before = (await inbox()).length;
      const { queueId } = await enqueue('rejected', [`nobody@${REMOTE_DOMAIN}`, `bob@${REMOTE_DOMAIN}`]);
      await until('the DSN', async () => (await inbox()).length === before + 1);
      await until('queue emptied', async () => (await entriesOf(queueId)).length === 0);
      assert.deepEqual(receivedWith('rejected')[0]!.to, [`bob@${REMOTE_DOMAIN}`]);
      const dsn = (await inbox())[before]!;
      assert.equal(dsn.structure.type, 'multipart');
      assert.equal(dsn.structure.subtype, 'report');
      assert.equal(dsn.structure.params['report-type'], 'delivery-status');
      assert.deepEqual(
        dsn.structure.parts.map((part: { type: string; subtype: string }) => `${part.type}/${part.subtype}`),
        ['text/plain', 'message/delivery-status', 'text/rfc822-headers'],
      );
      assert.match(dsn.raw, /^To: <alice@acme\.example>\r$/m);
      assert.match(dsn.raw, /^Final-Recipient: rfc822; nobody@remote\.example\r$/m);
      assert.match(dsn.raw, /^Action: failed\r$/m);
      assert.match(dsn.raw, /^Status: 5\.1\.1\r$/m);
      assert.match(dsn.raw, /^Remote-MTA: dns; mx\.remote\.example\r$/m);
      assert.match(dsn.raw, /^Diagnostic-Code: smtp; 550 5\.1\.1 nobody: no such user here\r$/m);
      assert.match(dsn.raw, /^Subject: rejected\r$/m, 'the original header is quoted');
      assert.doesNotMatch(dsn.raw, /bob@remote\.example\r\nAction/, 'the delivered recipient is not reported');
      assert.doesNotMatch(dsn.raw, /[^\r]\n/, 'no bare LF');
      remote.onRcpt = () => undefined;
    });

    test('a recipient still failing past the maximum age is bounced (5.4.7) with the last error', async () => {
      remote.onRcpt = (address) => (address === `later@${REMOTE_DOMAIN}` ? { code: 452, message: '4.2.2 mailbox full' } : undefined);
      const before = (await inbox()).length;
      const { queueId } = await enqueue('expiring', [`later@${REMOTE_DOMAIN}`]);
      await until('first deferral', async () => (await entriesOf(queueId))[0]?.attempts === 1);
      world.clock.advance(25 * 60 * MINUTE);
      outbound.wake();
      await until('the DSN', async () => (await inbox()).length === before + 1);
      await until('queue emptied', async () => (await entriesOf(queueId)).length === 0);
      const dsn = (await inbox())[before]!.raw;
      assert.match(dsn, /^Final-Recipient: rfc822; later@remote\.example\r$/m);
      assert.match(dsn, /^Status: 5\.4\.7\r$/m);
      assert.match(dsn, /^Diagnostic-Code: smtp; 452 4\.2\.2 mailbox full\r$/m);
      remote.onRcpt = () => undefined;
    });

    test('a bounce (null sender) that fails is not bounced again', async () => {
      remote.onRcpt = (address) => (address === `gone@${REMOTE_DOMAIN}` ? { code: 550, message: '5.1.1 gone' } : undefined);
      const before = (await inbox()).length;
      const { queueId } = await enqueue('nullsender', [`gone@${REMOTE_DOMAIN}`], '');
      await until('queue emptied', async () => (await entriesOf(queueId)).length === 0);
      await outbound.settled();
      assert.equal((await inbox()).length, before);
      remote.onRcpt = () => undefined;
    });

    test('an MX host whose STARTTLS handshake fails is tried again at once in clear', async () => {
      await world.stopServices();
      // An EC certificate with only RSA-authenticated TLS 1.2 suites: no handshake can succeed.
      const broken = await RemoteMx.start({ tls: { ...(await loopbackCertificate()), ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', maxVersion: 'TLSv1.2' } });
      try {
        const brokenStore = await world.openStore();
        const { outbound: sender } = await world.service(brokenStore, { port: broken.port });
        await sender.enqueue({ raw: submitted('cleartext', [`bob@${REMOTE_DOMAIN}`]), sender: `alice@${SIGNED_DOMAIN}`, recipients: [`bob@${REMOTE_DOMAIN}`], orgId: world.directory.orgId, senderMailboxId: world.directory.alice.id, receivedAt: world.clock.now() });
        await until('delivery in clear', () => broken.received.length === 1);
        assert.equal(broken.received[0]!.secure, false);
        assert.match(String(broken.errors[0]), /no shared cipher/, 'the first try did fail in the handshake');
        await sender.stop();
      } finally {
        await broken.stop();
      }
    });

    test('a queued message survives a restart (and the orphan sweeper) and is delivered after it', async () => {
      // The MX host has no address yet: the first attempt is deferred.
      await world.stopServices();
      world.dns.set('restart.example', 'MX', [{ type: 'MX', preference: 5, exchange: 'mx.restart.example' }]);
      const first = await world.openStore();
      const { outbound: before, mail: beforeMail } = await world.service(first, { port: remote.port });
      const raw = submitted('restart', ['dora@restart.example']);
      const { queueId } = await before.enqueue({ raw, sender: `alice@${SIGNED_DOMAIN}`, recipients: ['dora@restart.example'], orgId: world.directory.orgId, senderMailboxId: world.directory.alice.id, receivedAt: world.clock.now() });
      await until('deferral', async () => (await listQueue(first.db, world.clock.now())).find((entry) => entry.queueId === queueId)?.attempts === 1);
      const [entry] = (await listQueue(first.db, world.clock.now())).filter((one) => one.queueId === queueId);
      assert.match(entry!.lastError!, /no address for the mail hosts of restart\.example/);
      assert.equal((await beforeMail.sweepOrphans(0)).removed.length, 0, 'the sweeper keeps a queued body');
      await before.stop();
      await first.close();

      world.dns.set('mx.restart.example', 'A', [{ type: 'A', address: '127.0.0.1' }]);
      world.clock.advance(MINUTE);
      const second = await world.openStore();
      await world.service(second, { port: remote.port });
      await until('delivery after the restart', () => receivedWith('restart').length === 1);
      assert.deepEqual(receivedWith('restart')[0]!.to, ['dora@restart.example']);
      await until('queue emptied', async () => (await listQueue(second.db, world.clock.now())).every((one) => one.queueId !== queueId));
    });

    test('through a smarthost: AUTH with the URL\'s credentials over verified STARTTLS, all domains in one transaction', async () => {
      await world.stopServices();
      const certificate = await loopbackCertificate();
      const relay = await RemoteMx.start({ auth: { user: 'relay-user', pass: 'p@ss:word' }, tls: certificate });
      try {
        const relayStore = await world.openStore();
        const { outbound: relayed } = await world.service(relayStore, {
          port: 9, // MX delivery would fail: everything must go to the relay
          relayUrl: `smtp://relay-user:p%40ss%3Aword@127.0.0.1:${relay.port}`,
          relayTls: { ca: certificate.cert },
        });
        await relayed.enqueue({
          raw: submitted('relayed', ['x@one.example', 'y@two.example']),
          sender: `alice@${SIGNED_DOMAIN}`,
          recipients: ['x@one.example', 'y@two.example'],
          orgId: world.directory.orgId,
          senderMailboxId: world.directory.alice.id,
          receivedAt: world.clock.now(),
        });
        await until('relay delivery', () => relay.received.length === 1);
        const [message] = relay.received;
        assert.deepEqual(message!.to.sort(), ['x@one.example', 'y@two.example']);
        assert.equal(message!.user, 'relay-user');
        assert.ok(message!.secure);
        assert.match(message!.raw.toString(), /^DKIM-Signature: /);
      } finally {
        await relay.stop();
      }
    });

    test('a smarthost refusing the credentials defers (the configuration is at fault, not the recipient)', async () => {
      await world.stopServices();
      const certificate = await loopbackCertificate();
      const relay = await RemoteMx.start({ auth: { user: 'relay-user', pass: 'right' }, tls: certificate });
      try {
        const relayStore = await world.openStore();
        const { outbound: relayed } = await world.service(relayStore, {
          port: 9,
          relayUrl: `smtp://relay-user:wrong@127.0.0.1:${relay.port}`,
          relayTls: { ca: certificate.cert },
        });
        const { queueId } = await relayed.enqueue({
          raw: submitted('badauth', ['x@one.example']),
          sender: `alice@${SIGNED_DOMAIN}`,
          recipients: ['x@one.example'],
          orgId: world.directory.orgId,
          senderMailboxId: world.directory.alice.id,
          receivedAt: world.clock.now(),
        });
        await until('deferral', async () => (await entriesOf(queueId))[0]?.attempts === 1);
        const [entry] = await entriesOf(queueId);
        assert.equal(entry!.state, 'deferred');
        assert.match(entry!.lastError!, /authentication failed/);
        assert.doesNotMatch(entry!.lastError!, /wrong/, 'the password is not recorded');
        assert.equal(relay.received.length, 0);
        await relayed.stop();
        const { deleteQueueEntry } = await import('../../src/mail/outbound/admin.ts');
        await deleteQueueEntry(store.db, queueId);
      } finally {
        await relay.stop();
      }
    });
  });
}
