// Mail test fixtures: a store on either engine holding one WorkMail organization with users, an
// alias, nested groups and a resource, written through the domain's own functions; a recording
// MailDelivery double (unit tests only: the e2e tests use the mailbox store); and a raw SMTP
// conversation over node:net / node:tls for transcripts no client library would send.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openStore, type Store } from '../../src/store/database.ts';
import { createServerKey, type SecretBox } from '../../src/security/secret-box.ts';
import { createAccount } from '../../src/iam/accounts.ts';
import { createOrganization } from '../../src/workmail/organizations.ts';
import { createUser } from '../../src/workmail/users.ts';
import { deregisterFromWorkMail, registerToWorkMail } from '../../src/workmail/registration.ts';
import { createAlias } from '../../src/workmail/aliases.ts';
import { addMember, createGroup } from '../../src/workmail/groups.ts';
import { createResource } from '../../src/workmail/resources.ts';
import { DomainError } from '../../src/errors.ts';
import type { Delivered, DeliveryTarget, IncomingMessage, MailDelivery } from '../../src/mail/delivery.ts';
import { createTempDatabase, type TempDatabase } from './postgres.ts';

export type Engine = 'sqlite' | 'postgres';

export interface MailDirectory {
  orgId: string;
  domain: string;
  alice: { id: string; email: string; alias: string };
  bob: { id: string; email: string };
  carol: { id: string; email: string };
  /** Not registered: holds no address. */
  dave: { id: string };
  /** Registered, then its member erin is disabled. */
  team: { id: string; email: string };
  /** Holds team (nested) and alice again. */
  all: { id: string; email: string };
  room: { id: string; email: string };
}

export interface TestStore {
  store: Store;
  box: SecretBox;
  dataDir: string;
  close(): Promise<void>;
}

export async function openTestStore(engine: Engine): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'godwit-mail-'));
  let database: TempDatabase | undefined;
  if (engine === 'postgres') database = await createTempDatabase();
  const store = openStore({ dataDir, databaseUrl: database?.url });
  await migrate(store.db);
  const box = createServerKey(dataDir);
  return {
    store,
    box,
    dataDir,
    async close() {
      await store.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function makeDirectory(db: Store['db'], box: SecretBox, alias = 'acme'): Promise<MailDirectory> {
  const now = new Date();
  const account = await createAccount(db, box, { email: `root-${alias}@example.com`, password: 'correct horse battery' }, now);
  const org = await createOrganization(
    db,
    box,
    { accountId: account.accountId, alias, domains: [], clientToken: undefined, baseDomain: 'godwit.test', interoperabilityEnabled: false },
    now,
  );
  const domain = org.default_mail_domain;
  const user = async (name: string, register: boolean) => {
    const row = await createUser(db, org.id, { name, displayName: name, password: undefined, role: undefined, hidden: false, profile: {} }, now);
    if (register) await registerToWorkMail(db, org.id, row.id, `${name}@${domain}`, now);
    return { id: row.id, email: `${name}@${domain}` };
  };
  const alice = await user('alice', true);
  await createAlias(db, org.id, alice.id, `a.smith@${domain}`);
  const bob = await user('bob', true);
  const carol = await user('carol', true);
  const dave = await user('dave', false);
  const erin = await user('erin', true);
  const team = await createGroup(db, org.id, { name: 'team', hidden: false }, now);
  await registerToWorkMail(db, org.id, team.id, `team@${domain}`, now);
  await addMember(db, org.id, team.id, bob.id, now);
  await addMember(db, org.id, team.id, carol.id, now);
  await addMember(db, org.id, team.id, dave.id, now);
  await addMember(db, org.id, team.id, erin.id, now);
  await deregisterFromWorkMail(db, org.id, erin.id, now);
  const all = await createGroup(db, org.id, { name: 'all', hidden: false }, now);
  await registerToWorkMail(db, org.id, all.id, `all@${domain}`, now);
  await addMember(db, org.id, all.id, team.id, now);
  await addMember(db, org.id, all.id, alice.id, now);
  await addMember(db, org.id, all.id, bob.id, now);
  const room = await createResource(db, org.id, { name: 'room1', type: 'ROOM', hidden: false }, now);
  await registerToWorkMail(db, org.id, room.id, `room1@${domain}`, now);
  return {
    orgId: org.id,
    domain,
    alice: { ...alice, alias: `a.smith@${domain}` },
    bob,
    carol,
    dave: { id: dave.id },
    team: { id: team.id, email: `team@${domain}` },
    all: { id: all.id, email: `all@${domain}` },
    room: { id: room.id, email: `room1@${domain}` },
  };
}

export interface RecordedDelivery {
  raw: Buffer;
  receivedAt: Date;
  targets: DeliveryTarget[];
}

/** A MailDelivery that keeps what it is given, with a quota per mailbox and an injectable failure. */
export class RecordingDelivery implements MailDelivery {
  readonly delivered: RecordedDelivery[] = [];
  readonly used = new Map<string, number>();
  quotaBytes = 1024 * 1024 * 1024;
  /** When set, deliver rejects with it (and stores nothing). */
  failWith: DomainError | Error | undefined;

  async deliver(message: IncomingMessage, targets: readonly DeliveryTarget[]): Promise<Delivered[]> {
    if (this.failWith) throw this.failWith;
    this.delivered.push({ raw: message.raw, receivedAt: message.receivedAt, targets: [...targets] });
    return targets.map((target, index) => {
      this.used.set(target.mailboxId, (this.used.get(target.mailboxId) ?? 0) + message.raw.length);
      return { mailboxId: target.mailboxId, folder: target.folder, uid: index + 1, modseq: 1 };
    });
  }

  async usage(mailboxId: string): Promise<{ bytes: number; quotaBytes: number }> {
    return { bytes: this.used.get(mailboxId) ?? 0, quotaBytes: this.quotaBytes };
  }

  /** Mailbox ids that received the n-th message (0-based), sorted. */
  mailboxesOf(index: number): string[] {
    return this.delivered[index].targets.map((target) => target.mailboxId).sort();
  }
}

/** A line-oriented SMTP conversation on a raw socket: send bytes exactly, read whole replies. */
export class RawSmtp {
  private buffer = '';
  private waiters: (() => void)[] = [];
  private constructor(public socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(port: number, host = '127.0.0.1'): Promise<RawSmtp> {
    const socket = connectTcp(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawSmtp(socket);
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** The next complete reply (all lines of a multi-line one), as its lines. */
  async reply(timeoutMs = 5000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.buffer.split('\r\n');
      for (let i = 0; i < lines.length - 1; i++) {
        if (/^\d{3} /.test(lines[i]) || /^\d{3}$/.test(lines[i])) {
          const reply = lines.slice(0, i + 1);
          this.buffer = lines.slice(i + 1).join('\r\n');
          return reply;
        }
      }
      if (this.socket.destroyed || this.socket.readableEnded) throw new Error(`connection closed; unread: ${JSON.stringify(this.buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply within ${timeoutMs} ms; unread: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a command line and returns its reply. */
  async command(line: string): Promise<string[]> {
    this.write(line + '\r\n');
    return this.reply();
  }

  /** Upgrades the socket after a 220 to STARTTLS; anything the server sent in clear after that is kept in `leftover`. */
  async startTls(): Promise<string> {
    const leftover = this.buffer;
    this.buffer = '';
    this.socket.removeAllListeners('data');
    const secure = connectTls({ socket: this.socket as Socket, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
    return leftover;
  }

  /** Whatever has arrived and was not read as a reply. */
  unread(): string {
    return this.buffer;
  }

  close(): void {
    this.socket.destroy();
  }
}

export const code = (reply: string[]): string => reply[reply.length - 1].slice(0, 3);

/** The MX listener on a free loopback port over a test store, with a recording delivery. */
export async function startTestMx(
  t: TestStore,
  options: { delivery?: MailDelivery; dnsServer?: string; limits?: Partial<import('../../src/smtp/limits.ts').SmtpLimits> } = {},
) {
  const { startMxListener } = await import('../../src/smtp/mx-server.ts');
  const { prepareCertificate } = await import('../../src/tls/certificate.ts');
  const { mailDnsResolver } = await import('../../src/mail/authentication/resolver.ts');
  const { createLogger } = await import('../../src/log/logger.ts');
  const certificate = await prepareCertificate({ dataDir: t.dataDir, mailHost: MX_HOST, tlsCertFile: undefined, tlsKeyFile: undefined }, new Date());
  // Without a test DNS server, a dead one: no test may ask the internet.
  const resolver = await mailDnsResolver(options.dnsServer ?? '127.0.0.1:9', 500);
  return startMxListener({
    db: t.store.db,
    delivery: options.delivery ?? new RecordingDelivery(),
    certificate,
    hostName: MX_HOST,
    resolver,
    host: '127.0.0.1',
    port: 0,
    limits: options.limits,
    logger: createLogger('silent'),
  });
}

export const MX_HOST = 'mx.godwit.test';

// --- Submission (465 / 587) -------------------------------------------------------------------

/** The password every user of makeDirectory gets from withMailboxPasswords. */
export const MAILBOX_PASSWORD = 'Mailbox-Passw0rd!';

/** Sets the mailbox password of each user through WorkMail's own ResetPassword. */
export async function withMailboxPasswords(db: Store['db'], directory: MailDirectory, password = MAILBOX_PASSWORD): Promise<void> {
  const { resetPassword } = await import('../../src/workmail/users.ts');
  for (const user of [directory.alice, directory.bob, directory.carol]) await resetPassword(db, directory.orgId, user.id, password);
}

/**
 * A test double of the outbound queue (src/mail/outbound.ts), standing in for the real queue of
 * src/mail/outbound/ which the integrator wires: it records each enqueued message, and rejects
 * when `failWith` is set, so that tests can see what submission hands over and when.
 */
type OutboundQueueContract = import('../../src/mail/outbound.ts').OutboundQueue;
type OutboundMessageContract = import('../../src/mail/outbound.ts').OutboundMessage;

export class RecordingOutboundQueue implements OutboundQueueContract {
  readonly enqueued: OutboundMessageContract[] = [];
  failWith: Error | undefined;

  async enqueue(message: OutboundMessageContract): Promise<{ queueId: string }> {
    if (this.failWith) throw this.failWith;
    this.enqueued.push(message);
    return { queueId: `q-test-${this.enqueued.length}` };
  }
}

export const SUBMISSION_HOST = 'smtp.godwit.test';

/**
 * Both submission listeners (465-style implicit TLS, 587-style STARTTLS) on free loopback ports
 * over a test store, with the real mailbox store (MailService) and the given outbound double.
 */
export async function startTestSubmission(
  t: TestStore,
  options: {
    outbound?: import('../../src/mail/outbound.ts').OutboundQueue;
    throttle?: import('../../src/security/login-throttle.ts').LoginThrottle;
    limits?: Partial<import('../../src/smtp/limits.ts').SmtpLimits>;
    delivery?: MailDelivery;
    logger?: import('../../src/log/logger.ts').Logger;
  } = {},
) {
  const { startSubmissionListeners } = await import('../../src/smtp/submission-server.ts');
  const { prepareCertificate } = await import('../../src/tls/certificate.ts');
  const { createLogger } = await import('../../src/log/logger.ts');
  const { MailService } = await import('../../src/mail/store/service.ts');
  const { MailLogin } = await import('../../src/workmail/mail-login.ts');
  const { systemClock } = await import('../../src/clock.ts');
  const certificate = await prepareCertificate({ dataDir: t.dataDir, mailHost: SUBMISSION_HOST, tlsCertFile: undefined, tlsKeyFile: undefined }, new Date());
  const mail = new MailService({ store: t.store, dataDir: t.dataDir, clock: systemClock, defaultQuotaMb: 51200 });
  const outbound = options.outbound ?? new RecordingOutboundQueue();
  const login = new MailLogin(t.store.db, { throttle: options.throttle });
  const listeners = await startSubmissionListeners({
    host: '127.0.0.1',
    smtpsPort: 0,
    submissionPort: 0,
    certificate,
    db: t.store.db,
    delivery: options.delivery ?? mail.delivery,
    outbound,
    login,
    hostName: SUBMISSION_HOST,
    limits: options.limits,
    logger: options.logger ?? createLogger('silent'),
  });
  return {
    listeners,
    mail,
    outbound,
    login,
    smtpsPort: listeners.smtps!.port,
    submissionPort: listeners.submission!.port,
    /** Each message of a mailbox's folder: its raw text (from the blob store) and its flags. */
    async messages(mailboxId: string, folder = 'Inbox'): Promise<{ raw: string; subject: string; flags: number }[]> {
      const rows = await t.store.db
        .selectFrom('mail_messages')
        .innerJoin('mail_folders', 'mail_folders.id', 'mail_messages.folder_id')
        .select(['mail_messages.blob_id', 'mail_messages.flags'])
        .where('mail_messages.mailbox_id', '=', mailboxId)
        .where('mail_folders.name', '=', folder)
        .orderBy('mail_messages.uid')
        .execute();
      const out = [];
      for (const row of rows) {
        const raw = (await mail.blobs.read(row.blob_id)).toString();
        out.push({ raw, subject: /\r\nSubject: ([^\r]*)\r\n/.exec(raw)?.[1] ?? '', flags: row.flags });
      }
      return out;
    },
    async close() {
      await listeners.close();
      await mail.stop();
    },
  };
}

/** A raw SMTP conversation over implicit TLS (port 465 style). */
export async function openRawSmtps(port: number, host = '127.0.0.1'): Promise<RawSmtp> {
  const socket = connectTls({ port, host, rejectUnauthorized: false, servername: 'localhost' });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  // RawSmtp's constructor is private to keep its callers on open(); this is its TLS twin.
  return new (RawSmtp as unknown as new (socket: TLSSocket) => RawSmtp)(socket);
}
