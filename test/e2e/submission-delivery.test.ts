// SMTP submission end to end, on both engines: nodemailer, Python's smtplib and swaks sign in
// with a WorkMail user's mailbox password over implicit TLS (465-style) and STARTTLS
// (587-style), and send to local users, a group and remote addresses. What arrived is read back
// from the real mailbox store (folders, flags, bodies from its blob store); remote recipients
// reach the outbound contract (src/mail/outbound.ts) through RecordingOutboundQueue, a test
// double of the queue (the real one is wired by the composition root).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { postgresAvailable } from '../helpers/postgres.ts';
import {
  MAILBOX_PASSWORD,
  makeDirectory,
  openTestStore,
  RecordingOutboundQueue,
  startTestSubmission,
  withMailboxPasswords,
  type Engine,
  type MailDirectory,
  type TestStore,
} from '../helpers/smtp.ts';
import { SEEN } from '../../src/mail/store/flags.ts';

const run = promisify(execFile);

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`SMTP submission into the mailbox store and the outbound queue (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestStore;
    let dir: MailDirectory;
    let outbound: RecordingOutboundQueue;
    let door: Awaited<ReturnType<typeof startTestSubmission>>;

    before(async () => {
      t = await openTestStore(engine);
      dir = await makeDirectory(t.store.db, t.box);
      await withMailboxPasswords(t.store.db, dir);
      outbound = new RecordingOutboundQueue();
      door = await startTestSubmission(t, { outbound });
    });
    after(async () => {
      await door.close();
      await t.close();
    });

    const subjects = async (mailboxId: string, folder = 'Inbox') => (await door.messages(mailboxId, folder)).map((m) => m.subject);

    test('nodemailer over implicit TLS: a local user gets it in Inbox, a remote address reaches the queue, Sent Items keeps it read', async () => {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: door.smtpsPort,
        secure: true,
        tls: { rejectUnauthorized: false },
        auth: { user: dir.alice.email, pass: MAILBOX_PASSWORD },
        name: 'laptop.example',
      });
      const info = await transport.sendMail({ from: dir.alice.email, to: [dir.bob.email, 'friend@remote.example'], subject: 'nm 465', text: 'hello' });
      transport.close();
      assert.match(info.response, /^250 2\.6\.0 /);

      const [inbox] = await door.messages(dir.bob.id);
      assert.equal(inbox.subject, 'nm 465');
      assert.match(inbox.raw, /^Received: from laptop\.example \(\[127\.0\.0\.1\]\)\r\n\tby smtp\.godwit\.test \(Godwit\) with ESMTPSA id /, 'the trace records an authenticated submission');
      assert.equal(inbox.flags & SEEN, 0, 'unread in the recipient Inbox');

      const sent = await door.messages(dir.alice.id, 'Sent Items');
      assert.deepEqual(sent.map((m) => m.subject), ['nm 465']);
      assert.equal(sent[0].flags & SEEN, SEEN, 'the Sent Items copy is read');

      assert.equal(outbound.enqueued.length, 1);
      const queued = outbound.enqueued[0];
      assert.deepEqual(queued.recipients, ['friend@remote.example'], 'only the remote recipient is queued');
      assert.equal(queued.sender, dir.alice.email);
      assert.equal(queued.orgId, dir.orgId);
      assert.equal(queued.senderMailboxId, dir.alice.id);
      assert.equal(queued.raw.toString(), inbox.raw, 'the queue and the mailbox get the same bytes');
    });

    test('smtplib over STARTTLS sends from an alias to a nested group; each member gets one copy', async () => {
      const script = `
import smtplib, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='py.example')
s.starttls(context=ctx)
s.login(sys.argv[2], sys.argv[3])
msg = 'From: Alice <%s>\\r\\nTo: %s\\r\\nSubject: py 587\\r\\n\\r\\nbody\\r\\n' % (sys.argv[4], sys.argv[5])
print(s.sendmail(sys.argv[4], [sys.argv[5]], msg))
s.quit()
`;
      const { stdout } = await run('python3', ['-c', script, String(door.submissionPort), dir.alice.email, MAILBOX_PASSWORD, dir.alice.alias, dir.all.email]);
      assert.equal(stdout.trim(), '{}');
      assert.ok((await subjects(dir.alice.id)).includes('py 587'), 'alice is in all');
      assert.deepEqual(await subjects(dir.carol.id), ['py 587'], 'carol through team');
      assert.deepEqual((await subjects(dir.bob.id)).filter((s) => s === 'py 587'), ['py 587'], 'bob is in all and team: one copy');
      assert.ok((await subjects(dir.alice.id, 'Sent Items')).includes('py 587'));
      assert.equal(outbound.enqueued.length, 1, 'nothing remote, nothing queued');
    });

    test('swaks with AUTH LOGIN over STARTTLS and AUTH PLAIN over implicit TLS; Date and Message-ID are added when missing', async () => {
      const common = ['--server', '127.0.0.1', '--from', dir.bob.email, '--auth-user', dir.bob.email, '--auth-password', MAILBOX_PASSWORD, '--helo', 'swaks.example'];
      await run('/usr/bin/swaks', [...common, '--port', String(door.submissionPort), '--tls', '--auth', 'LOGIN', '--to', `${dir.carol.email},far@remote.example`, '--header', 'Subject: swaks 587']);
      await run('/usr/bin/swaks', [...common, '--port', String(door.smtpsPort), '--tlsc', '--auth', 'PLAIN', '--to', dir.carol.email, '--header', 'Subject: swaks 465']);
      const carol = await door.messages(dir.carol.id);
      assert.deepEqual(carol.slice(-2).map((m) => m.subject), ['swaks 587', 'swaks 465']);
      assert.deepEqual((await subjects(dir.bob.id, 'Sent Items')).slice(-2), ['swaks 587', 'swaks 465']);
      assert.deepEqual(outbound.enqueued.at(-1)?.recipients, ['far@remote.example']);

      // smtplib's sendmail sends exactly what it is given: no Date, no Message-ID.
      const script = `
import smtplib, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP_SSL('127.0.0.1', int(sys.argv[1]), context=ctx)
s.login(sys.argv[2], sys.argv[3])
print(s.sendmail(sys.argv[2], [sys.argv[4]], 'From: %s\\r\\nSubject: bare\\r\\n\\r\\nno date\\r\\n' % sys.argv[2]))
s.quit()
`;
      await run('python3', ['-c', script, String(door.smtpsPort), dir.bob.email, MAILBOX_PASSWORD, dir.carol.email]);
      const bare = (await door.messages(dir.carol.id)).at(-1)!;
      assert.equal(bare.subject, 'bare');
      assert.match(bare.raw, /\r\nDate: [A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\n/);
      assert.match(bare.raw, new RegExp(`\\r\\nMessage-ID: <[0-9a-f-]{36}@${dir.domain.replace(/\./g, '\\.')}>\\r\\n`), "the Message-ID names the user's domain");
      const swaksMessage = carol.at(-1)!.raw;
      assert.equal(swaksMessage.match(/\r\nDate: /g)?.length, 1, 'a Date the client gave is kept, not doubled');
    });
  });
}
