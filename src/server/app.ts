// The composition root: opens the store, loads the server key, wires the identity service and
// the API router, and listens. Nothing below this file knows how the pieces are put together.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import { Identity } from '../iam/identity.ts';
import { loadServerKey, type SecretBox } from '../security/secret-box.ts';
import { createLogger, logEvent, type Logger } from '../log/logger.ts';
import { migrate, openStore, type Store } from '../store/database.ts';
import { loadModel } from '../aws/model.ts';
import { createApiRouter } from '../aws/router.ts';
import { iamOperations } from '../api/iam/index.ts';
import { stsOperations } from '../api/sts/index.ts';
import { workmailOperations } from '../api/workmail/index.ts';
import type { ApiOperation } from '../api/operation.ts';

export interface RunningServer {
  store: Store;
  box: SecretBox;
  identity: Identity;
  http: Server;
  endpoint: string;
  close(): Promise<void>;
}

const table = (operations: ApiOperation[]) => new Map(operations.map((op) => [op.name, op]));

export async function startServer(config: Config, options: { clock?: Clock; logger?: Logger } = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  await migrate(store.db);
  const box = loadServerKey(config.dataDir);
  const identity = new Identity(store.db, box, clock);
  // The account cache follows committed IAM changes, this process's and (on PostgreSQL) other
  // processes' on the same database; after a gap in what was heard, it forgets everything.
  store.changes.subscribe((change) => {
    if (change.kind === 'iam') identity.invalidate(change.accountId);
  });
  store.changes.onGap(() => identity.invalidateAll());
  await store.listen();
  const router = createApiRouter({
    config,
    db: store.db,
    box,
    identity,
    clock,
    logger,
    region: config.region,
    clockSkewSeconds: config.clockSkewSeconds,
    maxBodyBytes: config.maxBodyBytes,
    queryServices: [
      { name: 'iam', version: '2010-05-08', model: loadModel('iam'), operations: table(iamOperations) },
      { name: 'sts', version: '2011-06-15', model: loadModel('sts'), operations: table(stsOperations) },
    ],
    jsonServices: [{ name: 'workmail', targetPrefix: 'WorkMailService', validationErrorCode: 'InvalidParameterException', model: loadModel('workmail'), operations: table(workmailOperations) }],
  });
  const http = createServer({ keepAliveTimeout: 65_000 }, router);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.httpPort, config.host, () => resolve());
  });
  const address = http.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const endpoint = `http://${host}:${address.port}`;
  logEvent(logger, 'server.listening', { endpoint, engine: store.engine, region: config.region });
  return {
    store,
    box,
    identity,
    http,
    endpoint,
    async close() {
      logEvent(logger, 'server.stopping');
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await identity.close();
      await store.close();
    },
  };
}
