// startSubmission, as the composition root calls it: nothing opens without a port; with both,
// two listeners on their ports, implicit TLS on one and STARTTLS on the other, and the
// certificate can be swapped for new sessions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as connectTls } from 'node:tls';
import { openTestStore, RawSmtp, RecordingDelivery, RecordingOutboundQueue, code, type TestStore } from '../helpers/smtp.ts';
import { startSubmission } from '../../src/smtp/start-submission.ts';
import { prepareCertificate } from '../../src/tls/certificate.ts';
import { createLogger } from '../../src/log/logger.ts';

let t: TestStore;
before(async () => {
  t = await openTestStore('sqlite');
});
after(() => t.close());

test('no port, no listener; both ports, both doors', async () => {
  const certificate = await prepareCertificate({ dataDir: t.dataDir, mailHost: 'smtp.godwit.test', tlsCertFile: undefined, tlsKeyFile: undefined }, new Date());
  const parts = { db: t.store.db, delivery: new RecordingDelivery(), outbound: new RecordingOutboundQueue(), certificate, logger: createLogger('silent') };
  assert.equal(await startSubmission({ host: '127.0.0.1', mailHost: 'smtp.godwit.test' }, parts), undefined);

  const door = await startSubmission({ host: '127.0.0.1', mailHost: 'smtp.godwit.test', smtpsPort: 0, submissionPort: 0 }, parts);
  assert.ok(door?.smtps && door.submission);
  assert.match(door.smtps.endpoint, /^smtps:\/\/127\.0\.0\.1:\d+$/);
  assert.match(door.submission.endpoint, /^smtp:\/\/127\.0\.0\.1:\d+$/);
  try {
    const greeting = await new Promise<string>((resolve, reject) => {
      const socket = connectTls({ port: door.smtps!.port, host: '127.0.0.1', rejectUnauthorized: false });
      socket.once('error', reject);
      socket.once('data', (chunk) => {
        resolve(String(chunk));
        socket.destroy();
      });
    });
    assert.match(greeting, /^220 smtp\.godwit\.test /, 'TLS from the first byte on the implicit-TLS port');
    const plain = await RawSmtp.open(door.submission.port);
    assert.equal(code(await plain.reply()), '220', 'a clear greeting on the STARTTLS port');
    plain.close();
    door.setCertificate(certificate);
  } finally {
    await door.close();
  }
});
