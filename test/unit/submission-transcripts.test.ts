// Raw-socket transcripts of submission's edges, with a RecordingDelivery (the mailbox store's
// double) and a RecordingOutboundQueue (the outbound queue's double), so that failures can be
// injected: 500 recipients and the 501st, smuggling and deep MIME refused as on the MX, AUTH
// pipelined behind STARTTLS discarded, a full mailbox refused before anything is queued, a
// store failure after queueing answered 451 (the client retries; a duplicate is the accepted
// cost), and a password that never reaches the log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import {
  code,
  MAILBOX_PASSWORD,
  makeDirectory,
  openRawSmtps,
  openTestStore,
  RawSmtp,
  RecordingDelivery,
  RecordingOutboundQueue,
  startTestSubmission,
  withMailboxPasswords,
  type MailDirectory,
  type TestStore,
} from '../helpers/smtp.ts';
import { createLogger } from '../../src/log/logger.ts';

const plain = (user: string, password: string) => Buffer.from(`\0${user}\0${password}`).toString('base64');

describe('submission transcripts', () => {
  let t: TestStore;
  let dir: MailDirectory;
  let delivery: RecordingDelivery;
  let outbound: RecordingOutboundQueue;
  let door: Awaited<ReturnType<typeof startTestSubmission>>;
  const logLines: string[] = [];

  before(async () => {
    t = await openTestStore('sqlite');
    dir = await makeDirectory(t.store.db, t.box);
    await withMailboxPasswords(t.store.db, dir);
    delivery = new RecordingDelivery();
    outbound = new RecordingOutboundQueue();
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    door = await startTestSubmission(t, { delivery, outbound, logger: createLogger('info', sink) });
  });
  after(async () => {
    await door.close();
    await t.close();
  });

  async function signedIn(): Promise<RawSmtp> {
    const smtp = await openRawSmtps(door.smtpsPort);
    await smtp.reply();
    await smtp.command('EHLO client.example');
    assert.equal(code(await smtp.command(`AUTH PLAIN ${plain(dir.alice.email, MAILBOX_PASSWORD)}`)), '235');
    return smtp;
  }

  test('500 recipients are taken, the 501st gets 452 4.5.3; the remote ones are queued in one message', async () => {
    const smtp = await signedIn();
    assert.equal(code(await smtp.command(`MAIL FROM:<${dir.alice.email}>`)), '250');
    smtp.write(Array.from({ length: 501 }, (_, i) => `RCPT TO:<r${i}@remote.example>\r\n`).join(''));
    const replies: string[] = [];
    for (let i = 0; i < 501; i++) replies.push((await smtp.reply())[0]);
    assert.equal(replies.filter((r) => r.startsWith('250 ')).length, 500);
    assert.match(replies[500], /^452 4\.5\.3 /);
    assert.equal(code(await smtp.command('DATA')), '354');
    assert.match((await smtp.command(`From: ${dir.alice.email}\r\nSubject: many\r\n\r\nx\r\n.`))[0], /^250 2\.6\.0 /);
    smtp.close();
    const queued = outbound.enqueued.at(-1)!;
    assert.equal(queued.recipients.length, 500);
    assert.deepEqual(delivery.delivered.at(-1)!.targets, [{ mailboxId: dir.alice.id, folder: 'Sent Items', flags: ['\\Seen'] }], 'only the Sent Items copy is local');
  });

  test('bare LF in the data and MIME nested too deep are refused as on the MX, nothing queued or filed', async () => {
    const queued = outbound.enqueued.length;
    const filed = delivery.delivered.length;
    const smtp = await signedIn();
    for (const [data, pattern] of [
      [`From: ${dir.alice.email}\r\nSubject: smuggle\r\n\r\nx\n.\r\nMAIL FROM:<x@y>\r\n.`, /^554 5\.6\.0 .*bare CR or LF/],
      [`From: ${dir.alice.email}\r\n` + 'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n'.repeat(20) + '\r\n.', /^554 5\.6\.0 .*nested/],
    ] as const) {
      assert.equal(code(await smtp.command(`MAIL FROM:<${dir.alice.email}>`)), '250');
      assert.equal(code(await smtp.command('RCPT TO:<far@remote.example>')), '250');
      assert.equal(code(await smtp.command('DATA')), '354');
      assert.match((await smtp.command(data))[0], pattern);
    }
    smtp.close();
    assert.equal(outbound.enqueued.length, queued);
    assert.equal(delivery.delivered.length, filed);
  });

  test('on 587, an AUTH pipelined behind STARTTLS in clear is discarded (CVE-2011-0411)', async () => {
    const smtp = await RawSmtp.open(door.submissionPort);
    await smtp.reply();
    await smtp.command('EHLO client.example');
    smtp.write(`STARTTLS\r\nAUTH PLAIN ${plain(dir.alice.email, MAILBOX_PASSWORD)}\r\n`);
    assert.equal(code(await smtp.reply()), '220');
    await smtp.startTls();
    assert.equal(code(await smtp.command('EHLO client.example')), '250', 'the first reply after the handshake is to EHLO: the AUTH was never read');
    assert.deepEqual(await smtp.command(`MAIL FROM:<${dir.alice.email}>`), ['530 5.7.0 Authentication required'], 'not signed in');
    smtp.close();
  });

  test('a sender whose mailbox cannot take the Sent Items copy is refused 552 5.2.2 before anything is queued', async () => {
    const queued = outbound.enqueued.length;
    delivery.used.set(dir.alice.id, delivery.quotaBytes - 10);
    try {
      const smtp = await signedIn();
      assert.equal(code(await smtp.command(`MAIL FROM:<${dir.alice.email}>`)), '250');
      assert.equal(code(await smtp.command('RCPT TO:<far@remote.example>')), '250');
      assert.equal(code(await smtp.command('DATA')), '354');
      assert.match((await smtp.command(`From: ${dir.alice.email}\r\nSubject: full\r\n\r\nx\r\n.`))[0], /^552 5\.2\.2 /);
      smtp.close();
    } finally {
      delivery.used.delete(dir.alice.id);
    }
    assert.equal(outbound.enqueued.length, queued);
  });

  test('a store failure after the remote part was queued is 451 4.3.0: the client retries, a duplicate at worst', async () => {
    const queued = outbound.enqueued.length;
    delivery.failWith = new Error('disk on fire');
    try {
      const smtp = await signedIn();
      assert.equal(code(await smtp.command(`MAIL FROM:<${dir.alice.email}>`)), '250');
      assert.equal(code(await smtp.command('RCPT TO:<far@remote.example>')), '250');
      assert.equal(code(await smtp.command('DATA')), '354');
      assert.match((await smtp.command(`From: ${dir.alice.email}\r\nSubject: half\r\n\r\nx\r\n.`))[0], /^451 4\.3\.0 /);
      smtp.close();
    } finally {
      delivery.failWith = undefined;
    }
    assert.equal(outbound.enqueued.length, queued + 1, 'queued first, so that nothing is lost');
  });

  test("AUTH PLAIN asking to act as someone else (an authzid) is refused; the authzid alone, as some clients send it, signs in", async () => {
    const smtp = await openRawSmtps(door.smtpsPort);
    await smtp.reply();
    await smtp.command('EHLO client.example');
    const token = (authzid: string, authcid: string) => Buffer.from(`${authzid}\0${authcid}\0${MAILBOX_PASSWORD}`).toString('base64');
    assert.deepEqual(await smtp.command(`AUTH PLAIN ${token(dir.bob.email, dir.alice.email)}`), ['535 5.7.8 Authentication credentials invalid']);
    assert.equal(code(await smtp.command(`AUTH PLAIN ${token(dir.alice.email, '')}`)), '235');
    smtp.close();
    door.login.throttle.succeeded('127.0.0.1');
  });

  test('the log records sign-ins and refusals, never the password', async () => {
    const smtp = await openRawSmtps(door.smtpsPort);
    await smtp.reply();
    await smtp.command('EHLO client.example');
    assert.equal(code(await smtp.command(`AUTH PLAIN ${plain(dir.bob.email, 'Secret-Guess-42')}`)), '535');
    smtp.close();
    door.login.throttle.succeeded('127.0.0.1');
    const all = logLines.join('');
    assert.match(all, /"event":"submission\.auth_failed"/);
    assert.match(all, /"event":"submission\.auth_succeeded"/);
    assert.match(all, /"event":"submission\.accepted"/);
    assert.ok(!all.includes('Secret-Guess-42') && !all.includes(MAILBOX_PASSWORD), 'no password in the log');
    assert.ok(!all.includes(plain(dir.bob.email, 'Secret-Guess-42')), 'nor its base64');
  });
});
