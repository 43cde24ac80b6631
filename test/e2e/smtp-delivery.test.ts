// Inbound mail end to end, on both engines: a real `godwit` server (startServer) with
// GODWIT_SMTP_PORT=0, a directory made through @aws-sdk/client-workmail, mail sent by nodemailer,
// Python's smtplib and swaks, and what arrived read back from the mailbox store (its folders
// and messages, and the body from its blob store). PutInboundDmarcSettings through the SDK
// decides a DMARC p=reject from the loopback DNS server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import {
  AssociateMemberToGroupCommand,
  CreateAliasCommand,
  CreateGroupCommand,
  CreateOrganizationCommand,
  CreateResourceCommand,
  CreateUserCommand,
  PutInboundDmarcSettingsCommand,
  RegisterToWorkMailCommand,
  UpdateMailboxQuotaCommand,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.ts';

const run = promisify(execFile);

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`inbound SMTP into the mailbox store (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let dns: TestDnsServer;
    let wm: WorkMailClient;
    let orgId: string;
    let port: number;
    const domain = `mx-${engine}.godwit.localhost`;
    const ids: Record<string, string> = {};

    /** Subjects of the messages in a mailbox's folder, read from the store (bodies from its blob store). */
    const subjects = async (mailboxId: string, folder = 'Inbox'): Promise<string[]> => {
      const rows = await t.server.store.db
        .selectFrom('mail_messages')
        .innerJoin('mail_folders', 'mail_folders.id', 'mail_messages.folder_id')
        .select(['mail_messages.blob_id'])
        .where('mail_messages.mailbox_id', '=', mailboxId)
        .where('mail_folders.name', '=', folder)
        .orderBy('mail_messages.uid')
        .execute();
      const out: string[] = [];
      for (const row of rows) {
        const raw = (await t.server.mail.blobs.read(row.blob_id)).toString();
        assert.match(raw, /^Received: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby mx\.godwit\.test \(Godwit\)/, 'the trace header comes first');
        assert.match(raw, /\r\nAuthentication-Results: mx\.godwit\.test;/);
        out.push(/\r\nSubject: ([^\r]*)\r\n/.exec(raw)?.[1] ?? '');
      }
      return out;
    };

    before(async () => {
      dns = await startDnsServer();
      dns.setTxt('strict.example', 'v=spf1 -all');
      dns.setTxt('_dmarc.strict.example', 'v=DMARC1; p=reject');
      t = await startTestServer({ engine, env: { GODWIT_SMTP_PORT: '0', GODWIT_MAIL_HOST: 'mx.godwit.test', GODWIT_DNS_SERVER: dns.address } });
      port = t.server.smtp!.port;
      wm = t.workmail();
      orgId = (await wm.send(new CreateOrganizationCommand({ Alias: `mx-${engine}` }))).OrganizationId!;
      const register = (entity: string, name: string) => wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: ids[entity], Email: `${name}@${domain}` }));
      for (const name of ['alice', 'bob', 'carol']) {
        ids[name] = (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: name, DisplayName: name }))).UserId!;
        await register(name, name);
      }
      await wm.send(new CreateAliasCommand({ OrganizationId: orgId, EntityId: ids.alice, Alias: `a.smith@${domain}` }));
      ids.team = (await wm.send(new CreateGroupCommand({ OrganizationId: orgId, Name: 'team' }))).GroupId!;
      ids.all = (await wm.send(new CreateGroupCommand({ OrganizationId: orgId, Name: 'all' }))).GroupId!;
      await register('team', 'team');
      await register('all', 'all');
      for (const [group, member] of [['team', 'bob'], ['team', 'carol'], ['all', 'team'], ['all', 'alice'], ['all', 'bob']]) {
        await wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: ids[group], MemberId: ids[member] }));
      }
      ids.room = (await wm.send(new CreateResourceCommand({ OrganizationId: orgId, Name: 'room1', Type: 'ROOM' }))).ResourceId!;
      await register('room', 'room1');
    });
    after(async () => {
      await t.stop();
      await dns.stop();
    });

    test('nodemailer, smtplib and swaks deliver to a user, an alias, a nested group and a resource; each mailbox gets one copy', async () => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, name: 'nm.outside.example' });
      await transport.sendMail({ from: 'sender@outside.example', to: `alice@${domain}`, subject: 'nm user', text: 'x' });
      await transport.sendMail({ from: 'sender@outside.example', to: `room1@${domain}`, subject: 'nm resource', text: 'x' });
      transport.close();
      const script = `
import smtplib, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='py.outside.example')
s.starttls(context=ctx)
print(s.sendmail('sender@outside.example', [sys.argv[2]], 'From: sender@outside.example\\r\\nSubject: py alias\\r\\n\\r\\nbody\\r\\n'))
s.quit()
`;
      assert.equal((await run('python3', ['-c', script, String(port), `a.smith@${domain}`])).stdout.trim(), '{}');
      await run('/usr/bin/swaks', ['--server', '127.0.0.1', '--port', String(port), '--tls', '--from', 'sender@outside.example', '--to', `all@${domain}`, '--header', 'Subject: swaks group']);
      assert.deepEqual(await subjects(ids.alice), ['nm user', 'py alias', 'swaks group']);
      assert.deepEqual(await subjects(ids.bob), ['swaks group'], 'bob is in all and in team: one copy');
      assert.deepEqual(await subjects(ids.carol), ['swaks group']);
      assert.deepEqual(await subjects(ids.room), ['nm resource']);
    });

    test('refusals: unknown recipient 550 5.1.1, relay 550 5.7.1, over 25 MB 552 5.3.4, over quota 552 5.2.2; nothing stored', async () => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
      const refused = async (to: string, pattern: RegExp, extra: object = {}) =>
        assert.rejects(transport.sendMail({ from: 'sender@outside.example', to, subject: 'refused', text: 'x', ...extra }), (error: Error & { response?: string }) => {
          assert.match(error.response ?? '', pattern);
          return true;
        });
      await refused(`nobody@${domain}`, /^550 5\.1\.1 /);
      await refused('someone@elsewhere.example', /^550 5\.7\.1 /);
      await refused(`bob@${domain}`, /^552 5\.3\.4 /, { text: 'y'.repeat(26 * 1024 * 1024) });
      // A message that would take the mailbox over its quota: the store refuses it, the door says 552 5.2.2.
      await wm.send(new UpdateMailboxQuotaCommand({ OrganizationId: orgId, UserId: ids.bob, MailboxQuota: 1 }));
      await refused(`bob@${domain}`, /^552 5\.2\.2 /, { text: 'z'.repeat(1536 * 1024) });
      transport.close();
      assert.deepEqual(await subjects(ids.bob), ['swaks group']);
    });

    test('PutInboundDmarcSettings Enforced decides whether a DMARC p=reject is honoured (550 5.7.1)', async () => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
      await transport.sendMail({ from: 'ceo@strict.example', to: `carol@${domain}`, subject: 'dmarc not enforced', text: 'x' });
      await wm.send(new PutInboundDmarcSettingsCommand({ OrganizationId: orgId, Enforced: true }));
      await assert.rejects(transport.sendMail({ from: 'ceo@strict.example', to: `carol@${domain}`, subject: 'dmarc enforced', text: 'x' }), /550 5\.7\.1/);
      transport.close();
      assert.deepEqual(await subjects(ids.carol), ['swaks group', 'dmarc not enforced']);
    });
  });
}
