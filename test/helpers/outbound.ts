// Outbound queue fixtures: a store (reopenable, for restarts) holding an organization whose
// custom domain acme.example has its DKIM key VERIFIED the way the product does it (the record
// published in the test DNS server, then refreshVerification), a remote MX (smtp-server on a
// loopback port) whose replies each test scripts, and the queue service over the mailbox store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import { generate } from 'selfsigned';
import { fixedClock } from '../../src/clock.ts';
import { createLogger } from '../../src/log/logger.ts';
import { mailDnsResolver } from '../../src/mail/authentication/resolver.ts';
import { MailService } from '../../src/mail/store/service.ts';
import { OutboundService, type OutboundOptions } from '../../src/mail/outbound/service.ts';
import { createServerKey, loadServerKey, type SecretBox } from '../../src/security/secret-box.ts';
import { migrate, openStore, type Store } from '../../src/store/database.ts';
import { dkimRecordName, dkimRecordValue, ownershipRecordName } from '../../src/workmail/dns-records.ts';
import { dnsTxtLookup, refreshVerification } from '../../src/workmail/domain-verification.ts';
import { registerMailDomain, requireMailDomain } from '../../src/workmail/mail-domains.ts';
import { startDnsServer, type TestDnsServer } from './dns-server.ts';
import { createTempDatabase, type TempDatabase } from './postgres.ts';
import { makeDirectory, type Engine, type MailDirectory } from './smtp.ts';

export const SIGNED_DOMAIN = 'acme.example';
export const REMOTE_DOMAIN = 'remote.example';
export const REMOTE_MX = 'mx.remote.example';
export const MAIL_HOST = 'mail.godwit.test';

/** A data folder and, for PostgreSQL, a database, that outlive the stores opened on them. */
export class OutboundWorld {
  stores: Store[] = [];
  services: OutboundService[] = [];
  mails: MailService[] = [];
  clock = fixedClock(new Date('2026-12-01T12:00:00Z'));
  box!: SecretBox;
  directory!: MailDirectory;
  dns!: TestDnsServer;

  private constructor(
    readonly engine: Engine,
    readonly dataDir: string,
    readonly database: TempDatabase | undefined,
  ) {}

  static async create(engine: Engine): Promise<OutboundWorld> {
    const dataDir = mkdtempSync(join(tmpdir(), 'godwit-outbound-'));
    const world = new OutboundWorld(engine, dataDir, engine === 'postgres' ? await createTempDatabase() : undefined);
    world.dns = await startDnsServer();
    world.dns.set(REMOTE_DOMAIN, 'MX', [{ type: 'MX', preference: 10, exchange: REMOTE_MX }]);
    world.dns.set(REMOTE_MX, 'A', [{ type: 'A', address: '127.0.0.1' }]);
    world.box = createServerKey(dataDir);
    const store = await world.openStore();
    world.directory = await makeDirectory(store.db, world.box);
    await registerMailDomain(store.db, world.box, world.directory.orgId, SIGNED_DOMAIN, 'godwit.test', new Date());
    const row = await requireMailDomain(store.db, world.directory.orgId, SIGNED_DOMAIN);
    world.dns.setTxt(ownershipRecordName(SIGNED_DOMAIN), row.ownership_token);
    world.dns.setTxt(dkimRecordName(SIGNED_DOMAIN, row.dkim_selector!), dkimRecordValue(row.dkim_public_key!));
    const states = await refreshVerification(store.db, await dnsTxtLookup(world.dns.address), row);
    if (states.dkim !== 'VERIFIED') throw new Error(`fixture: DKIM of ${SIGNED_DOMAIN} is ${states.dkim}`);
    return world;
  }

  async openStore(): Promise<Store> {
    const store = openStore({ dataDir: this.dataDir, databaseUrl: this.database?.url });
    await migrate(store.db);
    this.stores.push(store);
    return store;
  }

  /** A queue service (not started unless asked) over `store`, with its own mailbox store over the shared blob folder. */
  async service(store: Store, options: Partial<OutboundOptions> & { port: number; start?: boolean }): Promise<{ outbound: OutboundService; mail: MailService }> {
    const mail = new MailService({ store, dataDir: this.dataDir, clock: this.clock, defaultQuotaMb: 50 });
    this.mails.push(mail);
    const outbound = new OutboundService({
      store,
      blobs: mail.blobs,
      delivery: mail.delivery,
      box: loadServerKey(this.dataDir),
      resolver: await mailDnsResolver(this.dns.address, 1000),
      clock: this.clock,
      logger: createLogger('silent'),
      mailHost: MAIL_HOST,
      remotePort: options.port,
      retry: { baseMs: 60_000, maxDelayMs: 60 * 60_000 },
      pollEveryMs: 60_000,
      connectTimeoutMs: 3000,
      socketTimeoutMs: 10_000,
      ...options,
    });
    this.services.push(outbound);
    if (options.start !== false) outbound.start();
    return { outbound, mail };
  }

  /** Stops every queue worker started so far, so that only the next one claims. */
  async stopServices(): Promise<void> {
    for (const service of this.services) await service.stop();
  }

  async close(): Promise<void> {
    for (const service of this.services) await service.stop();
    for (const mail of this.mails) await mail.stop();
    for (const store of this.stores) await store.close().catch(() => undefined);
    await this.dns.stop();
    await this.database?.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
  secure: boolean;
  user: string | undefined;
}

export type RcptAnswer = undefined | { code: number; message: string };

/** A remote SMTP server on loopback: records what it accepts; `onRcpt` scripts the RCPT replies. */
export class RemoteMx {
  readonly received: ReceivedMessage[] = [];
  /** Every RCPT TO seen, accepted or not. */
  readonly rcpts: string[] = [];
  onRcpt: (address: string, seen: number) => RcptAnswer = () => undefined;
  readonly errors: Error[] = [];
  /** Delay before the reply to the data, to make attempts overlap. */
  dataDelayMs = 0;
  port = 0;
  private server!: SMTPServer;

  static async start(options: { auth?: { user: string; pass: string }; tls?: { key: string; cert: string; ciphers?: string; maxVersion?: 'TLSv1.2' } } = {}): Promise<RemoteMx> {
    const remote = new RemoteMx();
    const server = new SMTPServer({
      ...(options.tls ?? {}),
      authOptional: !options.auth,
      disabledCommands: options.auth ? [] : ['AUTH'],
      logger: false,
      size: 30 * 1024 * 1024,
      onAuth(auth: SMTPServerAuthentication, _session: SMTPServerSession, callback) {
        if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
        callback(new Error('535 5.7.8 bad credentials'));
      },
      onRcptTo(address, _session, callback) {
        remote.rcpts.push(address.address);
        const seen = remote.rcpts.filter((one) => one === address.address).length;
        const answer = remote.onRcpt(address.address, seen);
        if (!answer) return callback();
        callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          remote.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks),
            secure: session.secure,
            user: session.user as string | undefined,
          });
          setTimeout(() => callback(), remote.dataDelayMs);
        });
      },
    });
    remote.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    remote.port = (server.server.address() as { port: number }).port;
    // A failed TLS handshake is reported here; some tests cause one on purpose.
    server.on('error', (error) => remote.errors.push(error));
    return remote;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A certificate for 127.0.0.1 that a test hands the relay client as its only trusted CA. */
export async function loopbackCertificate(): Promise<{ key: string; cert: string }> {
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 3_600_000),
    notAfterDate: new Date(now.getTime() + 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** A submitted message as submission hands it over: CRLF, From on the signed domain. */
export function submitted(subject: string, to: readonly string[], from = `alice@${SIGNED_DOMAIN}`): Buffer {
  return Buffer.from(
    [
      `Received: from client.example by ${MAIL_HOST} with ESMTPSA; Tue, 01 Dec 2026 12:00:00 +0000`,
      `From: Alice <${from}>`,
      `To: ${to.join(', ')}`,
      `Subject: ${subject}`,
      'Date: Tue, 01 Dec 2026 12:00:00 +0000',
      `Message-ID: <${subject.replace(/\W/g, '')}.${Math.random().toString(36).slice(2)}@${SIGNED_DOMAIN}>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Hello from the ${subject} test.`,
      '.leading dot line',
      '',
    ].join('\r\n'),
  );
}

export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
