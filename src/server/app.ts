// The composition root: opens the store, loads the server key, wires the identity service and
// the API router, and listens. Nothing below this file knows how the pieces are put together.
import { createServer, type Server } from 'node:http';
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
import { prepareCertificate, type TlsCertificate } from '../tls/certificate.ts';
import { listenHttps, type HttpsListener } from './https.ts';
import { listen } from './listen.ts';
import { MailService } from '../mail/store/service.ts';
import { DEFAULT_MAILBOX_QUOTA_MB } from '../workmail/users.ts';
import { startSmtp, type MxListener } from '../smtp/start.ts';
import { startSubmission, type SubmissionListeners } from '../smtp/start-submission.ts';
import { MailLogin } from '../workmail/mail-login.ts';
import { OutboundService } from '../mail/outbound/service.ts';
import { mailDnsResolver } from '../mail/authentication/resolver.ts';

export interface RunningServer {
  store: Store;
  box: SecretBox;
  identity: Identity;
  /** The mailbox store: MailDelivery for the mail doors (mail.delivery), its sweepers running. */
  mail: MailService;
  http: Server;
  /** The HTTP API's address, with the port the system gave when 0 was asked. */
  endpoint: string;
  /** Present when an HTTPS port was configured. */
  https: HttpsListener | undefined;
  /** The inbound SMTP (MX) listener, present when an SMTP port was configured. */
  smtp: MxListener | undefined;
  /** SMTP submission: implicit TLS (465) and STARTTLS (587); present when either port was configured. */
  submission: SubmissionListeners | undefined;
  /** The outbound queue and its worker: mail for other servers, from submission. */
  outbound: OutboundService;
  /** The certificate the TLS listeners serve. */
  certificate: TlsCertificate;
  /** Re-reads the certificate files for the TLS listeners; keeps the current certificate if they are unusable. */
  reloadCertificate(): Promise<void>;
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
  // Mailbox store: removes deleted entities' mailboxes, sweeps orphan bodies and applies
  // retention now, then on timers. The mail doors (SMTP, IMAP) are handed mail.delivery.
  const mail = new MailService({ store, dataDir: config.dataDir, clock, defaultQuotaMb: DEFAULT_MAILBOX_QUOTA_MB, onError: (job, error) => logEvent(logger, 'mail.job_failed', { job, error: (error as Error).message }, 'error') });
  mail.start();
  // The outbound queue shares the mailbox store's blob store, so that the orphan sweeper's holds
  // and reference counts cover queued bodies; its bounces are filed through mail.delivery.
  const resolver = await mailDnsResolver(config.dnsServer);
  const outbound = new OutboundService({
    store,
    blobs: mail.blobs,
    delivery: mail.delivery,
    box,
    resolver,
    clock,
    logger,
    mailHost: config.mailHost,
    relayUrl: config.relayUrl,
    remotePort: config.remoteSmtpPort,
    maxAgeMs: config.queueMaxAgeHours * 3_600_000,
  });
  outbound.start();
  // Made or renewed here for a data folder initialised before Godwit had TLS, and checked even
  // without an HTTPS port, so that a wrong --tls-cert stops the start rather than a later listener.
  // Its validity is for real clients' clocks, never an injected test clock.
  const certificate = await prepareCertificate(config, new Date());
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
  const endpoint = await listen(http, config.httpPort, config.host, 'http');
  let https: HttpsListener | undefined;
  let smtp: MxListener | undefined;
  let submission: SubmissionListeners | undefined;
  // One per process: the submission door and (later) IMAP share its throttle, so that a password
  // guesser gets no fresh budget by switching doors.
  const mailLogin = new MailLogin(store.db);
  try {
    https = config.httpsPort === undefined ? undefined : await listenHttps({ ...config, httpsPort: config.httpsPort }, certificate, router);
    // The MX door (--smtp-port): mail for the organizations' domains into mail.delivery; STARTTLS
    // with the same certificate as HTTPS.
    smtp = await startSmtp(config, { db: store.db, delivery: mail.delivery, certificate, logger, resolver });
    submission = await startSubmission(config, { db: store.db, delivery: mail.delivery, outbound, certificate, logger, login: mailLogin });
  } catch (error) {
    http.close();
    https?.server.close();
    await smtp?.close();
    await outbound.stop();
    await mail.stop();
    await store.close();
    throw error;
  }
  logEvent(logger, 'server.listening', {
    endpoint,
    httpsEndpoint: https?.endpoint,
    smtpEndpoint: smtp?.endpoint,
    smtpsEndpoint: submission?.smtps?.endpoint,
    submissionEndpoint: submission?.submission?.endpoint,
    engine: store.engine,
    region: config.region,
  });
  return {
    store,
    box,
    identity,
    mail,
    http,
    endpoint,
    https,
    smtp,
    submission,
    outbound,
    certificate,
    async reloadCertificate() {
      if (!https && !smtp && !submission) return;
      // Logged through pino directly: logger.ts's closed event list has no TLS events yet.
      try {
        const next = https ? await https.reload() : await prepareCertificate(config, new Date());
        smtp?.setCertificate(next);
        submission?.setCertificate(next);
        logEvent(logger, 'tls.reloaded', { certFile: next.files.certFile, validTo: next.validTo.toISOString() });
      } catch (error) {
        logEvent(logger, 'tls.reload_failed', { error: (error as Error).message }, 'error');
      }
    },
    async close() {
      logEvent(logger, 'server.stopping');
      await smtp?.close();
      await submission?.close();
      for (const server of [http, https?.server]) server?.closeAllConnections();
      await Promise.all([http, https?.server].map((server) => server && new Promise<void>((resolve) => server.close(() => resolve()))));
      await identity.close();
      await outbound.stop();
      await mail.stop();
      await store.close();
    },
  };
}
