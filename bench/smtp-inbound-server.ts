// The Godwit side of bench/smtp-inbound.ts, in a process of its own as `godwit serve` would be:
// a fresh data folder, `init`, the server (SQLite or PostgreSQL), an organization with one user
// made through the WorkMail API, and the MX listener on the real mailbox store. The MX is
// started here rather than by serve only to raise its per-IP session limit (20 by default): the
// load comes from one address, 127.0.0.1.
//
// The driver talks to it over the fork IPC channel: it prints { ready, port, recipient }, then
// answers { count } (messages stored in the user's Inbox), { memory } (after a full GC), { logins }
// (MailLogin.login per second, with and without the verified-password cache) and { stop }.
import { performance } from 'node:perf_hooks';
import { CreateOrganizationCommand, CreateUserCommand, RegisterToWorkMailCommand, WorkMailClient } from '@aws-sdk/client-workmail';
import { loadConfig } from '../src/config/config.ts';
import { startServer } from '../src/server/app.ts';
import { initialise } from '../src/server/bootstrap.ts';
import { createLogger } from '../src/log/logger.ts';
import { mailDnsResolver } from '../src/mail/authentication/resolver.ts';
import { startMxListener } from '../src/smtp/mx-server.ts';
import { prepareCertificate } from '../src/tls/certificate.ts';
import { MailLogin } from '../src/workmail/mail-login.ts';
import { VerifiedPasswords } from '../src/security/verified-passwords.ts';

const settings = JSON.parse(process.env.GODWIT_BENCH_SERVER!) as { dataDir: string; databaseUrl?: string; dnsServer: string };
const send = (message: unknown) => process.send!(message);

const config = loadConfig({ data: settings.dataDir, httpPort: 0 }, { GODWIT_DATABASE_URL: settings.databaseUrl, GODWIT_LOG_LEVEL: 'silent' });
const admin = await initialise(config, { email: 'root@example.com', password: 'correct horse battery' });
const logger = createLogger('silent');
const server = await startServer(config, { logger });
const wm = new WorkMailClient({
  endpoint: server.endpoint,
  region: config.region,
  credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey },
  maxAttempts: 1,
});
const orgId = (await wm.send(new CreateOrganizationCommand({ Alias: 'bench' }))).OrganizationId!;
const password = 'a Bench password 1!';
const userId = (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: 'bench', DisplayName: 'Bench', Password: password }))).UserId!;
const recipient = 'bench@bench.godwit.localhost';
await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: userId, Email: recipient }));
const mx = await startMxListener({
  db: server.store.db,
  delivery: server.mail.delivery,
  certificate: await prepareCertificate({ dataDir: config.dataDir, mailHost: 'mx.bench.test', tlsCertFile: undefined, tlsKeyFile: undefined }, new Date()),
  hostName: 'mx.bench.test',
  resolver: await mailDnsResolver(settings.dnsServer),
  host: '127.0.0.1',
  port: 0,
  limits: { maxSessionsPerIp: 5000, maxSessions: 5000 },
  logger,
});

async function count(): Promise<number> {
  const row = await server.store.db
    .selectFrom('mail_messages')
    .innerJoin('mail_folders', 'mail_folders.id', 'mail_messages.folder_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('mail_messages.mailbox_id', '=', userId)
    .where('mail_folders.name', '=', 'Inbox')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function memory(): NodeJS.MemoryUsage {
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
}

/** Sequential logins per second for `seconds`: the cached path, then scrypt each time. */
async function logins(seconds: number): Promise<{ cached: number; uncached: number }> {
  const request = { email: recipient, password, sourceIp: '127.0.0.1', action: 'SMTP' as const };
  const rate = async (login: MailLogin) => {
    const first = await login.login(request, new Date());
    if (!first.ok) throw new Error(`the bench user cannot sign in: ${first.reason}`);
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      if (!(await login.login(request, new Date())).ok) throw new Error('login failed');
      n++;
    }
    return n / ((performance.now() - start) / 1000);
  };
  // A cache that never holds anything: every login runs scrypt, as without the cache.
  const forgetful = Object.assign(Object.create(VerifiedPasswords.prototype) as VerifiedPasswords, { has: () => false, remember: () => undefined });
  return { cached: await rate(new MailLogin(server.store.db)), uncached: await rate(new MailLogin(server.store.db, { verified: forgetful })) };
}

process.on('message', (request: { id: number; command: string; seconds?: number }) => {
  const answer = async () => {
    switch (request.command) {
      case 'count':
        return count();
      case 'memory':
        return memory();
      case 'logins':
        return logins(request.seconds ?? 3);
      case 'stop':
        await mx.close();
        await server.close();
        setImmediate(() => process.exit(0));
        return true;
      default:
        throw new Error(`unknown command ${request.command}`);
    }
  };
  answer().then(
    (value) => send({ id: request.id, value }),
    (error: Error) => send({ id: request.id, error: error.message }),
  );
});
send({ ready: true, port: mx.port, recipient, engine: server.store.engine });
