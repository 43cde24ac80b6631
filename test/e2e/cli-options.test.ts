// The `godwit` command's own promises: its version and help, refusing bad input with a message
// that names what was wrong and where it came from, keeping the region recorded at init, and
// telling scripts where it listens.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { freePort, godwit, REPO_ROOT, serve, serveJson, splitOutput } from '../helpers/cli.ts';

interface Printed {
  accountId: string;
  region: string;
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'godwit-cli-options-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const callerAccount = async (endpoint: string, printed: Printed) =>
  (await new STSClient({ endpoint, region: printed.region, credentials: printed, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}))).Account;

/** The variable names in docs/configuration.md's table of the variables godwit reads. */
function documentedVariables(): string[] {
  const doc = readFileSync(join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
  const start = doc.indexOf('\n## Environment variables');
  // Up to the next heading: the test suite's own variables follow under a subheading.
  const section = doc.slice(start, doc.indexOf('\n#', start + 1));
  return [...section.matchAll(/^\| `(GODWIT_[A-Z_]+)` \|/gm)].map((match) => match[1]!);
}

describe('godwit command options', () => {
  test('--version prints the version of package.json', async () => {
    const result = await godwit(['--version']);
    assert.equal(result.code, 0, result.stderr);
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(result.stdout.trim(), version);
  });

  test('--help lists exactly the environment variables of docs/configuration.md, one line each', async () => {
    const result = await godwit(['--help']);
    assert.equal(result.code, 0, result.stderr);
    const documented = documentedVariables();
    assert.ok(documented.length >= 15, `the table was found (${documented.join(', ')})`);
    const listed = [...result.stdout.matchAll(/^ {2}(GODWIT_[A-Z_]+) +\S/gm)].map((match) => match[1]!);
    assert.deepEqual([...listed].sort(), [...documented].sort());
  });

  test('a malformed email or region is refused with a message naming it and where it came from; nothing is created', async () => {
    const data = join(tempDir(), 'data');
    const cases: [string[], Record<string, string>, string][] = [
      [['init', '--data', data, '--email', 'notanemail'], {}, "godwit: --email 'notanemail' is not an email address like it@example.com"],
      [['init', '--data', data, '--region', 'moon-1'], {}, "godwit: --region 'moon-1' is not a region name like us-east-1"],
      [['init', '--data', data], { GODWIT_REGION: 'Europe' }, "godwit: GODWIT_REGION 'Europe' is not a region name like us-east-1"],
      [['serve', '--data', data], { GODWIT_REGION: 'eu_west_1' }, "godwit: GODWIT_REGION 'eu_west_1' is not a region name like us-east-1"],
    ];
    for (const [args, env, message] of cases) {
      const result = await godwit(args, env);
      assert.equal(result.code, 1, `${args.join(' ')} ${JSON.stringify(env)}`);
      assert.equal(result.stderr.trim(), message);
      assert.equal(result.stdout, '');
      assert.equal(existsSync(data), false, 'no data folder was created');
    }
  });

  test('the region recorded at init wins: another one is refused, naming both; account create prints a profile of its own', async () => {
    const data = join(tempDir(), 'data');
    const first = await godwit(['init', '--data', data, '--region', 'eu-west-1', '--json']);
    assert.equal(first.code, 0, first.stderr);
    const settings = join(data, 'settings.json');

    const byFlag = await godwit(['account', 'create', '--data', data, '--email', 'two@example.com', '--region', 'us-east-1']);
    assert.equal(byFlag.code, 1);
    assert.equal(
      byFlag.stderr.trim(),
      `godwit: --region us-east-1 differs from eu-west-1, the region this data folder was initialised with (recorded in ${settings}). ` +
        'Every ARN and access key signature belongs to eu-west-1: drop --region (or give --region eu-west-1); to serve another region, initialise a new data folder.',
    );
    const byEnv = await godwit(['serve', '--data', data, '--http-port', '0'], { GODWIT_REGION: 'us-west-2' });
    assert.equal(byEnv.code, 1);
    assert.match(byEnv.stderr, /^godwit: GODWIT_REGION us-west-2 differs from eu-west-1, .* unset GODWIT_REGION \(or set it to eu-west-1\)/);

    const badEmail = await godwit(['account', 'create', '--data', data, '--email', 'two-at-example.com']);
    assert.equal(badEmail.code, 1);
    assert.equal(badEmail.stderr.trim(), "godwit: --email 'two-at-example.com' is not an email address like it@example.com");

    // The recorded region itself, given again, is accepted.
    const second = await godwit(['account', 'create', '--data', data, '--email', 'two@example.com'], { GODWIT_REGION: 'eu-west-1' });
    assert.equal(second.code, 0, second.stderr);
    const accountId = /Account ID\s+(\d{12})/.exec(second.stdout)?.[1];
    assert.ok(accountId, second.stdout);
    assert.match(second.stdout, /Region\s+eu-west-1/);
    const profileLines = second.stdout.split('\n').filter((line) => line.includes('--profile'));
    assert.equal(profileLines.length, 4);
    for (const line of profileLines) assert.match(line, new RegExp(`--profile godwit-${accountId}( |$)`), 'not the first account\'s profile "godwit"');
  });

  test('a first serve on a port already taken still shows the new credentials, then says which port and flag', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const data = join(tempDir(), 'data');
      const result = await godwit(['serve', '--data', data, '--http-port', String(port), '--json']);
      assert.equal(result.code, 1);
      const printed = JSON.parse(splitOutput(result.stdout).human.trim()) as Printed;
      assert.match(printed.accessKeyId, /^AKIA/);
      assert.equal(printed.secretAccessKey.length, 40, 'the only copy of the secret besides the .csv');
      assert.equal(
        result.stderr.trim(),
        `godwit: the HTTP port ${port} on 127.0.0.1 is already in use (another Godwit?): stop what uses it, or choose another port with --http-port`,
      );
    } finally {
      blocker.close();
    }
  });

  test('serve --http-port 0 --json prints one object, once listening, with the real port; text mode prints one line', async () => {
    const data = join(tempDir(), 'data');
    const server = await serveJson(['--data', data, '--http-port', '0']);
    let printed: Printed;
    try {
      printed = server.printed as unknown as Printed;
      assert.match(printed.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.doesNotMatch(printed.endpoint, /:0$/);
      assert.equal(server.printed.httpsEndpoint, undefined, 'no HTTPS unless asked');
      assert.equal(printed.region, 'us-east-1');
      assert.equal((await fetch(`${printed.endpoint}/health`)).status, 200);
      assert.equal(await callerAccount(printed.endpoint, printed), printed.accountId, 'the printed credentials work at the printed endpoint');
    } finally {
      assert.equal((await server.stop()).code, 0);
    }

    const port = await freePort();
    const again = await serve(['--data', data, '--http-port', String(port)], port);
    try {
      assert.equal(splitOutput(again.stdout()).human.trim(), `Godwit serves IAM, STS and WorkMail for region us-east-1 on http://127.0.0.1:${port}`);
    } finally {
      assert.equal((await again.stop()).code, 0);
    }
    const json = await serveJson(['--data', data, '--http-port', '0', '--https-port', '0']);
    try {
      assert.deepEqual(Object.keys(json.printed).sort(), ['endpoint', 'httpsEndpoint', 'region', 'tlsCertificate'], 'no credentials for an initialised folder');
      assert.equal(json.printed.tlsCertificate, join(data, 'tls-cert.pem'));
    } finally {
      const stopped = await json.stop();
      assert.equal(stopped.code, 0, `serve ended with ${stopped.code ?? stopped.signal}: ${stopped.stderr}`);
    }
  });
});
