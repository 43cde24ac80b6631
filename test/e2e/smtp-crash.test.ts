// Crash test of inbound SMTP, on both engines: a real `godwit serve --smtp-port` process takes
// mail from several concurrent SMTP sessions while the test kills it with SIGKILL at random
// moments and starts it again on the same data folder and port. The clients resend whatever did
// not get its 250. Afterwards every message that got a 250 must be in the mailbox (once, or more
// when a reply was lost to a kill after the commit: a sender then resends, as SMTP allows), and
// the store's consistency check must find nothing wrong, before and after the orphan sweeper.
//
// The clients speak SMTP on raw sockets so that the test sees exactly which reply each message
// got; nodemailer would hide a reset after the final dot behind its own retries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateOrganizationCommand, CreateUserCommand, RegisterToWorkMailCommand, WorkMailClient } from '@aws-sdk/client-workmail';
import { systemClock } from '../../src/clock.ts';
import { checkMailStore } from '../../src/mail/store/consistency.ts';
import { MailService } from '../../src/mail/store/service.ts';
import { openStore } from '../../src/store/database.ts';
import { serveJson, type ServeProcess } from '../helpers/cli.ts';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../helpers/postgres.ts';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.ts';

const MESSAGES = 300;
const SESSIONS = 6;
const KILLS = 4;

/** One SMTP session on a raw socket: sends a line (or the message), resolves with the complete reply. */
class SmtpSession {
  private buffered = '';
  private lines: string[] = [];
  private waiting: { resolve(reply: string): void; reject(error: Error): void } | undefined;
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      let end: number;
      while ((end = this.buffered.indexOf('\r\n')) >= 0) {
        const line = this.buffered.slice(0, end);
        this.buffered = this.buffered.slice(end + 2);
        this.lines.push(line);
        // The last line of a reply has a space after its code (RFC 5321 section 4.2.1).
        if (/^\d{3}(?: |$)/.test(line)) {
          const reply = this.lines.join('\n');
          this.lines = [];
          const waiting = this.waiting;
          this.waiting = undefined;
          waiting?.resolve(reply);
        }
      }
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.reject(this.failure);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static async open(port: number): Promise<SmtpSession> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const session = new SmtpSession(socket);
    await session.expect('', 220);
    await session.expect('EHLO crash-client.example\r\n', 250);
    return session;
  }

  reply(text: string): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      if (text) this.socket.write(text);
    });
  }

  async expect(text: string, code: number): Promise<string> {
    const reply = await this.reply(text);
    if (!reply.startsWith(String(code))) throw new Error(`expected ${code} to ${JSON.stringify(text.trim())}, got ${reply}`);
    return reply;
  }

  close(): void {
    this.socket.destroy();
  }
}

// About 2 KB each, distinct per n, with the Message-ID the check looks for.
const messageText = (n: number) =>
  [`From: sender@crash.example`, `To: crashy`, `Subject: crash ${n}`, `Message-ID: <smtp-crash-${n}@crash.example>`, '', `Message ${n}.`, 'x'.repeat(2000), '.', ''].join('\r\n');

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`inbound SMTP survives SIGKILL of godwit serve (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    const root = mkdtempSync(join(tmpdir(), 'godwit-smtp-crash-'));
    const data = join(root, 'data');
    let database: TempDatabase | undefined;
    let dns: TestDnsServer;
    let env: Record<string, string | undefined>;
    let server: ServeProcess | undefined;

    before(async () => {
      dns = await startDnsServer();
      database = engine === 'postgres' ? await createTempDatabase() : undefined;
      env = { GODWIT_DATABASE_URL: database?.url, GODWIT_DNS_SERVER: dns.address, GODWIT_LOG_LEVEL: 'warn' };
    });
    after(async () => {
      if (server) await server.stop();
      await dns?.stop();
      await database?.drop();
      rmSync(root, { recursive: true, force: true });
    });

    test('every message that got 250 is in the mailbox after kills at random moments; the store is consistent', async (t) => {
      const first = await serveJson(['--data', data, '--http-port', '0', '--smtp-port', '0'], env);
      server = first;
      const port = Number(/:(\d+)$/.exec(String(first.printed.smtpEndpoint))![1]);
      const wm = new WorkMailClient({
        endpoint: first.endpoint,
        region: String(first.printed.region),
        credentials: { accessKeyId: String(first.printed.accessKeyId), secretAccessKey: String(first.printed.secretAccessKey) },
        maxAttempts: 1,
      });
      const orgId = (await wm.send(new CreateOrganizationCommand({ Alias: `crash-${engine}` }))).OrganizationId!;
      const userId = (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: 'crashy', DisplayName: 'Crashy' }))).UserId!;
      const address = `crashy@crash-${engine}.godwit.localhost`;
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: userId, Email: address }));

      const accepted = new Set<number>();
      let unanswered = 0; // messages whose session broke after the final dot, before any reply
      let next = 1;
      let done = false;
      // Each client takes the next message and sends it until it gets a 250, reconnecting as needed.
      const client = async () => {
        let session: SmtpSession | undefined;
        for (let n = next++; n <= MESSAGES; n = next++) {
          for (;;) {
            let afterDot = false;
            try {
              session ??= await SmtpSession.open(port);
              await session.expect('MAIL FROM:<sender@crash.example>\r\n', 250);
              await session.expect(`RCPT TO:<${address}>\r\n`, 250);
              await session.expect('DATA\r\n', 354);
              afterDot = true;
              await session.expect(messageText(n), 250);
              accepted.add(n);
              break;
            } catch (error) {
              if (afterDot) unanswered++;
              session?.close();
              session = undefined;
              // A 4xx is a reply to retry; anything else is the server being down: wait for it.
              if (!/connection closed|ECONNREFUSED|ECONNRESET|EPIPE|expected \d+ .*, got 4/.test((error as Error).message)) throw error;
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          }
        }
        session?.close();
      };
      const clients = Promise.all(Array.from({ length: SESSIONS }, client)).finally(() => (done = true));

      // The killer: waits until some mail got through since the last start, then kills at a random moment.
      let kills = 0;
      while (kills < KILLS && !done) {
        const before = accepted.size;
        while (accepted.size < before + 5 && !done) await new Promise((resolve) => setTimeout(resolve, 10));
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 400));
        if (done) break;
        server.child.kill('SIGKILL');
        await server.stop();
        kills++;
        server = await serveJson(['--data', data, '--http-port', '0', '--smtp-port', String(port)], env);
      }
      await clients;
      await server.stop();
      server = undefined;
      assert.equal(accepted.size, MESSAGES, 'every message got its 250 in the end');

      const store = openStore({ dataDir: data, databaseUrl: database?.url });
      const mail = new MailService({ store, dataDir: data, clock: systemClock, defaultQuotaMb: 51200, orphanGraceMs: 0 });
      try {
        const rows = await store.db.selectFrom('mail_messages').select('envelope').where('mailbox_id', '=', userId).execute();
        const counts = new Map<number, number>();
        for (const row of rows) {
          const n = Number(/<smtp-crash-(\d+)@/.exec((JSON.parse(row.envelope) as { messageId: string }).messageId)![1]);
          counts.set(n, (counts.get(n) ?? 0) + 1);
        }
        const missing = [...accepted].filter((n) => !counts.has(n));
        assert.deepEqual(missing, [], 'messages that got 250 but are not in the mailbox');
        const duplicated = [...counts.values()].filter((count) => count > 1).length;
        // A duplicate needs a kill after the commit and before the 250 reached the client.
        assert.ok(duplicated <= unanswered, `${duplicated} messages filed twice, but only ${unanswered} lost their reply`);
        assert.deepEqual(await checkMailStore(store.db, mail.blobs), []);
        const swept = await mail.sweepOrphans(0);
        assert.deepEqual(await checkMailStore(store.db, mail.blobs), [], 'after the orphan sweeper');
        t.diagnostic(`${kills} kills; ${MESSAGES} messages accepted, ${rows.length} filed, ${duplicated} filed twice, ${unanswered} sends lost their reply, ${swept.removed.length} orphan bodies swept`);
        assert.ok(kills >= 2, `only ${kills} kills happened`);
      } finally {
        await mail.stop();
        await store.close();
      }
    });
  });
}
