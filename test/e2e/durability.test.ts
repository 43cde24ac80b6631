// Nothing acknowledged is lost on a crash: changes answered with 200 survive SIGKILL of the
// server process, on SQLite (WAL, synchronous=FULL) and on PostgreSQL.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, GetUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { freePort, godwit, serve } from '../helpers/cli.ts';
import { createTempDatabase, postgresAvailable } from '../helpers/postgres.ts';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`durability (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    test('users and keys acknowledged before a SIGKILL are there after a restart', async () => {
      const data = mkdtempSync(join(tmpdir(), 'godwit-durable-'));
      const database = engine === 'postgres' ? await createTempDatabase() : undefined;
      const env = { GODWIT_DATABASE_URL: database?.url };
      try {
        const init = await godwit(['init', '--data', data, '--json', '--password', 'durable password'], env);
        assert.equal(init.code, 0, init.stderr);
        const admin = JSON.parse(init.stdout) as { accessKeyId: string; secretAccessKey: string; region: string };
        const port = await freePort();
        const first = await serve(['--data', data, '--http-port', String(port)], port, env);
        const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
          new IAMClient({ endpoint: first.endpoint, region: admin.region, credentials, maxAttempts: 1 });
        const iam = client(admin);
        const names = Array.from({ length: 20 }, (_, i) => `durable-${i}`);
        for (const name of names) await iam.send(new CreateUserCommand({ UserName: name }));
        const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'durable-0' }))).AccessKey!;

        first.child.kill('SIGKILL');
        const killed = await first.stop();
        assert.equal(killed.signal, 'SIGKILL');

        const second = await serve(['--data', data, '--http-port', String(port)], port, env);
        try {
          const listed = await iam.send(new ListUsersCommand({ PathPrefix: '/' }));
          for (const name of names) assert.ok(listed.Users!.some((u) => u.UserName === name), `${name} survived`);
          // The sealed secret of the key created just before the crash still verifies signatures.
          const sts = new STSClient({
            endpoint: second.endpoint,
            region: admin.region,
            credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! },
            maxAttempts: 1,
          });
          const identity = await sts.send(new GetCallerIdentityCommand({}));
          assert.match(identity.Arn!, /:user\/durable-0$/);
          assert.equal((await iam.send(new GetUserCommand({ UserName: 'durable-19' }))).User?.UserName, 'durable-19');
        } finally {
          await second.stop();
        }
      } finally {
        await database?.drop();
        rmSync(data, { recursive: true, force: true });
      }
    });
  });
}
