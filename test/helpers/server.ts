// Starts a real Godwit server for a test: a fresh data folder, `init`, and the HTTP API on a
// free loopback port, on SQLite or on a throwaway PostgreSQL database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { WorkMailClient } from '@aws-sdk/client-workmail';
import { loadConfig } from '../../src/config/config.ts';
import { startServer, type RunningServer } from '../../src/server/app.ts';
import { initialise, type InitResult } from '../../src/server/bootstrap.ts';
import { createLogger } from '../../src/log/logger.ts';
import type { Clock } from '../../src/clock.ts';
import { createTempDatabase, type TempDatabase } from './postgres.ts';

export type Engine = 'sqlite' | 'postgres';

export interface TestServer {
  server: RunningServer;
  endpoint: string;
  admin: InitResult;
  region: string;
  dataDir: string;
  iam(credentials?: Credentials): IAMClient;
  sts(credentials?: Credentials): STSClient;
  workmail(credentials?: Credentials): WorkMailClient;
  stop(): Promise<void>;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export async function startTestServer(options: { engine?: Engine; clock?: Clock; env?: Record<string, string> } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'godwit-test-'));
  let database: TempDatabase | undefined;
  if (options.engine === 'postgres') database = await createTempDatabase();
  const config = loadConfig({ data: dataDir, httpPort: 0 }, { GODWIT_DATABASE_URL: database?.url, GODWIT_LOG_LEVEL: 'silent', GODWIT_CHECK_OUTPUTS: '1', ...options.env });
  const admin = await initialise(config, { email: 'root@example.com', password: 'correct horse battery' }, options.clock);
  const server = await startServer(config, { clock: options.clock, logger: createLogger('silent') });
  const client = <T>(Ctor: new (config: object) => T, credentials?: Credentials): T =>
    new Ctor({
      endpoint: server.endpoint,
      region: config.region,
      credentials: credentials ?? { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey },
      maxAttempts: 1,
    });
  return {
    server,
    endpoint: server.endpoint,
    admin,
    region: config.region,
    dataDir,
    iam: (credentials) => client(IAMClient, credentials),
    sts: (credentials) => client(STSClient, credentials),
    workmail: (credentials) => client(WorkMailClient, credentials),
    async stop() {
      await server.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
