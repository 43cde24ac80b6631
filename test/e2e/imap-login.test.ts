// Signing in to Godwit's IMAP server (src/imap) on both engines: imapflow over implicit TLS and
// over STARTTLS, Python's imaplib over TLS, and raw transcripts over node:tls / node:net for what
// no client library sends: cleartext LOGIN, STARTTLS injection, SASL exchanges, and each bound.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { prepareCertificate } from '../../src/tls/certificate.ts';
import { ImapFlow } from 'imapflow';
import { makeDirectory, MAILBOX_PASSWORD, openTestStore, withMailboxPasswords, type Engine, type MailDirectory, type TestStore } from '../helpers/smtp.ts';
import { plainAuth, RawImap, startTestImap } from '../helpers/imap.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { LoginThrottle } from '../../src/security/login-throttle.ts';
import { deregisterFromWorkMail } from '../../src/workmail/registration.ts';
import { resetPassword } from '../../src/workmail/users.ts';

// Failures slow the next attempt only a little here, so that the tests stay quick.
const quickThrottle = () => new LoginThrottle({ baseDelayMs: 10, maxDelayMs: 40, maxFailures: 1000, windowMs: 60_000, maxTracked: 100 });

const silent = { debug() {}, info() {}, warn() {}, error() {} };

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IMAP login (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestStore;
    let dir: MailDirectory;
    let imap: Awaited<ReturnType<typeof startTestImap>>;

    before(async () => {
      t = await openTestStore(engine);
      dir = await makeDirectory(t.store.db, t.box);
      await withMailboxPasswords(t.store.db, dir);
      imap = await startTestImap(t, { throttle: quickThrottle() });
    });
    after(async () => {
      await imap?.close();
      await t?.close();
    });

    test('imapflow signs in over implicit TLS (993) and over STARTTLS (143)', async () => {
      for (const secure of [true, false]) {
        const client = new ImapFlow({
          host: '127.0.0.1',
          port: secure ? imap.imapsPort : imap.imapPort,
          secure,
          doSTARTTLS: secure ? undefined : true,
          tls: { rejectUnauthorized: false },
          auth: { user: dir.alice.email, pass: MAILBOX_PASSWORD },
          logger: silent,
        } as ConstructorParameters<typeof ImapFlow>[0]);
        client.on('error', () => undefined);
        await client.connect();
        assert.equal(client.authenticated, true, `authenticated (secure: ${secure})`);
        assert.equal(client.secureConnection, true);
        assert.deepEqual(client.serverInfo, { name: 'Godwit', vendor: 'Godwit' });
        await client.logout();
      }
    });

    test("Python's imaplib signs in over TLS and logs out", async () => {
      const script = [
        'import imaplib, ssl, sys',
        'ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE',
        'm = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=ctx)',
        'print(" ".join(sorted(m.capabilities)))',
        'typ, data = m.login(sys.argv[2], sys.argv[3]); print(typ)',
        'print(m.noop()[0]); print(m.logout()[0])',
        'try:',
        '    imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=ctx).login(sys.argv[2], "wrong")',
        'except imaplib.IMAP4.error as e: print("refused", e)',
      ].join('\n');
      // Asynchronously: the server runs in this process.
      const run = await promisify(execFile)('python3', ['-c', script, String(imap.imapsPort), dir.bob.email, MAILBOX_PASSWORD], { encoding: 'utf8', timeout: 20_000 });
      const lines = run.stdout.trim().split('\n');
      assert.match(lines[0], /AUTH=PLAIN.*IMAP4REV1/);
      assert.deepEqual(lines.slice(1, 4), ['OK', 'OK', 'BYE']);
      assert.match(lines[4], /^refused .*AUTHENTICATIONFAILED/);
    });

    test('143 before STARTTLS: LOGINDISABLED, LOGIN and AUTHENTICATE refused with PRIVACYREQUIRED', async () => {
      const c = await RawImap.plain(imap.imapPort);
      assert.equal(await c.line(), '* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE STARTTLS LOGINDISABLED] Godwit IMAP ready');
      assert.deepEqual(await c.command('a1', `LOGIN ${dir.alice.email} "${MAILBOX_PASSWORD}"`), [
        'a1 NO [PRIVACYREQUIRED] Use STARTTLS before logging in: passwords are not accepted in cleartext',
      ]);
      assert.match((await c.command('a2', `AUTHENTICATE PLAIN ${plainAuth(dir.alice.email, MAILBOX_PASSWORD)}`))[0], /^a2 NO \[PRIVACYREQUIRED\]/);
      assert.deepEqual(await c.command('a3', 'NOOP'), ['a3 OK NOOP completed']);
      c.close();
    });

    test('STARTTLS: commands pipelined behind it in cleartext are discarded, and capabilities change', async () => {
      const c = await RawImap.plain(imap.imapPort);
      await c.line();
      // An attacker in the middle appends a LOGIN (with a correct password) behind the client's STARTTLS.
      c.write(`s1 STARTTLS\r\ns2 LOGIN ${dir.alice.email} "${MAILBOX_PASSWORD}"\r\ns3 SELECT INBOX\r\n`);
      assert.deepEqual(await c.until('s1'), ['s1 OK Begin TLS negotiation now']);
      assert.equal(await c.startTls(), '', 'nothing more in clear');
      assert.deepEqual(await c.command('s4', 'CAPABILITY'), ['* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE AUTH=PLAIN', 's4 OK CAPABILITY completed']);
      assert.deepEqual(await c.command('s5', 'ENABLE CONDSTORE'), ['s5 BAD ENABLE is not allowed before login'], 'the injected LOGIN did not run');
      assert.deepEqual(await c.command('s6', 'STARTTLS'), ['s6 BAD TLS is already active']);
      assert.match((await c.command('s7', `LOGIN ${dir.alice.email} "${MAILBOX_PASSWORD}"`))[0], /^s7 OK \[CAPABILITY IMAP4rev1 LITERAL\+ SASL-IR ID ENABLE\] Logged in$/);
      assert.deepEqual(await c.command('s8', 'STARTTLS'), ['s8 BAD STARTTLS is not allowed after login']);
      c.close();
    });

    test('AUTHENTICATE PLAIN with SASL-IR, with the + exchange, cancelled with *, and malformed', async () => {
      const ir = await RawImap.tls(imap.imapsPort);
      await ir.line();
      assert.match((await ir.command('p1', `AUTHENTICATE PLAIN ${plainAuth(dir.alice.email, MAILBOX_PASSWORD)}`))[0], /^p1 OK \[CAPABILITY [^\]]+\] Logged in$/);
      ir.close();

      const exchange = await RawImap.tls(imap.imapsPort);
      await exchange.line();
      exchange.write('p2 AUTHENTICATE PLAIN\r\n');
      assert.equal(await exchange.line(), '+ ');
      exchange.write(plainAuth(dir.bob.email, MAILBOX_PASSWORD, dir.bob.email) + '\r\n');
      assert.match(await exchange.line(), /^p2 OK /);
      exchange.close();

      const c = await RawImap.tls(imap.imapsPort);
      await c.line();
      c.write('p3 AUTHENTICATE PLAIN\r\n');
      assert.equal(await c.line(), '+ ');
      c.write('*\r\n');
      assert.equal(await c.line(), 'p3 BAD AUTHENTICATE cancelled');
      assert.deepEqual(await c.command('p4', 'AUTHENTICATE PLAIN !!notbase64'), ['p4 BAD The SASL response is not valid base64']);
      assert.match((await c.command('p5', 'AUTHENTICATE CRAM-MD5'))[0], /^p5 NO \[CANNOT\]/);
      assert.match((await c.command('p6', `AUTHENTICATE PLAIN ${plainAuth(dir.alice.email, MAILBOX_PASSWORD, dir.bob.email)}`))[0], /^p6 NO \[AUTHORIZATIONFAILED\]/);
      assert.deepEqual(await c.command('p7', `AUTHENTICATE PLAIN ${plainAuth(dir.alice.email, 'wrong')}`), ['p7 NO [AUTHENTICATIONFAILED] Authentication failed']);
      c.close();
    });

    test('a wrong password and a disabled user are refused with AUTHENTICATIONFAILED; three failures end the session', async () => {
      const c = await RawImap.tls(imap.imapsPort);
      await c.line();
      // Literals for the user name and password, as clients send passwords with specials.
      c.write(`w1 LOGIN {${dir.carol.email.length}}\r\n`);
      assert.equal(await c.line(), '+ Ready for literal data');
      c.write(`${dir.carol.email} {5+}\r\nwrong\r\n`);
      assert.deepEqual(await c.until('w1'), ['w1 NO [AUTHENTICATIONFAILED] Authentication failed']);
      assert.match((await c.command('w2', `LOGIN ${dir.carol.email} "${MAILBOX_PASSWORD}"`))[0], /^w2 OK /);
      c.close();

      await deregisterFromWorkMail(t.store.db, dir.orgId, dir.carol.id, new Date());
      const d = await RawImap.tls(imap.imapsPort);
      await d.line();
      assert.deepEqual(await d.command('d1', `LOGIN ${dir.carol.email} "${MAILBOX_PASSWORD}"`), ['d1 NO [AUTHENTICATIONFAILED] Authentication failed']);
      assert.deepEqual(await d.command('d2', `LOGIN ${dir.alice.email} nope`), ['d2 NO [AUTHENTICATIONFAILED] Authentication failed']);
      assert.deepEqual(await d.command('d3', `LOGIN ${dir.alice.email} nope`), ['d3 NO [AUTHENTICATIONFAILED] Authentication failed']);
      assert.equal(await d.line(), '* BYE Too many failed logins');
      await d.closed();
    });

    test('bounds: a literal too large is refused unread, deep parentheses and long lines get BAD, and the session goes on', async () => {
      const c = await RawImap.tls(imap.imapsPort);
      await c.line();
      // Synchronizing: refused before the client sends a byte of it.
      assert.deepEqual(await c.command('b1', 'LOGIN {99999999}'), ['b1 BAD [TOOBIG] A literal of 99999999 octets is over the 8192 octets LOGIN accepts']);
      // Non-synchronizing: the client sends it anyway; it is skipped, not kept.
      c.write('b2 LOGIN {2000000+}\r\n');
      assert.deepEqual(await c.until('b2'), ['b2 BAD [TOOBIG] A literal of 2000000 octets is over the 8192 octets LOGIN accepts']);
      for (let i = 0; i < 20; i++) c.write(Buffer.alloc(100_000, 0x61));
      c.write(' x\r\n');
      assert.deepEqual(await c.command('b3', 'NOOP'), ['b3 OK NOOP completed']);

      assert.match((await c.command('b4', `ID ${'('.repeat(30)}${')'.repeat(30)}`))[0], /^b4 BAD parentheses nested deeper than 16 levels at octet \d+$/);
      assert.deepEqual(await c.command('b5', `LOGIN ${'x'.repeat(70_000)} y`), ['b5 BAD Command line longer than 65536 octets']);
      assert.deepEqual(await c.command('b6', 'NOOP'), ['b6 OK NOOP completed']);
      assert.deepEqual(await c.command('b7', 'FROBNICATE'), ['b7 BAD Unknown command FROBNICATE']);
      assert.deepEqual(await c.command('b8', 'UID FETCH 1:* FLAGS'), ['b8 BAD UID FETCH is not implemented yet']);
      assert.deepEqual(await c.command('b9', 'LOGIN onlyone'), ['b9 BAD LOGIN: missing arguments']);
      assert.deepEqual(await c.command('b10', 'ID ("name" "raw test" "version" NIL)'), ['* ID ("name" "Godwit" "vendor" "Godwit")', 'b10 OK ID completed']);
      assert.deepEqual(await c.command('b11', 'LOGOUT'), ['* BYE Logging out', 'b11 OK LOGOUT completed']);
      await c.closed();
    });

    test('the per-IP throttle answers UNAVAILABLE; sessions per IP are bounded; an idle session is logged out', async () => {
      const strict = await startTestImap(t, {
        throttle: new LoginThrottle({ baseDelayMs: 1, maxDelayMs: 1, maxFailures: 2, windowMs: 60_000, maxTracked: 100 }),
        limits: { maxSessionsPerIp: 2, unauthenticatedIdleTimeoutMs: 300 },
      });
      try {
        const c = await RawImap.tls(strict.imapsPort);
        await c.line();
        await c.command('t1', `LOGIN ${dir.alice.email} nope`);
        await c.command('t2', `LOGIN ${dir.alice.email} nope`);
        assert.match((await c.command('t3', `LOGIN ${dir.alice.email} "${MAILBOX_PASSWORD}"`))[0], /^t3 NO \[UNAVAILABLE\] Too many failed logins from your address; try again later/);

        const second = await RawImap.plain(strict.imapPort);
        await second.line();
        const third = await RawImap.tls(strict.imapsPort);
        assert.equal(await third.line(), '* BYE Too many connections; try again later');
        await third.closed();
        // The first two are idle and not logged in: each is logged out soon.
        assert.equal(await second.line(2000), '* BYE Autologout; idle for too long');
        await second.closed();
        await c.closed();
      } finally {
        await strict.close();
      }
    });

    test('setCertificate: new sessions on both ports get the new certificate', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'godwit-imap-cert-'));
      try {
        const next = await prepareCertificate({ dataDir: folder, mailHost: 'renewed.godwit.test', tlsCertFile: undefined, tlsKeyFile: undefined }, new Date());
        imap.listeners.setCertificate(next);
        const implicit = await RawImap.tls(imap.imapsPort);
        assert.equal((implicit.socket as TLSSocket).getPeerCertificate().subject.CN, 'renewed.godwit.test');
        implicit.close();
        const upgraded = await RawImap.plain(imap.imapPort);
        await upgraded.line();
        await upgraded.command('c1', 'STARTTLS');
        await upgraded.startTls();
        assert.equal((upgraded.socket as TLSSocket).getPeerCertificate().subject.CN, 'renewed.godwit.test');
        upgraded.close();
      } finally {
        imap.listeners.setCertificate(imap.certificate);
        rmSync(folder, { recursive: true, force: true });
      }
    });

    test('a changed password signs in at once; the old one no longer does', async () => {
      await resetPassword(t.store.db, dir.orgId, dir.bob.id, 'Another-Passw0rd!');
      const c = await RawImap.tls(imap.imapsPort);
      await c.line();
      assert.match((await c.command('r1', `LOGIN ${dir.bob.email} "${MAILBOX_PASSWORD}"`))[0], /^r1 NO \[AUTHENTICATIONFAILED\]/);
      assert.match((await c.command('r2', `LOGIN ${dir.bob.email} "Another-Passw0rd!"`))[0], /^r2 OK /);
      c.close();
    });
  });
}
