// Authorized IAM GetUser over keep-alive HTTP, beside the same server's unauthenticated
// /health endpoint: requests/s and latency percentiles from wrk (Debian package `wrk`).
// The server runs as a real `godwit serve` child process; wrk runs one thread on the other core.
//
//   node --import tsx bench/http.ts [--seconds 10] [--connections 32]
//
// SigV4 has no nonce, so one request signed up front stays valid inside the clock window and
// can be replayed: the load generator does no signing and the server does all of its work
// (verification, principal and policy lookup, authorization, SQL, XML) on every request.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { loadConfig } from '../src/config/config.ts';
import { initialise } from '../src/server/bootstrap.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '32' } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const port = 18000 + Math.floor(Math.random() * 1000);
const endpoint = `http://127.0.0.1:${port}`;

if (spawnSync('wrk', ['--version']).error) {
  console.error('wrk is not installed: apt-get install -y wrk');
  process.exit(1);
}

const dataDir = mkdtempSync(join(tmpdir(), 'godwit-bench-'));
const admin = await initialise(loadConfig({ data: dataDir, httpPort: port }, {}), { password: 'bench password 1' });
// GODWIT_BENCH_PROFILE=dir writes a CPU profile of the server process there.
const profile = process.env.GODWIT_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.GODWIT_BENCH_PROFILE}`] : [];
const server = spawn(process.execPath, [...profile, 'bin/godwit.mjs', 'serve', '--data', dataDir, '--http-port', String(port)], {
  env: { ...process.env, GODWIT_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});

try {
  await waitForHealth();
  const signed = await signGetUser();
  const check = await fetch(endpoint + '/', { method: 'POST', headers: signed.headers, body: signed.body });
  const text = await check.text();
  if (check.status !== 200 || !text.includes('<UserName>admin</UserName>')) throw new Error(`GetUser did not succeed: ${check.status} ${text}`);

  const health = runWrk(`${endpoint}/health`, undefined);
  const getUser = runWrk(`${endpoint}/`, signed);
  console.log(`node ${process.version}, ${cpus()[0]?.model}, wrk 1 thread / ${connections} connections / ${seconds} s each`);
  console.log('endpoint                 requests/s   p50 ms   p99 ms   non-2xx');
  for (const [name, r] of [['GET /health (no auth)', health], ['IAM GetUser (SigV4+authz)', getUser]] as const) {
    console.log(`${name.padEnd(25)}${r.rps.toFixed(0).padStart(10)}${r.p50.toFixed(2).padStart(9)}${r.p99.toFixed(2).padStart(9)}${String(r.errors).padStart(10)}`);
  }
  console.log(`GetUser / health throughput: ${(getUser.rps / health.rps).toFixed(2)} (target >= 0.50)`);
  if (getUser.errors || health.errors) process.exitCode = 1;
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}

async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${endpoint}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not start');
}

async function signGetUser(): Promise<{ headers: Record<string, string>; body: string }> {
  const body = 'Action=GetUser&Version=2010-05-08&UserName=admin';
  const signer = new SignatureV4({
    service: 'iam',
    region: admin.region,
    credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey },
    sha256: Sha256,
  });
  const request = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path: '/',
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return { headers: request.headers as Record<string, string>, body };
}

function runWrk(url: string, request: { headers: Record<string, string>; body: string } | undefined) {
  const script = join(dataDir, 'request.lua');
  const lines = ['done = function(summary, latency, requests) io.write(string.format("P50 %d\\nP99 %d\\n", latency:percentile(50), latency:percentile(99))) end'];
  if (request) {
    lines.push('wrk.method = "POST"', `wrk.body = ${JSON.stringify(request.body)}`);
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.toLowerCase() !== 'host') lines.push(`wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
    }
  }
  writeFileSync(script, lines.join('\n') + '\n');
  const run = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', script, url], { encoding: 'utf8' });
  const out = run.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors:.*?timeout (\d+)/.exec(out)?.[1] ?? 0);
  const p50 = Number(/P50 (\d+)/.exec(out)?.[1]) / 1000;
  const p99 = Number(/P99 (\d+)/.exec(out)?.[1]) / 1000;
  if (!rps) throw new Error(`wrk failed: ${out}${run.stderr}`);
  return { rps, p50, p99, errors };
}
