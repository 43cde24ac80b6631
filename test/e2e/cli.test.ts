// The `godwit` command as a new user runs it: real processes, a temporary data folder, the
// real AWS SDK against what `serve` prints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateLoginProfileCommand, CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { freePort, godwit, serve, splitOutput, type ServeProcess } from '../helpers/cli.ts';
import { createTempDatabase, postgresAvailable, type TempDatabase } from '../helpers/postgres.ts';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

interface PrintedCredentials extends Credentials {
  accountId: string;
  region: string;
  endpoint: string;
  userName: string;
  userArn: string;
  rootPassword?: string;
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'godwit-cli-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const sdk = { maxAttempts: 1 } as const;
const sts = (endpoint: string, region: string, credentials: Credentials) => new STSClient({ ...sdk, endpoint, region, credentials });
const iam = (endpoint: string, region: string, credentials: Credentials) => new IAMClient({ ...sdk, endpoint, region, credentials });

function parseJsonCredentials(stdout: string): PrintedCredentials {
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, `expected exactly one line of JSON, got:\n${stdout}`);
  return JSON.parse(lines[0]!) as PrintedCredentials;
}

/** Reads the credentials block `init`/`serve` print for people. */
function parseTextCredentials(text: string): PrintedCredentials {
  const field = (label: string) => {
    const match = new RegExp(`^\\s+${label}\\s+(\\S+)`, 'm').exec(text);
    assert.ok(match, `no '${label}' line in:\n${text}`);
    return match[1]!;
  };
  return {
    accountId: field('Account ID'),
    region: field('Region'),
    endpoint: field('Endpoint'),
    userName: 'admin',
    userArn: `arn:aws:iam::${field('Account ID')}:user/admin`,
    accessKeyId: field('Access key ID'),
    secretAccessKey: field('Secret access key'),
    rootPassword: /\(password: (\S+)\)/.exec(text)?.[1],
  };
}

const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;

function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => {
        const path = join(dir, name);
        return [name, `${statSync(path).mode.toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`];
      }),
  );
}

const hasPostgres = await postgresAvailable();

// Sequential on purpose: every `godwit` process compiles its TypeScript through tsx, which is
// CPU-bound; running them side by side on a small CI machine only makes each one slower.
describe('the godwit command', () => {
  describe('--help', () => {
    const cases: [string[], RegExp[]][] = [
      [['--help'], [/Usage: godwit/, /\binit\b/, /\bserve\b/, /\baccount\b/]],
      [['init', '--help'], [/--data <dir>/, /--email <email>/, /--password <password>/, /--region <region>/, /--host <host>/, /--http-port <port>/, /--json/]],
      [['serve', '--help'], [/--data <dir>/, /--host <host>/, /--http-port <port>/, /--https-port <port>/, /--tls-cert <file>/, /--tls-key <file>/, /--region <region>/, /--json/]],
      [['account', '--help'], [/\bcreate\b/]],
      [['account', 'create', '--help'], [/--data <dir>/, /--email <email>/, /--password <password>/, /--json/]],
    ];
    for (const [args, expected] of cases) {
      test(`godwit ${args.join(' ')} lists its flags`, async () => {
        const result = await godwit(args);
        assert.equal(result.code, 0, result.stderr);
        for (const pattern of expected) assert.match(result.stdout, pattern);
      });
    }
  });

  describe('init', () => {
    test('--json prints one object, writes the key and the .csv (0600); a second init refuses and changes nothing', async () => {
      const data = join(tempDir(), 'data');
      const result = await godwit(['init', '--data', data, '--json', '--email', 'e@example.com', '--password', 'correct horse battery', '--region', 'eu-west-1']);
      assert.equal(result.code, 0, result.stderr);
      const printed = parseJsonCredentials(result.stdout);
      assert.match(printed.accountId, /^\d{12}$/);
      assert.equal(printed.region, 'eu-west-1');
      assert.equal(printed.endpoint, 'http://127.0.0.1:8787');
      assert.equal(printed.userName, 'admin');
      assert.match(printed.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
      assert.equal(printed.secretAccessKey.length, 40);

      assert.equal(statSync(join(data, 'server.key')).mode & 0o777, 0o600);
      const csv = join(data, 'admin_accessKeys.csv');
      assert.equal(statSync(csv).mode & 0o777, 0o600);
      assert.equal(readFileSync(csv, 'utf8'), `Access key ID,Secret access key\n${printed.accessKeyId},${printed.secretAccessKey}\n`);

      const before = fingerprint(data);
      const again = await godwit(['init', '--data', data, '--json', '--email', 'e@example.com', '--password', 'another password']);
      assert.notEqual(again.code, 0);
      assert.equal(again.stdout, '');
      assert.match(again.stderr, /already initialised/);
      assert.match(again.stderr, new RegExp(data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.deepEqual(fingerprint(data), before);
    });

    test('text mode shows the secret and the generated root password once, with the warning', async () => {
      const data = join(tempDir(), 'data');
      const result = await godwit(['init', '--data', data]);
      assert.equal(result.code, 0, result.stderr);
      const printed = parseTextCredentials(result.stdout);
      assert.equal(occurrences(result.stdout, printed.secretAccessKey), 1);
      assert.ok(printed.rootPassword, 'a generated root password is shown');
      assert.equal(occurrences(result.stdout, printed.rootPassword), 1);
      assert.match(result.stdout, /WARNING: this is the only time the secret access key and the root password are shown/);
      assert.equal(
        readFileSync(join(data, 'admin_accessKeys.csv'), 'utf8'),
        `Access key ID,Secret access key\n${printed.accessKeyId},${printed.secretAccessKey}\n`,
      );
      assert.equal(result.stderr.includes(printed.secretAccessKey), false);
    });
  });

  describe('serve on an empty folder, with debug logging', () => {
    let server: ServeProcess;
    let printed: PrintedCredentials;
    const loginPassword = 'Login-Profile-Pass-7!';
    const wrongSecret = 'ThisIsNotTheSecretKeyButLooksLikeOne1234';
    let bobSecret = '';
    let secondSecret = '';
    let data: string;

    before(async () => {
      data = join(tempDir(), 'fresh');
      const port = await freePort();
      server = await serve(['--data', data, '--http-port', String(port)], port, { GODWIT_LOG_LEVEL: 'debug' });
      printed = parseTextCredentials(splitOutput(server.stdout()).human);
    });
    after(() => server.stop());

    test('prints the credentials once, answers /health and signed STS calls', async () => {
      const { human } = splitOutput(server.stdout());
      assert.match(human, /Godwit initialised in /);
      assert.equal(occurrences(human, printed.secretAccessKey), 1);
      assert.equal(printed.endpoint, server.endpoint);
      assert.match(human, /--profile godwit --endpoint-url/, 'the first account is configured as the profile godwit');
      assert.equal(human.trim().split('\n').at(-1), `Godwit serves IAM, STS and WorkMail for region us-east-1 on ${server.endpoint}`);
      const health = await fetch(`${server.endpoint}/health`);
      assert.equal(health.status, 200);
      const identity = await sts(server.endpoint, printed.region, printed).send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, printed.accountId);
      assert.equal(identity.Arn, `arn:aws:iam::${printed.accountId}:user/admin`);
    });

    test('account create adds a second account with its own admin key; accounts do not see each other', async () => {
      const result = await godwit(['account', 'create', '--data', data, '--email', 'other@example.com', '--json']);
      assert.equal(result.code, 0, result.stderr);
      const second = parseJsonCredentials(result.stdout);
      secondSecret = second.secretAccessKey;
      assert.match(second.accountId, /^\d{12}$/);
      assert.notEqual(second.accountId, printed.accountId);
      assert.equal(second.region, printed.region);
      assert.match(second.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
      assert.equal(second.secretAccessKey.length, 40);

      const identity = await sts(server.endpoint, printed.region, second).send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, second.accountId);
      assert.equal(identity.Arn, `arn:aws:iam::${second.accountId}:user/admin`);

      await iam(server.endpoint, printed.region, printed).send(new CreateUserCommand({ UserName: 'first-only' }));
      await iam(server.endpoint, printed.region, second).send(new CreateUserCommand({ UserName: 'second-only' }));
      const firstUsers = await iam(server.endpoint, printed.region, printed).send(new ListUsersCommand({}));
      assert.deepEqual(firstUsers.Users?.map((u) => u.UserName).sort(), ['admin', 'first-only']);
      assert.ok(firstUsers.Users?.every((u) => u.Arn!.startsWith(`arn:aws:iam::${printed.accountId}:`)));
      const secondUsers = await iam(server.endpoint, printed.region, second).send(new ListUsersCommand({}));
      assert.deepEqual(secondUsers.Users?.map((u) => u.UserName).sort(), ['admin', 'second-only']);

      const duplicate = await godwit(['account', 'create', '--data', data, '--email', 'other@example.com', '--json']);
      assert.notEqual(duplicate.code, 0, 'the root email is unique on the server');
    });

    test('secrets and passwords never reach a log line, not even at debug level', async () => {
      const admin = iam(server.endpoint, printed.region, printed);
      await assert.rejects(
        sts(server.endpoint, printed.region, { accessKeyId: printed.accessKeyId, secretAccessKey: wrongSecret }).send(new GetCallerIdentityCommand({})),
        { name: 'SignatureDoesNotMatch' },
      );
      await assert.rejects(
        sts(server.endpoint, printed.region, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: wrongSecret }).send(new GetCallerIdentityCommand({})),
        { name: 'InvalidClientTokenId' },
      );
      await admin.send(new CreateUserCommand({ UserName: 'bob' }));
      await admin.send(new CreateLoginProfileCommand({ UserName: 'bob', Password: loginPassword }));
      const key = await admin.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
      bobSecret = key.AccessKey!.SecretAccessKey!;
      await sts(server.endpoint, printed.region, { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: bobSecret }).send(new GetCallerIdentityCommand({}));

      const exit = await server.stop();
      assert.equal(exit.code, 0, `serve exits 0 on SIGTERM (got ${exit.code ?? exit.signal}):\n${exit.stderr}`);

      const { logs, logText } = splitOutput(exit.stdout + '\n' + exit.stderr);
      const events = logs.map((line) => line.event);
      assert.ok(events.includes('server.listening'), 'the server logged that it listens');
      assert.ok(logs.filter((line) => line.event === 'request.completed' && line.level === 20).length >= 6, 'debug lines were written for each request');
      assert.ok(events.includes('auth.rejected'), 'the failed signatures were logged');
      const secrets = { adminSecret: printed.secretAccessKey, rootPassword: printed.rootPassword!, loginPassword, bobSecret, secondSecret, wrongSecret };
      for (const [what, secret] of Object.entries(secrets)) {
        assert.ok(secret, `${what} is known to the test`);
        assert.equal(logText.includes(secret), false, `${what} appears in a log line`);
        assert.equal(exit.stderr.includes(secret), false, `${what} appears on stderr`);
      }
      const { human } = splitOutput(exit.stdout);
      assert.equal(occurrences(human, printed.secretAccessKey), 1, 'the secret is printed once, for the person who started the server');
      for (const secret of [loginPassword, bobSecret, wrongSecret]) assert.equal(human.includes(secret), false);
    });
  });

  describe('environment variables', () => {
    test('GODWIT_DATA, GODWIT_HOST, GODWIT_HTTP_PORT and GODWIT_REGION configure serve', async () => {
      const data = join(tempDir(), 'from-env');
      const port = await freePort();
      const server = await serve(['--json'], port, { GODWIT_DATA: data, GODWIT_HOST: '127.0.0.1', GODWIT_HTTP_PORT: String(port), GODWIT_REGION: 'ap-southeast-2' });
      try {
        const printed = parseJsonCredentials(splitOutput(server.stdout()).human);
        assert.equal(printed.region, 'ap-southeast-2');
        assert.equal(printed.endpoint, `http://127.0.0.1:${port}`);
        assert.ok(existsSync(join(data, 'server.key')), 'GODWIT_DATA chose the data folder');
        const identity = await sts(server.endpoint, 'ap-southeast-2', printed).send(new GetCallerIdentityCommand({}));
        assert.equal(identity.Account, printed.accountId);
        await assert.rejects(sts(server.endpoint, 'us-east-1', printed).send(new GetCallerIdentityCommand({})), (error: Error) => {
          assert.equal(error.name, 'SignatureDoesNotMatch');
          assert.match(error.message, /scoped to a valid region, not 'us-east-1'/);
          return true;
        });
      } finally {
        const exit = await server.stop();
        assert.equal(exit.code, 0);
      }
    });

    test('flags win over environment variables', async () => {
      const fromEnv = join(tempDir(), 'env');
      const fromFlag = join(tempDir(), 'flag');
      const result = await godwit(['init', '--json', '--data', fromFlag, '--region', 'eu-central-1', '--http-port', '9911'], {
        GODWIT_DATA: fromEnv,
        GODWIT_REGION: 'ap-southeast-2',
        GODWIT_HTTP_PORT: '9100',
      });
      assert.equal(result.code, 0, result.stderr);
      const printed = parseJsonCredentials(result.stdout);
      assert.equal(printed.region, 'eu-central-1');
      assert.equal(printed.endpoint, 'http://127.0.0.1:9911');
      assert.ok(existsSync(join(fromFlag, 'server.key')));
      assert.equal(existsSync(fromEnv), false);
    });
  });

  describe('serve on PostgreSQL (GODWIT_DATABASE_URL)', { skip: !hasPostgres }, () => {
    let database: TempDatabase;
    before(async () => {
      database = await createTempDatabase();
    });
    after(() => database?.drop());

    test('initialises into the database, serves, and keeps its data and region across restarts', async () => {
      const data = join(tempDir(), 'pg');
      const port = await freePort();
      const env = { GODWIT_DATABASE_URL: database.url };
      let server = await serve(['--data', data, '--http-port', String(port), '--region', 'eu-north-1', '--json'], port, env);
      const printed = parseJsonCredentials(splitOutput(server.stdout()).human);
      try {
        assert.ok(existsSync(join(data, 'server.key')));
        assert.equal(existsSync(join(data, 'godwit.sqlite3')), false, 'no SQLite file when a database URL is given');
        assert.equal(printed.region, 'eu-north-1');
        const identity = await sts(server.endpoint, printed.region, printed).send(new GetCallerIdentityCommand({}));
        assert.equal(identity.Account, printed.accountId);
        await iam(server.endpoint, printed.region, printed).send(new CreateUserCommand({ UserName: 'kept' }));
      } finally {
        assert.equal((await server.stop()).code, 0);
      }
      // No --region this time: the region recorded at init applies.
      server = await serve(['--data', data, '--http-port', String(port)], port, env);
      try {
        assert.equal(
          splitOutput(server.stdout()).human.trim(),
          `Godwit serves IAM, STS and WorkMail for region eu-north-1 on http://127.0.0.1:${port}`,
          'an initialised folder prints no credentials, only where it listens',
        );
        const users = await iam(server.endpoint, printed.region, printed).send(new ListUsersCommand({}));
        assert.deepEqual(users.Users?.map((u) => u.UserName).sort(), ['admin', 'kept']);
      } finally {
        assert.equal((await server.stop()).code, 0);
      }
    });
  });
});
