// SPF, DKIM and DMARC on the MX against a loopback DNS server, on both engines: results recorded
// in Authentication-Results, and the organization's inbound DMARC setting deciding whether a
// From domain's p=reject (550 5.7.1) and p=quarantine (Junk E-mail) are honoured.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import nodemailer from 'nodemailer';
import { putInboundDmarc } from '../../src/workmail/monitoring.ts';
import { dmarcDisposition } from '../../src/mail/authentication/dmarc-policy.ts';
import { makeDirectory, openTestStore, RecordingDelivery, startTestMx, type MailDirectory, type TestStore } from '../helpers/smtp.ts';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import type { MxListener } from '../../src/smtp/mx-server.ts';

test('DMARC disposition: only an enforcing organization acts, and pct= steps reject down to quarantine', () => {
  const fail = (policy: string, pct = 100) => ({ result: 'fail', policy, domain: 'd.example', pct });
  assert.equal(dmarcDisposition(fail('reject'), false), 'deliver');
  assert.equal(dmarcDisposition(fail('reject'), true), 'reject');
  assert.equal(dmarcDisposition(fail('quarantine'), true), 'junk');
  assert.equal(dmarcDisposition(fail('none'), true), 'deliver');
  assert.equal(dmarcDisposition({ ...fail('reject'), result: 'pass' }, true), 'deliver');
  assert.equal(dmarcDisposition(undefined, true), 'deliver');
  assert.equal(dmarcDisposition(fail('reject', 50), true, 0.2), 'reject');
  assert.equal(dmarcDisposition(fail('reject', 50), true, 0.7), 'junk');
  assert.equal(dmarcDisposition(fail('quarantine', 50), true, 0.7), 'deliver');
});

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`inbound authentication (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestStore;
    let dir: MailDirectory;
    let dns: TestDnsServer;
    let delivery: RecordingDelivery;
    let mx: MxListener;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicKeyBase64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

    before(async () => {
      t = await openTestStore(engine);
      dir = await makeDirectory(t.store.db, t.box);
      dns = await startDnsServer();
      // Passes SPF from loopback.
      dns.setTxt('good.example', 'v=spf1 ip4:127.0.0.1 -all');
      dns.setTxt('_dmarc.good.example', 'v=DMARC1; p=reject');
      // Fails SPF, no DKIM: fails DMARC.
      dns.setTxt('reject.example', 'v=spf1 -all');
      dns.setTxt('_dmarc.reject.example', 'v=DMARC1; p=reject');
      dns.setTxt('quarantine.example', 'v=spf1 -all');
      dns.setTxt('_dmarc.quarantine.example', 'v=DMARC1; p=quarantine');
      // Fails SPF but passes DKIM, aligned: passes DMARC.
      dns.setTxt('signed.example', 'v=spf1 -all');
      dns.setTxt('_dmarc.signed.example', 'v=DMARC1; p=reject');
      dns.setTxt('sel1._domainkey.signed.example', `v=DKIM1; k=rsa; p=${publicKeyBase64}`);
      delivery = new RecordingDelivery();
      mx = await startTestMx(t, { delivery, dnsServer: dns.address });
    });
    after(async () => {
      await mx.close();
      await dns.stop();
      await t.close();
    });

    const send = async (from: string, dkim?: object) => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mx.port, secure: false, ignoreTLS: true, name: 'client.outside.example', ...(dkim ? { dkim } : {}) });
      try {
        return await transport.sendMail({ from, to: dir.alice.email, subject: `from ${from}`, text: 'hello' });
      } finally {
        transport.close();
      }
    };
    const lastStored = () => delivery.delivered[delivery.delivered.length - 1];
    const authResults = (raw: Buffer) => /^Authentication-Results: mx\.godwit\.test;[^]*?\r\n(?=\S)/m.exec(raw.toString())?.[0] ?? '';

    test('SPF pass aligns with the From domain: DMARC passes, delivered to Inbox, results recorded', async () => {
      await putInboundDmarc(t.store.db, dir.orgId, true);
      await send('someone@good.example');
      const stored = lastStored();
      assert.equal(stored.targets[0].folder, 'Inbox');
      const results = authResults(stored.raw);
      assert.match(results, /spf=pass/);
      assert.match(results, /dmarc=pass/);
      assert.match(stored.raw.toString(), /^Received-SPF: pass/m);
    });

    test('DMARC fail with p=reject: delivered while the organization does not enforce, 550 5.7.1 once it does', async () => {
      await putInboundDmarc(t.store.db, dir.orgId, false);
      const before = delivery.delivered.length;
      await send('someone@reject.example');
      assert.equal(delivery.delivered.length, before + 1);
      assert.equal(lastStored().targets[0].folder, 'Inbox');
      assert.match(authResults(lastStored().raw), /dmarc=fail/);
      await putInboundDmarc(t.store.db, dir.orgId, true);
      await assert.rejects(send('someone@reject.example'), (error: Error & { responseCode?: number; response?: string }) => {
        assert.equal(error.responseCode, 550);
        assert.match(error.response ?? '', /^550 5\.7\.1 Message refused: it fails DMARC and reject\.example publishes p=reject/);
        return true;
      });
      assert.equal(delivery.delivered.length, before + 1, 'nothing stored for the refused message');
    });

    test('DMARC fail with p=quarantine goes to Junk E-mail when enforced, to Inbox when not', async () => {
      await putInboundDmarc(t.store.db, dir.orgId, true);
      await send('someone@quarantine.example');
      assert.equal(lastStored().targets[0].folder, 'Junk E-mail');
      await putInboundDmarc(t.store.db, dir.orgId, false);
      await send('someone@quarantine.example');
      assert.equal(lastStored().targets[0].folder, 'Inbox');
    });

    test('an aligned DKIM signature (nodemailer signs) passes DMARC although SPF fails', async () => {
      await putInboundDmarc(t.store.db, dir.orgId, true);
      await send('someone@signed.example', { domainName: 'signed.example', keySelector: 'sel1', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) });
      const results = authResults(lastStored().raw);
      assert.match(results, /dkim=pass header\.i=@signed\.example header\.s=sel1/);
      assert.match(results, /spf=fail/);
      assert.match(results, /dmarc=pass/);
      assert.equal(lastStored().targets[0].folder, 'Inbox');
    });

    test('a dead DNS server does not lose mail: results are temporary errors and the message is stored', async () => {
      await putInboundDmarc(t.store.db, dir.orgId, true);
      dns.setSilent(true);
      try {
        const before = delivery.delivered.length;
        await send('someone@reject.example');
        assert.equal(delivery.delivered.length, before + 1);
        assert.match(authResults(lastStored().raw), /spf=temperror/);
      } finally {
        dns.setSilent(false);
      }
    });
  });
}
