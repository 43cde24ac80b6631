// WorkMail directory at WorkMail's default size, through the real SDK against a real
// `godwit serve` process (SQLite):
//   1. create and register 1,000 users in one organization (password set, so scrypt runs);
//   2. grow the organization to 10,000 users and page through all of them with ListUsers
//      (MaxResults 100), timing the first and the last page: keyset pagination must make the
//      last page cost what the first does;
//   3. DescribeUser latency (p50/p99) under 50 concurrent clients.
//
//   node --import tsx bench/workmail.ts [--users 1000] [--total 10000] [--requests 5000]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CreateOrganizationCommand,
  CreateUserCommand,
  DescribeUserCommand,
  ListUsersCommand,
  RegisterToWorkMailCommand,
  WorkMailClient,
} from '@aws-sdk/client-workmail';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { loadConfig } from '../src/config/config.ts';
import { initialise } from '../src/server/bootstrap.ts';

const { values } = parseArgs({
  options: { users: { type: 'string', default: '1000' }, total: { type: 'string', default: '10000' }, requests: { type: 'string', default: '5000' } },
});
const registered = Number(values.users);
const total = Number(values.total);
const requests = Number(values.requests);
const port = 19000 + Math.floor(Math.random() * 1000);
const dataDir = mkdtempSync(join(tmpdir(), 'godwit-bench-wm-'));
const admin = await initialise(loadConfig({ data: dataDir, httpPort: port }, {}), { password: 'bench password 1' });
const server = spawn(process.execPath, ['bin/godwit.mjs', 'serve', '--data', dataDir, '--http-port', String(port)], {
  env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});

const client = new WorkMailClient({
  endpoint: `http://127.0.0.1:${port}`,
  region: admin.region,
  credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey },
  maxAttempts: 1,
  requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
});

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
    } catch {
      if (i > 100) throw new Error('server did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { OrganizationId } = await client.send(new CreateOrganizationCommand({ Alias: 'bench-org' }));
  const domain = `bench-org.${process.env.GODWIT_BASE_DOMAIN ?? 'godwit.localhost'}`;

  let started = performance.now();
  await pool(registered, 8, async (i) => {
    const { UserId } = await client.send(
      new CreateUserCommand({ OrganizationId, Name: `user${String(i).padStart(5, '0')}`, DisplayName: `User ${i}`, Password: `Bench-Passw0rd-${i}` }),
    );
    await client.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: UserId, Email: `user${i}@${domain}` }));
  });
  const createSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  await pool(total - registered, 8, (i) =>
    client.send(new CreateUserCommand({ OrganizationId, Name: `extra${String(i).padStart(5, '0')}`, DisplayName: `Extra ${i}` })),
  );
  const fillSeconds = (performance.now() - started) / 1000;

  const pageTimes: number[] = [];
  let token: string | undefined;
  let seen = 0;
  do {
    const t0 = performance.now();
    const page = await client.send(new ListUsersCommand({ OrganizationId, MaxResults: 100, NextToken: token }));
    pageTimes.push(performance.now() - t0);
    seen += page.Users!.length;
    token = page.NextToken;
  } while (token);
  if (seen !== total) throw new Error(`paged ${seen} users, expected ${total}`);

  const ids = (await client.send(new ListUsersCommand({ OrganizationId, MaxResults: 100 }))).Users!.map((u) => u.Id!);
  const latencies = await pool(requests, 50, async (i) => {
    const t0 = performance.now();
    await client.send(new DescribeUserCommand({ OrganizationId, UserId: ids[i % ids.length] }));
    return performance.now() - t0;
  });
  latencies.sort((a, b) => a - b);

  const firstPages = pageTimes.slice(0, 5);
  const lastPages = pageTimes.slice(-5);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`node ${process.version}, ${cpus()[0]?.model}, godwit serve (SQLite) on the same machine`);
  console.log(`create + register ${registered} users (with passwords, 8 clients): ${createSeconds.toFixed(1)} s (${(registered / createSeconds).toFixed(0)} users/s)`);
  console.log(`create ${total - registered} more users (no password, 8 clients):   ${fillSeconds.toFixed(1)} s`);
  console.log(`ListUsers, ${pageTimes.length} pages of 100: first 5 pages ${mean(firstPages).toFixed(2)} ms/page, last 5 pages ${mean(lastPages).toFixed(2)} ms/page`);
  console.log(`DescribeUser, ${requests} requests from 50 concurrent clients: p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`);
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
