// Who may submit, and as whom, on both engines: AUTH only over TLS (538 before STARTTLS, AUTH
// not announced there), 530 before AUTH; 535 for a wrong password (after the throttle's delay),
// for a deregistered user and for one an access control rule denies SMTP; 454 once the source
// address is locked out. SEND_AS granted through WorkMail's own permission functions (to the
// user, or to a group they are in) lets a user send as another mailbox, and nothing else does,
// in MAIL FROM or in From and Sender; SEND_ON_BEHALF lets the owner stand in From only with the
// user in Sender. Raw transcripts over node:tls show AUTH PLAIN with an initial response and
// AUTH LOGIN step by step; nodemailer shows the client side of the same refusals.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { postgresAvailable } from '../helpers/postgres.ts';
import {
  code,
  MAILBOX_PASSWORD,
  makeDirectory,
  openRawSmtps,
  openTestStore,
  RawSmtp,
  RecordingOutboundQueue,
  startTestSubmission,
  withMailboxPasswords,
  type Engine,
  type MailDirectory,
  type TestStore,
} from '../helpers/smtp.ts';
import { putMailboxPermissions } from '../../src/workmail/mailbox-permissions.ts';
import { deregisterFromWorkMail } from '../../src/workmail/registration.ts';
import { LoginThrottle } from '../../src/security/login-throttle.ts';
import { deleteAccessControlRule, putAccessControlRule } from '../../src/workmail/access-control-rules.ts';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const plain = (user: string, password: string) => b64(`\0${user}\0${password}`);

async function signedIn(port: number, user: string, password = MAILBOX_PASSWORD): Promise<RawSmtp> {
  const smtp = await openRawSmtps(port);
  assert.equal(code(await smtp.reply()), '220');
  assert.equal(code(await smtp.command('EHLO client.example')), '250');
  assert.deepEqual(await smtp.command(`AUTH PLAIN ${plain(user, password)}`), ['235 2.7.0 Authentication successful']);
  return smtp;
}

/** Sends one message in an open session; returns DATA's final reply line. */
async function send(smtp: RawSmtp, from: string, to: string, message: string): Promise<string> {
  const mail = await smtp.command(`MAIL FROM:<${from}>`);
  if (code(mail) !== '250') return mail.at(-1)!;
  assert.equal(code(await smtp.command(`RCPT TO:<${to}>`)), '250');
  assert.equal(code(await smtp.command('DATA')), '354');
  return (await smtp.command(message.replace(/\n/g, '\r\n') + '\r\n.')).at(-1)!;
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`SMTP submission: sign-in and send-as (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestStore;
    let dir: MailDirectory;
    let outbound: RecordingOutboundQueue;
    let door: Awaited<ReturnType<typeof startTestSubmission>>;

    before(async () => {
      t = await openTestStore(engine);
      dir = await makeDirectory(t.store.db, t.box);
      await withMailboxPasswords(t.store.db, dir);
      outbound = new RecordingOutboundQueue();
      // A throttle that locks out after 3 failures, with short delays, so the test stays quick.
      door = await startTestSubmission(t, { outbound, throttle: new LoginThrottle({ baseDelayMs: 50, maxDelayMs: 200, maxFailures: 3, windowMs: 60_000, maxTracked: 100 }) });
    });
    after(async () => {
      await door.close();
      await t.close();
    });

    test('587 before STARTTLS: EHLO announces no AUTH, AUTH gets 538 5.7.11, MAIL gets 530 5.7.0; after STARTTLS AUTH PLAIN LOGIN is offered', async () => {
      const smtp = await RawSmtp.open(door.submissionPort);
      assert.equal(code(await smtp.reply()), '220');
      const clear = await smtp.command('EHLO client.example');
      assert.ok(clear.some((line) => /STARTTLS/.test(line)));
      assert.ok(!clear.some((line) => /AUTH/.test(line)), `no AUTH in clear: ${clear.join(' | ')}`);
      assert.deepEqual(await smtp.command(`AUTH PLAIN ${plain(dir.alice.email, MAILBOX_PASSWORD)}`), ['538 5.7.11 Encryption required for requested authentication mechanism']);
      assert.deepEqual(await smtp.command('MAIL FROM:<alice@x.example>'), ['530 5.7.0 Authentication required']);
      assert.equal(code(await smtp.command('STARTTLS')), '220');
      await smtp.startTls();
      const secure = await smtp.command('EHLO client.example');
      assert.ok(secure.some((line) => /^250[- ]AUTH PLAIN LOGIN$/.test(line)), secure.join(' | '));
      assert.ok(!secure.some((line) => /STARTTLS/.test(line)));
      smtp.close();
    });

    test('465: MAIL before AUTH is 530 5.7.0; AUTH PLAIN with an initial response and AUTH LOGIN step by step sign in', async () => {
      const smtp = await openRawSmtps(door.smtpsPort);
      assert.equal(code(await smtp.reply()), '220');
      const ehlo = await smtp.command('EHLO client.example');
      assert.ok(ehlo.some((line) => /^250[- ]AUTH PLAIN LOGIN$/.test(line)));
      assert.deepEqual(await smtp.command(`MAIL FROM:<${dir.alice.email}>`), ['530 5.7.0 Authentication required']);
      assert.deepEqual(await smtp.command('AUTH LOGIN'), ['334 VXNlcm5hbWU6']);
      assert.deepEqual(await smtp.command(b64(dir.alice.email)), ['334 UGFzc3dvcmQ6']);
      assert.deepEqual(await smtp.command(b64(MAILBOX_PASSWORD)), ['235 2.7.0 Authentication successful']);
      assert.match(await send(smtp, dir.alice.email, dir.bob.email, `From: ${dir.alice.email}\nSubject: raw login\n\nx`), /^250 2\.6\.0 /);
      smtp.close();
      const again = await signedIn(door.smtpsPort, dir.alice.alias.toUpperCase());
      assert.match(await send(again, dir.alice.alias, dir.bob.email, `From: <${dir.alice.alias}>\nSubject: raw plain via alias\n\nx`), /^250 2\.6\.0 /);
      again.close();
      const subjects = (await door.messages(dir.bob.id)).map((m) => m.subject);
      assert.ok(subjects.includes('raw login') && subjects.includes('raw plain via alias'));
    });

    test('a wrong password gets 535 5.7.8 after the throttle delay; a deregistered user cannot sign in', async () => {
      const transport = (user: string, pass: string) =>
        nodemailer.createTransport({ host: '127.0.0.1', port: door.smtpsPort, secure: true, tls: { rejectUnauthorized: false }, auth: { user, pass } });
      const started = Date.now();
      await assert.rejects(transport(dir.carol.email, 'not the password').sendMail({ from: dir.carol.email, to: dir.bob.email, text: 'x' }), (error: Error & { response?: string }) => {
        assert.match(error.response ?? '', /^535 5\.7\.8 Authentication credentials invalid/);
        return true;
      });
      assert.ok(Date.now() - started >= 45, 'the answer waited for the throttle delay');
      // Sign-ins succeed from here on clear the address's failures.
      await transport(dir.carol.email, MAILBOX_PASSWORD).sendMail({ from: dir.carol.email, to: dir.bob.email, subject: 'carol ok', text: 'x' });
      await deregisterFromWorkMail(t.store.db, dir.orgId, dir.carol.id, new Date());
      await assert.rejects(transport(dir.carol.email, MAILBOX_PASSWORD).sendMail({ from: dir.carol.email, to: dir.bob.email, text: 'x' }), /535 5\.7\.8/);
      // Clean the slate for the lock-out test below.
      await transport(dir.bob.email, MAILBOX_PASSWORD).sendMail({ from: dir.bob.email, to: dir.bob.email, subject: 'bob ok', text: 'x' });
    });

    test('after repeated failures the source address is locked out: 454 4.7.0 with a retry hint, even for the right password', async () => {
      for (let i = 0; i < 3; i++) {
        const smtp = await openRawSmtps(door.smtpsPort);
        await smtp.reply();
        await smtp.command('EHLO client.example');
        assert.deepEqual(await smtp.command(`AUTH PLAIN ${plain(dir.bob.email, 'guess ' + i)}`), ['535 5.7.8 Authentication credentials invalid']);
        smtp.close();
      }
      const smtp = await openRawSmtps(door.smtpsPort);
      await smtp.reply();
      await smtp.command('EHLO client.example');
      const [line] = await smtp.command(`AUTH PLAIN ${plain(dir.bob.email, MAILBOX_PASSWORD)}`);
      assert.match(line, /^454 4\.7\.0 Too many failed authentication attempts from your address; try again in \d+ seconds$/);
      smtp.close();
      door.login.throttle.succeeded('127.0.0.1');
    });

    test("an access control rule denying SMTP from the client's address refuses the right password with 535 5.7.8", async () => {
      await putAccessControlRule(
        t.store.db,
        dir.orgId,
        { name: 'no-smtp-from-loopback', effect: 'DENY', description: 'test', ipRanges: ['127.0.0.0/8'], actions: ['SMTP'], userIds: [dir.bob.id] },
        new Date(),
      );
      try {
        const smtp = await openRawSmtps(door.smtpsPort);
        await smtp.reply();
        await smtp.command('EHLO client.example');
        assert.deepEqual(await smtp.command(`AUTH PLAIN ${plain(dir.bob.email, MAILBOX_PASSWORD)}`), ['535 5.7.8 Authentication credentials invalid']);
        assert.equal(code(await smtp.command(`AUTH PLAIN ${plain(dir.alice.email, MAILBOX_PASSWORD)}`)), '235', 'the rule names bob only');
        smtp.close();
      } finally {
        await deleteAccessControlRule(t.store.db, dir.orgId, 'no-smtp-from-loopback');
      }
    });

    test('SEND_AS: alice may not send as bob until it is granted; a grant to a group she is in counts; the null sender is refused', async () => {
      const smtp = await signedIn(door.smtpsPort, dir.alice.email);
      assert.match(await send(smtp, dir.bob.email, dir.carol.email, 'x'), /^550 5\.7\.1 <bob@[^>]+>: you may not send as this address/);
      assert.match(await send(smtp, dir.room.email, dir.bob.email, 'x'), /^550 5\.7\.1 /);
      assert.match(await send(smtp, 'alice@elsewhere.example', dir.bob.email, 'x'), /^550 5\.7\.1 /, 'an address of no organization here');
      assert.deepEqual(await smtp.command('MAIL FROM:<>'), ['550 5.7.1 A null sender <> is not accepted on submission; give your own address']);

      await putMailboxPermissions(t.store.db, dir.orgId, dir.bob.id, dir.alice.id, ['SEND_AS']);
      await putMailboxPermissions(t.store.db, dir.orgId, dir.room.id, dir.all.id, ['SEND_AS']);
      assert.match(await send(smtp, dir.bob.email, dir.bob.email, `From: Bob <${dir.bob.email}>\nSubject: as bob\n\nx`), /^250 2\.6\.0 /);
      assert.match(await send(smtp, dir.room.email, dir.bob.email, `From: ${dir.room.email}\nSubject: as room\n\nx`), /^250 2\.6\.0 /, 'alice is in all, which holds SEND_AS on the room');
      // SEND_ON_BEHALF alone does not let one send as the owner.
      await putMailboxPermissions(t.store.db, dir.orgId, dir.bob.id, dir.alice.id, ['SEND_ON_BEHALF']);
      assert.match(await send(smtp, dir.bob.email, dir.bob.email, 'x'), /^550 5\.7\.1 /);
      // It lets bob stand in From with alice in Sender: "alice on behalf of bob".
      assert.match(await send(smtp, dir.alice.email, dir.bob.email, `From: ${dir.bob.email}\nSender: ${dir.alice.email}\nSubject: on behalf\n\nx`), /^250 2\.6\.0 /);
      assert.match(await send(smtp, dir.alice.email, dir.bob.email, `From: ${dir.bob.email}\nSubject: no sender\n\nx`), /^550 5\.7\.1 From: <bob@/);
      smtp.close();
      const bobInbox = (await door.messages(dir.bob.id)).map((m) => m.subject);
      assert.ok(bobInbox.includes('as bob') && bobInbox.includes('as room'));
      assert.ok((await door.messages(dir.alice.id, 'Sent Items')).some((m) => m.subject === 'as bob'), "the sender's Sent Items keeps it");
    });

    test('a From or Sender field naming someone else is refused at DATA with 550 5.7.1, though MAIL FROM was allowed; nothing is filed or queued', async () => {
      const queuedBefore = outbound.enqueued.length;
      const sentBefore = (await door.messages(dir.alice.id, 'Sent Items')).length;
      const smtp = await signedIn(door.smtpsPort, dir.alice.email);
      assert.match(await send(smtp, dir.alice.email, 'x@remote.example', `From: Carol <${dir.carol.email}>\nSubject: forged\n\nx`), /^550 5\.7\.1 From: <carol@[^>]+>: you may not send as/);
      assert.match(await send(smtp, dir.alice.email, 'x@remote.example', `From: ${dir.alice.email}, ${dir.carol.email}\nSubject: forged 2\n\nx`), /^550 5\.7\.1 From: <carol@/, 'every address in From counts');
      assert.match(await send(smtp, dir.alice.email, 'x@remote.example', `From: ${dir.alice.email}\nSender: ${dir.carol.email}\nSubject: forged 3\n\nx`), /^550 5\.7\.1 Sender: <carol@/);
      assert.match(await send(smtp, dir.alice.email, 'x@remote.example', `Subject: no from\n\nx`), /^550 5\.7\.1 The message has no From address/);
      smtp.close();
      assert.equal(outbound.enqueued.length, queuedBefore);
      assert.equal((await door.messages(dir.alice.id, 'Sent Items')).length, sentBefore);
    });

    test('over 25 MB is 552 5.3.4; an unknown local recipient 550 5.1.1; a queue failure 451 4.3.0 with nothing filed', async () => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: door.submissionPort, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: dir.alice.email, pass: MAILBOX_PASSWORD } });
      const sentBefore = (await door.messages(dir.alice.id, 'Sent Items')).length;
      await assert.rejects(transport.sendMail({ from: dir.alice.email, to: dir.bob.email, text: 'y'.repeat(26 * 1024 * 1024) }), (error: Error & { response?: string }) => {
        assert.match(error.response ?? '', /^552 5\.3\.4 /);
        return true;
      });
      await assert.rejects(transport.sendMail({ from: dir.alice.email, to: `nobody@${dir.domain}`, text: 'x' }), /550 5\.1\.1/);
      outbound.failWith = new Error('queue disk gone');
      await assert.rejects(transport.sendMail({ from: dir.alice.email, to: [dir.bob.email, 'far@remote.example'], subject: 'queue down', text: 'x' }), /451 4\.3\.0/);
      outbound.failWith = undefined;
      transport.close();
      assert.equal((await door.messages(dir.alice.id, 'Sent Items')).length, sentBefore);
      assert.ok(!(await door.messages(dir.bob.id)).some((m) => m.subject === 'queue down'), 'the local recipient did not get it either: the client will retry');
    });
  });
}
