// Two Godwit processes on one PostgreSQL database stay coherent: each caches keys and policies,
// and the change bus (LISTEN/NOTIFY) tells each what the other committed. A key deactivated
// through one server is refused by the other within a second; a policy attached through one
// takes effect on the other.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListUsersCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { freePort, godwit, serve } from '../helpers/cli.ts';
import { createTempDatabase, postgresAvailable } from '../helpers/postgres.ts';

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Polls `attempt` until it stops throwing or `limitMs` passes; returns how long it took. */
async function within(limitMs: number, attempt: () => Promise<void>): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await attempt();
      return Date.now() - started;
    } catch (error) {
      if (Date.now() - started > limitMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('two servers on one PostgreSQL database', { skip: !(await postgresAvailable()) }, () => {
  test('a key deactivated through one is refused by the other within a second; a policy attached through one applies on the other', async () => {
    const data = mkdtempSync(join(tmpdir(), 'godwit-two-'));
    const database = await createTempDatabase();
    const env = { GODWIT_DATABASE_URL: database.url };
    const init = await godwit(['init', '--data', data, '--json', '--password', 'two servers'], env);
    assert.equal(init.code, 0, init.stderr);
    const admin = JSON.parse(init.stdout) as Key & { region: string };
    const [portA, portB] = [await freePort(), await freePort()];
    // Both share the data folder for its server key; the database is the one PostgreSQL database.
    const a = await serve(['--data', data, '--http-port', String(portA)], portA, env);
    const b = await serve(['--data', data, '--http-port', String(portB)], portB, env);
    try {
      const iam = (endpoint: string, credentials: Key) => new IAMClient({ endpoint, region: admin.region, credentials, maxAttempts: 1 });
      const sts = (endpoint: string, credentials: Key) => new STSClient({ endpoint, region: admin.region, credentials, maxAttempts: 1 });

      await iam(a.endpoint, admin).send(new CreateUserCommand({ UserName: 'carol' }));
      const created = (await iam(a.endpoint, admin).send(new CreateAccessKeyCommand({ UserName: 'carol' }))).AccessKey!;
      const carol = { accessKeyId: created.AccessKeyId!, secretAccessKey: created.SecretAccessKey! };

      // B learns of the key and caches it, and caches carol's (empty) policies.
      assert.match((await sts(b.endpoint, carol).send(new GetCallerIdentityCommand({}))).Arn!, /:user\/carol$/);
      await assert.rejects(iam(b.endpoint, carol).send(new ListUsersCommand({})), { name: 'AccessDenied' });

      await iam(a.endpoint, admin).send(new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
      await within(1000, async () => {
        await iam(b.endpoint, carol).send(new ListUsersCommand({}));
      });

      await iam(a.endpoint, admin).send(new UpdateAccessKeyCommand({ UserName: 'carol', AccessKeyId: carol.accessKeyId, Status: 'Inactive' }));
      const took = await within(1000, async () => {
        await assert.rejects(sts(b.endpoint, carol).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId' });
      });
      assert.ok(took <= 1000, `refused by the other server after ${took} ms`);
    } finally {
      await a.stop();
      await b.stop();
      await database.drop();
      rmSync(data, { recursive: true, force: true });
    }
  });
});
