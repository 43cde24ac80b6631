// The MX door with real clients over real sockets (nodemailer, Python's smtplib, swaks, and raw
// node:net / node:tls transcripts), on both engines, in front of a recording MailDelivery (the
// mailbox store's own tests prove what deliver() keeps; here: what the door asks it, and that
// the door says 250 only after deliver() resolved).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { DomainError } from '../../src/errors.ts';
import { makeDirectory, openTestStore, RawSmtp, RecordingDelivery, startTestMx, code, type MailDirectory, type TestStore } from '../helpers/smtp.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import type { MxListener } from '../../src/smtp/mx-server.ts';

const run = promisify(execFile);
const MESSAGE = (to: string, subject = 'Hello') =>
  `From: sender@outside.example\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@outside.example>\r\n\r\nHi there.\r\n`;

async function conversation(port: number, ...commands: string[]): Promise<string[][]> {
  const smtp = await RawSmtp.open(port);
  try {
    const replies = [await smtp.reply()];
    for (const command of commands) replies.push(await smtp.command(command));
    return replies;
  } finally {
    smtp.close();
  }
}

/** EHLO, MAIL, one RCPT, DATA; returns the raw client ready to send the message bytes. */
async function openData(port: number, to: string): Promise<RawSmtp> {
  const smtp = await RawSmtp.open(port);
  assert.equal(code(await smtp.reply()), '220');
  assert.equal(code(await smtp.command('EHLO client.outside.example')), '250');
  assert.equal(code(await smtp.command('MAIL FROM:<sender@outside.example>')), '250');
  assert.equal(code(await smtp.command(`RCPT TO:<${to}>`)), '250');
  assert.equal(code(await smtp.command('DATA')), '354');
  return smtp;
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`MX listener (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestStore;
    let dir: MailDirectory;
    let delivery: RecordingDelivery;
    let mx: MxListener;
    before(async () => {
      t = await openTestStore(engine);
      dir = await makeDirectory(t.store.db, t.box);
      delivery = new RecordingDelivery();
      mx = await startTestMx(t, { delivery });
    });
    after(async () => {
      await mx.close();
      await t.close();
    });

    test('EHLO announces SIZE 25 MB, 8BITMIME, SMTPUTF8, PIPELINING, ENHANCEDSTATUSCODES and STARTTLS, and no AUTH', async () => {
      const [greeting, ehlo] = await conversation(mx.port, 'EHLO client.outside.example');
      assert.match(greeting[0], /^220 mx\.godwit\.test ESMTP/);
      const keywords = ehlo.map((line) => line.slice(4));
      for (const keyword of ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'STARTTLS', `SIZE ${25 * 1024 * 1024}`]) {
        assert.ok(keywords.includes(keyword), `${keyword} in ${JSON.stringify(keywords)}`);
      }
      assert.ok(!keywords.some((k) => k.startsWith('AUTH')), 'no AUTH on the MX');
    });

    test('nodemailer over STARTTLS delivers to a user, an alias, a nested group (each mailbox once) and a resource', async () => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mx.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, name: 'client.outside.example' });
      const cases: [string, string[]][] = [
        [dir.alice.email, [dir.alice.id]],
        [dir.alice.alias, [dir.alice.id]],
        [dir.all.email, [dir.alice.id, dir.bob.id, dir.carol.id]],
        [dir.room.email, [dir.room.id]],
      ];
      for (const [to, mailboxes] of cases) {
        const before = delivery.delivered.length;
        const info = await transport.sendMail({ from: 'sender@outside.example', to, subject: `to ${to}`, text: 'Hi there.' });
        assert.match(info.response, /^250 2\.6\.0 /);
        assert.equal(delivery.delivered.length, before + 1);
        assert.deepEqual(delivery.mailboxesOf(before), [...mailboxes].sort(), to);
        const stored = delivery.delivered[before];
        assert.ok(stored.targets.every((target) => target.folder === 'Inbox'));
        const text = stored.raw.toString();
        assert.match(text, /^Received: from client\.outside\.example \(\[127\.0\.0\.1\]\)\r\n\tby mx\.godwit\.test \(Godwit\) with ESMTPS id /);
        assert.match(text, /\r\nAuthentication-Results: mx\.godwit\.test;/);
        assert.match(text, new RegExp(`\r\nSubject: to ${to.replace(/[.]/g, '\\.')}\r\n`));
      }
      // One message to several addresses of one organization: each mailbox once.
      const before = delivery.delivered.length;
      await transport.sendMail({ from: 'sender@outside.example', to: [dir.alice.email, dir.alice.alias, dir.team.email, dir.room.email], subject: 'all', text: 'x' });
      assert.deepEqual(delivery.mailboxesOf(before), [dir.alice.id, dir.bob.id, dir.carol.id, dir.room.id].sort());
      assert.ok(!/\tfor </.test(delivery.delivered[before].raw.toString().split('\r\n\r\n')[0]), 'no "for" clause naming one of several recipients');
      transport.close();
    });

    test("Python's smtplib delivers over STARTTLS and is refused an unknown recipient (550 5.1.1) and a relay (550 5.7.1)", async () => {
      const script = `
import smtplib, ssl, sys
port = int(sys.argv[1]); user = sys.argv[2]; unknown = sys.argv[3]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP('127.0.0.1', port, local_hostname='py.outside.example')
s.starttls(context=ctx); s.ehlo('py.outside.example')
refused = s.sendmail('sender@outside.example', [user], 'From: sender@outside.example\\r\\nTo: %s\\r\\nSubject: smtplib\\r\\n\\r\\nbody\\r\\n' % user)
print('sent', refused)
for rcpt in (unknown, 'someone@elsewhere.example'):
    s.mail('sender@outside.example')
    print('rcpt', rcpt, *s.rcpt(rcpt))
    s.rset()
s.quit()
`;
      const before = delivery.delivered.length;
      const { stdout } = await run('python3', ['-c', script, String(mx.port), dir.bob.email, `nobody@${dir.domain}`]);
      assert.match(stdout, /^sent \{\}$/m);
      assert.match(stdout, new RegExp(`^rcpt nobody@\\S+ 550 b'5\\.1\\.1 <nobody@`, 'm'));
      assert.match(stdout, /^rcpt someone@elsewhere\.example 550 b'5\.7\.1 <someone@elsewhere\.example>: relay access denied/m);
      assert.equal(delivery.delivered.length, before + 1);
      assert.deepEqual(delivery.mailboxesOf(before), [dir.bob.id]);
      assert.match(delivery.delivered[before].raw.toString(), /Subject: smtplib\r\n/);
    });

    test('swaks delivers to a nested group over STARTTLS; its transcript shows the 250 after DATA', async () => {
      const before = delivery.delivered.length;
      const { stdout } = await run('/usr/bin/swaks', [
        '--server', '127.0.0.1', '--port', String(mx.port), '--tls', '--ehlo', 'swaks.outside.example',
        '--from', 'sender@outside.example', '--to', dir.all.email, '--header', 'Subject: swaks',
      ]);
      assert.match(stdout, /<~\s+250 2\.6\.0 Message accepted/);
      assert.deepEqual(delivery.mailboxesOf(before), [dir.alice.id, dir.bob.id, dir.carol.id].sort());
    });

    test('a message over 25 MB is refused with 552 5.3.4, announced (MAIL SIZE=) or not; nothing is stored', async () => {
      const [, , mail] = await conversation(mx.port, 'EHLO c.example', `MAIL FROM:<s@outside.example> SIZE=${25 * 1024 * 1024 + 1}`);
      assert.match(mail[0], /^552 5\.3\.4 /);
      const before = delivery.delivered.length;
      const smtp = await openData(mx.port, dir.alice.email);
      const line = 'x'.repeat(998) + '\r\n';
      const chunk = Buffer.from(line.repeat(1024));
      smtp.write('Subject: big\r\n\r\n');
      for (let sent = 0; sent <= 26 * 1024 * 1024; sent += chunk.length) smtp.write(chunk);
      smtp.write('.\r\n');
      const reply = await smtp.reply(20_000);
      assert.match(reply[0], /^552 5\.3\.4 .*26214400/);
      assert.equal(code(await smtp.command('NOOP')), '250', 'the session goes on');
      smtp.close();
      assert.equal(delivery.delivered.length, before);
    });

    test('more than 500 recipients: the 501st gets 452 4.5.3', async () => {
      // 500 distinct addresses of alice, written straight into the directory for the test.
      const rows = Array.from({ length: 501 }, (_, i) => ({ email_lower: `r${i}@${dir.domain}`, email: `r${i}@${dir.domain}`, org_id: dir.orgId, entity_id: dir.alice.id, is_primary: 0 }));
      for (let i = 0; i < rows.length; i += 100) await t.store.db.insertInto('wm_emails').values(rows.slice(i, i + 100)).execute();
      const smtp = await RawSmtp.open(mx.port);
      await smtp.reply();
      await smtp.command('EHLO c.example');
      await smtp.command('MAIL FROM:<s@outside.example>');
      // Pipelined, as PIPELINING allows.
      smtp.write(rows.map((row) => `RCPT TO:<${row.email}>\r\n`).join(''));
      const replies: string[] = [];
      for (let i = 0; i < rows.length; i++) replies.push((await smtp.reply())[0]);
      assert.equal(replies.filter((r) => r.startsWith('250 ')).length, 500);
      assert.match(replies[500], /^452 4\.5\.3 /);
      smtp.close();
      await t.store.db.deleteFrom('wm_emails').where('email_lower', 'in', rows.map((row) => row.email_lower)).execute();
    });

    test('a mailbox over its quota is refused at RCPT (552 5.2.2); a group skips its full members', async () => {
      delivery.used.set(dir.bob.id, delivery.quotaBytes);
      try {
        const [, , , rcpt] = await conversation(mx.port, 'EHLO c.example', 'MAIL FROM:<s@outside.example>', `RCPT TO:<${dir.bob.email}>`);
        assert.match(rcpt[0], /^552 5\.2\.2 /);
        const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mx.port, secure: false, ignoreTLS: true });
        const before = delivery.delivered.length;
        await transport.sendMail({ from: 's@outside.example', to: dir.team.email, subject: 'q', text: 'q' });
        assert.deepEqual(delivery.mailboxesOf(before), [dir.carol.id]);
        transport.close();
      } finally {
        delivery.used.delete(dir.bob.id);
      }
    });

    test("the store's refusals become the right replies and never a 250", async () => {
      const cases: [Error, RegExp][] = [
        [new DomainError('limit', 'QuotaExceeded', 'over quota'), /^552 5\.2\.2 /],
        [new DomainError('unavailable', 'StorageFull', 'disk full'), /^452 4\.3\.1 /],
        [new DomainError('unavailable', 'StoreUnavailable', 'db down'), /^451 4\.3\.0 /],
        [new DomainError('notFound', 'NoSuchMailbox', 'gone'), /^451 4\.3\.0 /],
        [new Error('anything else'), /^451 4\.3\.0 /],
      ];
      const before = delivery.delivered.length;
      try {
        for (const [failure, expected] of cases) {
          delivery.failWith = failure;
          const smtp = await openData(mx.port, dir.alice.email);
          smtp.write(MESSAGE(dir.alice.email) + '.\r\n');
          assert.match((await smtp.reply())[0], expected, failure.message);
          smtp.close();
        }
      } finally {
        delivery.failWith = undefined;
      }
      assert.equal(delivery.delivered.length, before);
    });

    test('250 comes only after deliver() resolved', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow = new RecordingDelivery();
      const deliver = slow.deliver.bind(slow);
      slow.deliver = async (message, targets) => {
        await gate;
        return deliver(message, targets);
      };
      const slowMx = await startTestMx(t, { delivery: slow });
      try {
        const smtp = await openData(slowMx.port, dir.alice.email);
        smtp.write(MESSAGE(dir.alice.email) + '.\r\n');
        await assert.rejects(smtp.reply(300), /no reply within/);
        release();
        assert.match((await smtp.reply())[0], /^250 2\.6\.0 /);
        assert.equal(slow.delivered.length, 1);
        smtp.close();
      } finally {
        await slowMx.close();
      }
    });

    test('recipients of another organization wait for another transaction (452 4.5.3)', async () => {
      const other = await makeDirectory(t.store.db, t.box, `other${engine}`);
      const [, , , first, second] = await conversation(mx.port, 'EHLO c.example', 'MAIL FROM:<s@outside.example>', `RCPT TO:<${dir.alice.email}>`, `RCPT TO:<${other.alice.email}>`);
      assert.match(first[0], /^250 /);
      assert.match(second[0], /^452 4\.5\.3 Recipients of one organization/);
    });
  });
}
