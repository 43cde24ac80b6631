// Raw-socket transcripts of what no well-behaved client sends: SMTP smuggling (bare line endings
// around the end-of-data dot), commands pipelined behind STARTTLS (CVE-2011-0411), over-long
// lines, too many sessions and commands, deep MIME nesting, a huge header block, and forged
// Authentication-Results. Each is refused with its RFC reply, and nothing of it is stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeDirectory, openTestStore, RawSmtp, RecordingDelivery, startTestMx, code, type MailDirectory, type TestStore } from '../helpers/smtp.ts';
import type { MxListener } from '../../src/smtp/mx-server.ts';

async function greeted(port: number): Promise<RawSmtp> {
  const smtp = await RawSmtp.open(port);
  assert.equal(code(await smtp.reply()), '220');
  return smtp;
}

async function inData(port: number, to: string): Promise<RawSmtp> {
  const smtp = await greeted(port);
  assert.equal(code(await smtp.command('EHLO client.outside.example')), '250');
  assert.equal(code(await smtp.command('MAIL FROM:<sender@outside.example>')), '250');
  assert.equal(code(await smtp.command(`RCPT TO:<${to}>`)), '250');
  assert.equal(code(await smtp.command('DATA')), '354');
  return smtp;
}

describe('SMTP transcripts', () => {
  let t: TestStore;
  let dir: MailDirectory;
  let delivery: RecordingDelivery;
  let mx: MxListener;
  before(async () => {
    t = await openTestStore('sqlite');
    dir = await makeDirectory(t.store.db, t.box);
    delivery = new RecordingDelivery();
    mx = await startTestMx(t, { delivery });
  });
  after(async () => {
    await mx.close();
    await t.close();
  });

  describe('SMTP smuggling', () => {
    const smuggled = (to: string) => `MAIL FROM:<ceo@victim.example>\r\nRCPT TO:<${to}>\r\nDATA\r\nSubject: smuggled\r\n\r\nforged\r\n`;
    const variants: [string, (to: string) => string][] = [
      ['<LF>.<LF>', (to) => `Subject: a\r\n\r\nbody\n.\n${smuggled(to)}`],
      ['<CRLF>.<LF>', (to) => `Subject: a\r\n\r\nbody\r\n.\n${smuggled(to)}`],
      ['<LF>.<CRLF>', (to) => `Subject: a\r\n\r\nbody\n.\r\n${smuggled(to)}`],
      ['<CR>.<CR>', (to) => `Subject: a\r\n\r\nbody\r.\r${smuggled(to)}`],
      ['<CRLF>.<CR>', (to) => `Subject: a\r\n\r\nbody\r\n.\r${smuggled(to)}`],
      ['a bare CR in a header', () => `Subject: a\rb\r\n\r\nbody\r\n`],
    ];
    for (const [name, data] of variants) {
      test(`${name} does not end DATA; the message is refused with 554 5.6.0 and the smuggled commands never run`, async () => {
        const before = delivery.delivered.length;
        const smtp = await inData(mx.port, dir.alice.email);
        smtp.write(data(dir.bob.email) + '.\r\n');
        const reply = await smtp.reply();
        assert.match(reply[0], /^554 5\.6\.0 Message refused: bare CR or LF/);
        assert.equal(code(await smtp.command('NOOP')), '250');
        await sleep(100);
        assert.equal(smtp.unread(), '', 'no reply to any smuggled command');
        smtp.close();
        assert.equal(delivery.delivered.length, before);
      });
    }

    test('only <CRLF>.<CRLF> ends DATA: a dot-stuffed line stays in the message', async () => {
      const before = delivery.delivered.length;
      const smtp = await inData(mx.port, dir.alice.email);
      smtp.write('Subject: dots\r\n\r\n..\r\n..leading\r\n.\r\n');
      assert.match((await smtp.reply())[0], /^250 2\.6\.0 /);
      smtp.close();
      assert.equal(delivery.delivered.length, before + 1);
      assert.match(delivery.delivered[before].raw.toString(), /\r\n\r\n\.\r\n\.leading\r\n$/);
    });
  });

  describe('STARTTLS', () => {
    test('commands pipelined behind STARTTLS are discarded, and the TLS session starts afresh (CVE-2011-0411)', async () => {
      const smtp = await greeted(mx.port);
      assert.equal(code(await smtp.command('EHLO client.outside.example')), '250');
      smtp.write(`STARTTLS\r\nMAIL FROM:<injected@outside.example>\r\nRCPT TO:<${dir.alice.email}>\r\n`);
      assert.match((await smtp.reply())[0], /^220 /);
      const leftover = await smtp.startTls();
      assert.equal(leftover, '', 'no plaintext reply to the injected commands');
      // Nothing from before TLS holds: neither the EHLO nor the injected MAIL FROM.
      assert.match((await smtp.command(`RCPT TO:<${dir.alice.email}>`))[0], /^503 /);
      const ehlo = await smtp.command('EHLO client.outside.example');
      assert.ok(!ehlo.some((line) => line.includes('STARTTLS')), 'STARTTLS is not offered twice');
      assert.match((await smtp.command(`RCPT TO:<${dir.alice.email}>`))[0], /^503 /, 'the injected MAIL FROM was never run');
      assert.match((await smtp.command('MAIL FROM:<sender@outside.example>'))[0], /^250 /);
      assert.match((await smtp.command(`RCPT TO:<${dir.alice.email}>`))[0], /^250 /);
      await sleep(100);
      assert.equal(smtp.unread(), '');
      smtp.close();
    });
  });

  describe('session limits', () => {
    test('a command line over 512 octets gets 500 5.5.2 and the session goes on; one over the parser bound closes it', async () => {
      const smtp = await greeted(mx.port);
      assert.match((await smtp.command('EHLO ' + 'a'.repeat(600)))[0], /^500 5\.5\.2 Line too long/);
      assert.match((await smtp.command('NOOP'))[0], /^250 /);
      assert.match((await smtp.command('NOOP ' + 'x'.repeat(5000)))[0], /^421 /);
      smtp.close();
    });

    test('sessions per IP address and commands per session are bounded (421 4.7.0)', async () => {
      const limited = await startTestMx(t, { delivery, limits: { maxSessionsPerIp: 2, maxCommandsPerSession: 5 } });
      try {
        const a = await greeted(limited.port);
        const b = await greeted(limited.port);
        const c = await RawSmtp.open(limited.port);
        assert.match((await c.reply())[0], /^421 4\.7\.0 Too many sessions from your address/);
        c.close();
        b.close();
        await sleep(100);
        const d = await greeted(limited.port);
        d.close();
        for (let i = 0; i < 5; i++) assert.equal(code(await a.command('NOOP')), '250');
        assert.match((await a.command('NOOP'))[0], /^421 4\.7\.0 Too many commands/);
        a.close();
      } finally {
        await limited.close();
      }
    });
  });

  describe('message checks', () => {
    const nested = (depth: number) => {
      let body = 'leaf\r\n';
      for (let level = depth; level > 0; level--) {
        body = `Content-Type: multipart/mixed; boundary="b${level}"\r\n\r\n--b${level}\r\n${level === depth ? 'Content-Type: text/plain\r\n\r\n' : ''}${body}--b${level}--\r\n`;
      }
      return `Subject: nested\r\nMIME-Version: 1.0\r\n${body}`;
    };

    test('MIME nesting deeper than the store parses (16 levels) is refused (554 5.6.0); 10 levels are fine', async () => {
      let smtp = await inData(mx.port, dir.alice.email);
      smtp.write(nested(40) + '.\r\n');
      assert.match((await smtp.reply())[0], /^554 5\.6\.0 Message refused: MIME parts nested deeper than 16/);
      smtp.close();
      smtp = await inData(mx.port, dir.alice.email);
      smtp.write(nested(10) + '.\r\n');
      assert.match((await smtp.reply())[0], /^250 /);
      smtp.close();
    });

    test('a header block over its limit is refused (552 5.3.4)', async () => {
      const limited = await startTestMx(t, { delivery, limits: { maxHeaderBytes: 1024 } });
      try {
        const smtp = await inData(limited.port, dir.alice.email);
        smtp.write(`Subject: big\r\n${'X-Filler: ' + 'y'.repeat(70) + '\r\n'}`.repeat(30) + '\r\nbody\r\n.\r\n');
        assert.match((await smtp.reply())[0], /^552 5\.3\.4 Message header exceeds 1024 bytes/);
        smtp.close();
      } finally {
        await limited.close();
      }
    });

    test("Authentication-Results claiming this server's name are removed; others are kept", async () => {
      const before = delivery.delivered.length;
      const smtp = await inData(mx.port, dir.alice.email);
      smtp.write(
        'Authentication-Results: mx.godwit.test; dmarc=pass header.from=bank.example\r\n' +
          'Authentication-Results: MX.GODWIT.TEST;\r\n spf=pass\r\n' +
          'Authentication-Results: relay.other.example; spf=pass\r\n' +
          'From: ceo@bank.example\r\nSubject: forged\r\n\r\nbody\r\n.\r\n',
      );
      assert.match((await smtp.reply())[0], /^250 /);
      smtp.close();
      const stored = delivery.delivered[before].raw.toString();
      assert.equal((stored.match(/^Authentication-Results: mx\.godwit\.test;/gim) ?? []).length, 1, 'only ours');
      assert.ok(!stored.includes('dmarc=pass header.from=bank.example'));
      assert.ok(stored.includes('Authentication-Results: relay.other.example; spf=pass'));
    });
  });
});
