// Mail through `godwit serve` as an administrator runs it: the MX, both submission ports and the
// outbound queue in one process, the remote domain's MX found through --dns-server and reached on
// GODWIT_REMOTE_SMTP_PORT. swaks and nodemailer submit; a loopback SMTP server plays the remote
// MX; GetMailboxDetails and `godwit queue` show what an administrator would look at.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { CreateOrganizationCommand, CreateUserCommand, GetMailboxDetailsCommand, RegisterToWorkMailCommand, WorkMailClient } from '@aws-sdk/client-workmail';
import { godwit, serveJson, type ServeProcess } from '../helpers/cli.ts';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.ts';
import { RemoteMx } from '../helpers/outbound.ts';

const run = promisify(execFile);
const PASSWORD = 'Submission-Passw0rd!';
const DOMAIN = 'served.godwit.localhost';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const portOf = (endpoint: unknown) => Number(/:(\d+)$/.exec(String(endpoint))![1]);

describe('mail through godwit serve: submission, local delivery, the outbound queue', () => {
  let server: ServeProcess & { printed: Record<string, unknown> };
  let dns: TestDnsServer;
  let remote: RemoteMx;
  let wm: WorkMailClient;
  let orgId: string;
  const ids: Record<string, string> = {};
  const data = join(mkdtempSync(join(tmpdir(), 'godwit-mail-serve-')), 'data');

  const mailboxBytes = async (name: string) =>
    (await wm.send(new GetMailboxDetailsCommand({ OrganizationId: orgId, UserId: ids[name] }))).MailboxSize!;
  const queue = async () => {
    const result = await godwit(['queue', 'list', '--json', '--data', data]);
    assert.equal(result.code, 0, result.stderr);
    return (JSON.parse(result.stdout) as { entries: { id: string; recipient: string; state: string; attempts: number; lastError: string | null }[] }).entries;
  };

  before(async () => {
    dns = await startDnsServer();
    remote = await RemoteMx.start();
    dns.set('remote.example', 'MX', [{ type: 'MX', preference: 10, exchange: 'mx.remote.example' }]);
    dns.set('mx.remote.example', 'A', [{ type: 'A', address: '127.0.0.1' }]);
    server = await serveJson(
      ['--data', data, '--http-port', '0', '--smtp-port', '0', '--smtps-port', '0', '--submission-port', '0', '--dns-server', dns.address],
      { GODWIT_REMOTE_SMTP_PORT: String(remote.port) },
    );
    wm = new WorkMailClient({
      endpoint: server.endpoint,
      region: String(server.printed.region),
      credentials: { accessKeyId: String(server.printed.accessKeyId), secretAccessKey: String(server.printed.secretAccessKey) },
      maxAttempts: 1,
    });
    orgId = (await wm.send(new CreateOrganizationCommand({ Alias: 'served' }))).OrganizationId!;
    for (const name of ['alice', 'bob']) {
      ids[name] = (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: name, DisplayName: name, Password: PASSWORD }))).UserId!;
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: ids[name], Email: `${name}@${DOMAIN}` }));
    }
  });
  after(async () => {
    await server?.stop();
    await remote?.stop();
    await dns?.stop();
  });

  test('serve prints both submission endpoints beside the MX', () => {
    assert.match(String(server.printed.smtpEndpoint), /^smtp:\/\/127\.0\.0\.1:\d+$/);
    assert.match(String(server.printed.smtpsEndpoint), /^smtps:\/\/127\.0\.0\.1:\d+$/);
    assert.match(String(server.printed.submissionEndpoint), /^smtp:\/\/127\.0\.0\.1:\d+$/);
  });

  test('swaks on 587 (STARTTLS, AUTH LOGIN): bob gets it, the remote MX gets it, alice keeps a copy', async () => {
    const [aliceBefore, bobBefore] = [await mailboxBytes('alice'), await mailboxBytes('bob')];
    const { stdout } = await run(
      '/usr/bin/swaks',
      [
        '--server', '127.0.0.1', '--port', String(portOf(server.printed.submissionEndpoint)), '--tls',
        '--auth', 'LOGIN', '--auth-user', `alice@${DOMAIN}`, '--auth-password', PASSWORD,
        '--from', `alice@${DOMAIN}`, '--to', `bob@${DOMAIN},carol@remote.example`,
        '--header', 'Subject: served end to end',
      ],
      { timeout: 30_000 },
    );
    assert.match(stdout, /<~\s+250 2\.6\.0 /);
    const delivered = await until('the remote MX to receive the message', async () => remote.received.find((one) => one.to.includes('carol@remote.example')));
    assert.equal(delivered.from, `alice@${DOMAIN}`);
    assert.match(delivered.raw.toString('utf8'), /Subject: served end to end/);
    assert.equal(/(?<!\r)\n/.test(delivered.raw.toString('latin1')), false, 'no bare LF on the wire');
    assert.ok((await mailboxBytes('bob')) > bobBefore, "bob's mailbox grew");
    assert.ok((await mailboxBytes('alice')) > aliceBefore, "alice's Sent Items copy counts in her mailbox");
    assert.deepEqual(await until('the queue to empty', async () => ((await queue()).length === 0 ? [] : undefined)), []);
  });

  test('nodemailer on 465: a remote 550 brings a bounce into the sender’s mailbox, and the queue is empty again', async () => {
    remote.onRcpt = (address) => (address === 'nobody@remote.example' ? { code: 550, message: '5.1.1 no such user here' } : undefined);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: portOf(server.printed.smtpsEndpoint),
      secure: true,
      tls: { rejectUnauthorized: false },
      auth: { user: `alice@${DOMAIN}`, pass: PASSWORD },
    });
    const before = await mailboxBytes('alice');
    const info = await transport.sendMail({ from: `alice@${DOMAIN}`, to: 'nobody@remote.example', subject: 'to be bounced', text: 'hello' });
    transport.close();
    assert.match(info.response, /^250 2\.6\.0 /);
    // The Sent Items copy lands before the 250; the bounce comes after the remote's 550.
    const afterSent = await mailboxBytes('alice');
    assert.ok(afterSent > before);
    await until('the bounce in alice’s Inbox', async () => ((await mailboxBytes('alice')) > afterSent ? true : undefined));
    assert.deepEqual(await queue(), []);
  });

  test('a remote 451 leaves a deferred entry that godwit queue lists with the reply, and deletes', async () => {
    remote.onRcpt = (address) => (address === 'later@remote.example' ? { code: 451, message: '4.3.0 try again later' } : undefined);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: portOf(server.printed.submissionEndpoint),
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: `alice@${DOMAIN}`, pass: PASSWORD },
    });
    await transport.sendMail({ from: `alice@${DOMAIN}`, to: 'later@remote.example', subject: 'deferred', text: 'later' });
    transport.close();
    const [entry] = await until('a deferred entry', async () => {
      const entries = await queue();
      return entries.length === 1 && entries[0].state === 'deferred' ? entries : undefined;
    });
    assert.equal(entry.recipient, 'later@remote.example');
    assert.equal(entry.attempts, 1);
    assert.match(entry.lastError ?? '', /451/);
    const listed = await godwit(['queue', 'list', '--data', data]);
    assert.match(listed.stdout, /later@remote\.example/);
    const deleted = await godwit(['queue', 'delete', entry.id, '--data', data]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /^1 recipient deleted/);
    assert.deepEqual(await queue(), []);
    const unknown = await godwit(['queue', 'delete', entry.id, '--data', data]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /godwit: /);
  });

  test('a malformed --relay stops the start, naming the flag and never repeating the password', async () => {
    const other = join(mkdtempSync(join(tmpdir(), 'godwit-relay-bad-')), 'data');
    const result = await godwit(['serve', '--data', other, '--http-port', '0', '--relay', 'smtp://mailer:s3cret-pass@relay.example:99999']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--relay \/ GODWIT_RELAY: relay URL: the port 99999 is not between 1 and 65535/);
    assert.doesNotMatch(result.stderr + result.stdout, /s3cret-pass/);
  });
});
