// Inbound SMTP, Godwit against Postfix on the same machine in the same run. Postfix's own load
// generator, smtp-source, sends M messages of 5 KiB (body) over S concurrent sessions, each
// session carrying many messages (-d), first to Godwit's MX (bench/smtp-inbound-server.ts, on
// SQLite and on PostgreSQL), then to a throwaway Postfix instance (bench/postfix-instance.sh)
// that delivers to a Maildir. Both answer 250 only after an fsync: Godwit once the body and the
// mailbox rows are on disk, Postfix once the queue file is (its delivery to the Maildir follows,
// and is timed separately). Every run is checked for loss by counting what was stored.
//
// Beside the figures: fio's fsync latency on the same file system, logins per second through
// MailLogin.login with and without the verified-password cache, and the memory an idle SMTP
// session costs the Godwit process.
//
//   node --import tsx bench/smtp-inbound.ts [--messages 1000] [--sessions 1,10,50] [--size 5120]
//        [--engines sqlite,postgres] [--postgres postgres://postgres@127.0.0.1:5432/test] [--idle 500]
//
// Needs root and Debian's postfix and fio (see docs/performance.md); without smtp-source it stops.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startDnsServer } from '../test/helpers/dns-server.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    sessions: { type: 'string', default: '1,10,50' },
    size: { type: 'string', default: '5120' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    idle: { type: 'string', default: '500' },
    'no-postfix': { type: 'boolean', default: false },
  },
});
const MESSAGES = Number(values.messages);
const LEVELS = values.sessions.split(',').map(Number);
const SIZE = Number(values.size);
const IDLE = Number(values.idle);
const here = fileURLToPath(new URL('.', import.meta.url));

if (!existsSync('/usr/sbin/smtp-source')) {
  console.error('smtp-source is missing: apt-get install -y postfix fio (see docs/performance.md)');
  process.exit(1);
}

const root = mkdtempSync(join(tmpdir(), 'godwit-bench-smtp-'));
// Postfix's daemons run as the postfix user and must reach their queue inside this folder.
chmodSync(root, 0o755);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Runs smtp-source; resolves with the seconds it took. It exits non-zero on any reply it did not expect. */
function smtpSource(port: number, sessions: number, messages: number, to: string): Promise<number> {
  const args = ['-d', '-s', String(sessions), '-m', String(messages), '-l', String(SIZE), '-f', 'sender@source.example', '-t', to, `127.0.0.1:${port}`];
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/sbin/smtp-source', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - start) / 1000) : reject(new Error(`smtp-source ${args.join(' ')}: exit ${code}\n${stderr}`))));
  });
}

function fioFsync(directory: string): { p50: number; p99: number; mean: number } {
  const out = execFileSync('fio', ['--name=fsync', '--rw=write', '--bs=4k', '--size=8m', '--fsync=1', `--directory=${directory}`, '--output-format=json'], { encoding: 'utf8' });
  const sync = (JSON.parse(out) as { jobs: Array<{ sync: { lat_ns: { mean: number; percentile: Record<string, number> } } }> }).jobs[0].sync.lat_ns;
  return { p50: sync.percentile['50.000000'] / 1e6, p99: sync.percentile['99.000000'] / 1e6, mean: sync.mean / 1e6 };
}

class Godwit {
  private next = 0;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly recipient: string,
  ) {
    child.on('message', (message: { id?: number; value?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const waiting = this.waiting.get(message.id)!;
      this.waiting.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error));
      else waiting.resolve(message.value);
    });
  }

  static start(settings: { dataDir: string; databaseUrl?: string; dnsServer: string }): Promise<Godwit> {
    const child = fork(join(here, 'smtp-inbound-server.ts'), [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, GODWIT_BENCH_SERVER: JSON.stringify(settings) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the Godwit bench server exited (${code})`)));
      child.once('message', (message: { ready: boolean; port: number; recipient: string }) => resolve(new Godwit(child, message.port, message.recipient)));
    });
  }

  ask<T>(command: string, extra: object = {}): Promise<T> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, command, ...extra });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.ask('stop');
    await exited;
  }
}

/** Opens `n` SMTP sessions that greet (EHLO) and then stay idle. */
async function idleSessions(port: number, n: number): Promise<Socket[]> {
  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let seen = '';
      let greeted = false;
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (!greeted && /^220 /m.test(seen)) {
          greeted = true;
          seen = '';
          socket.write('EHLO idle.example\r\n');
        } else if (greeted && /^250 /m.test(seen)) resolve(socket);
      });
    });
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 50) sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, open))));
  return sockets;
}

async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const name = `godwit_bench_smtp_${process.pid}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: values.postgres });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  try {
    await admin(`create database ${name}`);
  } catch (error) {
    console.log(`PostgreSQL unreachable at ${values.postgres}: ${(error as Error).message}; skipped`);
    return undefined;
  }
  const url = new URL(values.postgres);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

const postfixDir = join(root, 'postfix');
const postfixScript = join(here, 'postfix-instance.sh');
const postfix = (...args: string[]) => execFileSync('sh', [postfixScript, args[0], postfixDir, ...args.slice(1)], { encoding: 'utf8' }).trim();

async function postfixRun(port: number, sessions: number): Promise<{ accept: number; delivered: number }> {
  const before = Number(postfix('count'));
  const start = performance.now();
  const seconds = await smtpSource(port, sessions, MESSAGES, 'bench@bench.localhost');
  // Delivery to the Maildir goes on after the 250s; wait for the last one.
  for (let waited = 0; Number(postfix('count')) - before < MESSAGES || Number(postfix('queued')) > 0; waited += 50) {
    if (waited > 120_000) throw new Error(`Postfix lost mail: ${Number(postfix('count')) - before} of ${MESSAGES} delivered`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const delivered = Number(postfix('count')) - before;
  if (delivered !== MESSAGES) throw new Error(`Postfix delivered ${delivered} of ${MESSAGES}`);
  return { accept: MESSAGES / seconds, delivered: MESSAGES / ((performance.now() - start) / 1000) };
}

const dns = await startDnsServer();
const fsync = fioFsync(root);
console.log(`fio fsync latency on ${root}'s file system: p50 ${fsync.p50.toFixed(2)} ms, p99 ${fsync.p99.toFixed(2)} ms (4 KiB writes, fsync each)`);
const withPostfix = !values['no-postfix'];
let postfixPort = 0;
if (withPostfix) {
  const probe = await import('node:net').then(({ createServer }) => createServer());
  postfixPort = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
  probe.close();
  postfix('start', String(postfixPort));
  await smtpSource(postfixPort, 5, 50, 'bench@bench.localhost'); // warm-up: Postfix spawns its daemons on first use
}

const rows: string[] = [];
try {
  for (const engine of values.engines.split(',')) {
    const database = engine === 'postgres' ? await postgresDatabase() : undefined;
    if (engine === 'postgres' && !database) continue;
    const godwit = await Godwit.start({ dataDir: join(root, `godwit-${engine}`), databaseUrl: database?.url, dnsServer: dns.address });
    try {
      await smtpSource(godwit.port, 5, 50, godwit.recipient); // warm-up: JIT, prepared statements, pool
      for (const sessions of LEVELS) {
        // Other work on the machine moves these figures; the 1-minute load average says how much there was.
        const load = loadavg()[0].toFixed(1);
        const before = await godwit.ask<number>('count');
        const seconds = await smtpSource(godwit.port, sessions, MESSAGES, godwit.recipient);
        const stored = (await godwit.ask<number>('count')) - before;
        if (stored !== MESSAGES) throw new Error(`Godwit (${engine}) stored ${stored} of ${MESSAGES} accepted messages`);
        const peer = withPostfix ? await postfixRun(postfixPort, sessions) : undefined;
        const row = `| ${engine} | ${sessions} | ${fmt(MESSAGES / seconds)} | ${peer ? fmt(peer.accept) : '—'} | ${peer ? fmt(peer.delivered) : '—'} | ${MESSAGES} of ${MESSAGES} | ${load} |`;
        rows.push(row);
        console.log(row);
      }
      const idleBefore = await godwit.ask<NodeJS.MemoryUsage>('memory');
      const sockets = await idleSessions(godwit.port, IDLE);
      const idleAfter = await godwit.ask<NodeJS.MemoryUsage>('memory');
      for (const socket of sockets) socket.destroy();
      console.log(
        `${engine}: ${IDLE} idle SMTP sessions: RSS +${((idleAfter.rss - idleBefore.rss) / IDLE / 1024).toFixed(1)} KiB per session, heap +${((idleAfter.heapUsed - idleBefore.heapUsed) / IDLE / 1024).toFixed(1)} KiB per session`,
      );
      if (engine === values.engines.split(',')[0]) {
        const logins = await godwit.ask<{ cached: number; uncached: number }>('logins', { seconds: 3 });
        console.log(`MailLogin.login, one after another: ${fmt(logins.cached)}/s with the verified-password cache, ${logins.uncached.toFixed(1)}/s with scrypt every time`);
      }
    } finally {
      await godwit.stop();
      await database?.drop();
    }
  }
} finally {
  if (withPostfix) postfix('stop');
  await dns.stop();
  rmSync(root, { recursive: true, force: true });
}
console.log(`\n| engine | sessions | Godwit stored/s (250 after fsync) | Postfix accepted/s (250 after queue fsync) | Postfix delivered to Maildir/s | stored, counted | load before |`);
console.log('|---|---:|---:|---:|---:|---|---:|');
for (const row of rows) console.log(row);
