// 50 SMTP sessions at once, all delivering to one mailbox through the real MX listener and the
// real mailbox store (group commit folding their deliveries together), on both engines. The
// Inbox must come out as IMAP needs it: UIDs 1..N without a gap or a repeat for the N messages
// accepted, UIDNEXT N+1, the counters equal to the rows, MODSEQs distinct.
//
// The listener is started here rather than by the server so that its per-IP session limit (20 by
// default, docs/mail.md) can admit 50 sessions from loopback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { CreateOrganizationCommand, CreateUserCommand, RegisterToWorkMailCommand } from '@aws-sdk/client-workmail';
import { checkMailStore } from '../../src/mail/store/consistency.ts';
import { mailDnsResolver } from '../../src/mail/authentication/resolver.ts';
import { startMxListener, type MxListener } from '../../src/smtp/mx-server.ts';
import { prepareCertificate } from '../../src/tls/certificate.ts';
import { createLogger } from '../../src/log/logger.ts';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.ts';

const SESSIONS = 50;
const PER_SESSION = 4;

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`${SESSIONS} concurrent SMTP sessions into one mailbox (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let dns: TestDnsServer;
    let mx: MxListener;
    let userId: string;
    const domain = `many-${engine}.godwit.localhost`;

    before(async () => {
      dns = await startDnsServer();
      t = await startTestServer({ engine });
      const wm = t.workmail();
      const orgId = (await wm.send(new CreateOrganizationCommand({ Alias: `many-${engine}` }))).OrganizationId!;
      userId = (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: 'busy', DisplayName: 'Busy' }))).UserId!;
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: userId, Email: `busy@${domain}` }));
      mx = await startMxListener({
        db: t.server.store.db,
        delivery: t.server.mail.delivery,
        certificate: await prepareCertificate({ dataDir: t.dataDir, mailHost: 'mx.godwit.test', tlsCertFile: undefined, tlsKeyFile: undefined }, new Date()),
        hostName: 'mx.godwit.test',
        resolver: await mailDnsResolver(dns.address),
        host: '127.0.0.1',
        port: 0,
        limits: { maxSessionsPerIp: SESSIONS + 10 },
        logger: createLogger('silent'),
      });
    });
    after(async () => {
      await mx?.close();
      await t?.stop();
      await dns?.stop();
    });

    test('UIDs are 1..N without gaps or repeats, UIDNEXT is N+1 and the counters match the rows', async () => {
      let accepted = 0;
      const refusals: string[] = [];
      const session = async (s: number) => {
        // One pooled connection per transport: one SMTP session carrying all of its messages.
        const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mx.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
        try {
          for (let i = 0; i < PER_SESSION; i++) {
            try {
              const info = await transport.sendMail({
                from: `sender${s}@many.example`,
                to: `busy@${domain}`,
                subject: `session ${s} message ${i}`,
                messageId: `<many-${s}-${i}@many.example>`,
                text: `Message ${i} of session ${s}.\n`,
              });
              if (/^250 /.test(info.response)) accepted++;
            } catch (error) {
              refusals.push((error as Error).message);
            }
          }
        } finally {
          transport.close();
        }
      };
      await Promise.all(Array.from({ length: SESSIONS }, (_, s) => session(s)));
      assert.deepEqual(refusals, []);
      assert.equal(accepted, SESSIONS * PER_SESSION);

      const { db } = t.server.store;
      const inbox = await db.selectFrom('mail_folders').selectAll().where('mailbox_id', '=', userId).where('name', '=', 'Inbox').executeTakeFirstOrThrow();
      const rows = await db.selectFrom('mail_messages').select(['uid', 'modseq', 'size', 'envelope']).where('folder_id', '=', inbox.id).orderBy('uid').execute();
      const n = accepted;
      assert.deepEqual(
        rows.map((row) => Number(row.uid)),
        Array.from({ length: n }, (_, i) => i + 1),
        'UIDs 1..N in order, no gap, no repeat',
      );
      assert.equal(Number(inbox.uid_next), n + 1, 'UIDNEXT');
      assert.equal(Number(inbox.messages), n);
      assert.equal(Number(inbox.unseen), n);
      assert.equal(Number(inbox.bytes), rows.reduce((sum, row) => sum + Number(row.size), 0));
      const modseqs = new Set(rows.map((row) => Number(row.modseq)));
      assert.equal(modseqs.size, n, 'MODSEQs distinct');
      assert.equal(Number(inbox.highest_modseq), Math.max(...modseqs));
      const ids = new Set(rows.map((row) => (JSON.parse(row.envelope) as { messageId: string }).messageId));
      assert.equal(ids.size, n, 'each message once');
      assert.deepEqual(await checkMailStore(db, t.server.mail.blobs), []);
    });
  });
}
