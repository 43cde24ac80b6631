// `godwit`: init, serve, account and queue commands. Flags override GODWIT_* environment variables,
// which override the settings recorded at init, which override defaults (docs/configuration.md).
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_HTTP_PORT, loadConfig, type Config, type ConfigFlags } from '../config/config.ts';
import { environmentHelp } from '../config/environment.ts';
import { readDataSettings } from '../server/settings.ts';
import { credentialsJson, credentialsMembers, credentialsText, listeningMembers, listeningText, profileName, type NewCredentials } from './present.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

interface CommonFlags extends ConfigFlags {
  json?: boolean;
  email?: string;
  password?: string;
}

function configFrom(flags: CommonFlags): Config {
  const dataDir = resolve(flags.data ?? process.env.GODWIT_DATA ?? 'godwit-data');
  return loadConfig({ ...flags, data: dataDir }, process.env, readDataSettings(dataDir));
}

const print = (text: string) => process.stdout.write(text);

const dataOption = () => new Option('--data <dir>', 'data folder (env GODWIT_DATA; default ./godwit-data)');
const regionOption = () =>
  new Option('--region <region>', 'AWS region name used in ARNs and signature scopes (env GODWIT_REGION; default us-east-1, or the one recorded at init)');

const program = new Command('godwit')
  .description('Godwit: a self-hosted replacement for Amazon WorkMail with AWS-compatible IAM, STS and WorkMail APIs.')
  .version(version, '-V, --version', 'print the version')
  .addHelpText('after', environmentHelp())
  .showHelpAfterError();

program
  .command('init')
  .description('create the data folder, its server key and the first account with an admin IAM user and access key')
  .addOption(dataOption())
  .option('--email <email>', 'root user email of the first account', 'root@localhost')
  .option('--password <password>', "root user password (8-128 characters); generated and shown once if omitted")
  .addOption(regionOption())
  .option('--host <host>', 'host the endpoint will listen on, for the printed endpoint (env GODWIT_HOST)')
  .option('--http-port <port>', `HTTP API port, for the printed endpoint (env GODWIT_HTTP_PORT, default ${DEFAULT_HTTP_PORT})`)
  .option('--json', 'print one JSON object instead of text')
  .action(async (flags: CommonFlags) => {
    const { initialise } = await import('../server/bootstrap.ts');
    const result = await initialise(configFrom(flags), { email: flags.email, password: flags.password });
    print(flags.json ? credentialsJson(result) + '\n' : credentialsText(result, `Godwit initialised in ${result.dataDir}`, profileName(result.accountId, true)));
  });

program
  .command('serve')
  .description('serve the AWS APIs (IAM, STS, WorkMail) over HTTP, and HTTPS if asked; initialises an empty data folder first')
  .addOption(dataOption())
  .option('--host <host>', 'address to listen on (env GODWIT_HOST)', undefined)
  .option('--http-port <port>', `HTTP API port; 0 picks a free one (env GODWIT_HTTP_PORT, default ${DEFAULT_HTTP_PORT})`)
  .option('--https-port <port>', 'HTTPS API port; 0 picks a free one (env GODWIT_HTTPS_PORT; default: no HTTPS)')
  .option('--smtp-port <port>', 'inbound SMTP (MX) port, 25 in production; 0 picks a free one (env GODWIT_SMTP_PORT; default: no SMTP)')
  .option('--smtps-port <port>', 'SMTP submission with implicit TLS, 465 in production; 0 picks a free one (env GODWIT_SMTPS_PORT; default: none)')
  .option('--submission-port <port>', 'SMTP submission with STARTTLS, 587 in production; 0 picks a free one (env GODWIT_SUBMISSION_PORT; default: none)')
  .option('--relay <url>', 'send all outbound mail through this smarthost: smtp://user:pass@host:port (STARTTLS) or smtps://… (env GODWIT_RELAY; default: MX lookup)')
  .option('--tls-cert <file>', 'PEM certificate, followed by its chain, for HTTPS and STARTTLS (env GODWIT_TLS_CERT; default: the self-signed one in the data folder)')
  .option('--tls-key <file>', 'PEM private key of --tls-cert (env GODWIT_TLS_KEY)')
  .addOption(regionOption())
  .option('--dns-server <host:port>', 'DNS server that mail domain verification and SPF/DKIM/DMARC checks ask (env GODWIT_DNS_SERVER; default the system resolvers)')
  .option('--json', 'print one JSON object: where it listens, and the credentials if the folder is initialised now')
  .action(async (flags: CommonFlags) => {
    // Loaded here rather than at the top, so that `--help` and the other commands start quickly.
    const { initialise, needsInitialisation } = await import('../server/bootstrap.ts');
    const { startServer } = await import('../server/app.ts');
    const config = configFrom(flags);
    const initialised = (await needsInitialisation(config)) ? await initialise(config, {}) : undefined;
    const heading = `Godwit initialised in ${config.dataDir}`;
    const profile = (credentials: NewCredentials) => profileName(credentials.accountId, true);
    let server;
    try {
      server = await startServer(config);
    } catch (error) {
      // The new secret and root password exist nowhere else: show them even if serving fails.
      if (initialised) print(flags.json ? credentialsJson(initialised) + '\n' : credentialsText(initialised, heading, profile(initialised)));
      throw error;
    }
    // Handlers first, then the line that tells a supervisor the server is up: a stop request sent
    // as soon as that line is read must find them in place.
    const running = server;
    const stop = () => {
      void running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`godwit: stopping failed: ${(error as Error).message}\n`);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Only with a TLS listener (HTTPS, or SMTP's STARTTLS): otherwise SIGHUP keeps its usual meaning (the terminal went away).
    if (running.https || running.smtp || running.submission) process.on('SIGHUP', () => void running.reloadCertificate());
    // Printed once listening, so that the endpoint carries the port the system gave for port 0.
    const credentials = initialised && { ...initialised, endpoint: server.endpoint };
    const listening = {
      endpoint: server.endpoint,
      httpsEndpoint: server.https?.endpoint,
      tlsCertificate: server.https ? server.certificate.files.certFile : undefined,
      region: config.region,
    };
    const mail = {
      smtpEndpoint: server.smtp?.endpoint,
      smtpsEndpoint: server.submission?.smtps?.endpoint,
      submissionEndpoint: server.submission?.submission?.endpoint,
    };
    const mailLines =
      (mail.smtpEndpoint ? `Inbound SMTP (MX) on ${mail.smtpEndpoint}\n` : '') +
      (mail.smtpsEndpoint ? `SMTP submission (implicit TLS) on ${mail.smtpsEndpoint}\n` : '') +
      (mail.submissionEndpoint ? `SMTP submission (STARTTLS) on ${mail.submissionEndpoint}\n` : '');
    if (flags.json) print(JSON.stringify({ ...(credentials && credentialsMembers(credentials)), ...listeningMembers(listening), ...mail }) + '\n');
    else print((credentials ? credentialsText(credentials, heading, profile(credentials)) + '\n' : '') + listeningText(listening) + mailLines);
  });

const account = program.command('account').description('manage the accounts this server hosts');
account
  .command('create')
  .description('add another account, with its root user, an admin IAM user and one access key')
  .addOption(dataOption())
  .requiredOption('--email <email>', 'root user email of the new account (unique on this server)')
  .option('--password <password>', 'root user password (8-128 characters); generated and shown once if omitted')
  .option('--region <region>', 'only checked: the region recorded at init (env GODWIT_REGION)')
  .option('--json', 'print one JSON object instead of text')
  .action(async (flags: CommonFlags) => {
    const { addAccount } = await import('../server/bootstrap.ts');
    const result = await addAccount(configFrom(flags), { email: flags.email, password: flags.password });
    print(flags.json ? credentialsJson(result) + '\n' : credentialsText(result, 'Account created', profileName(result.accountId, false)));
  });

const queue = program.command('queue').description('look at and act on the outbound mail queue (the store of --data / GODWIT_DATABASE_URL)');

/** Runs `fn` on the store of the configured data folder; the server may be running beside it. */
async function withQueueStore<T>(flags: CommonFlags, fn: (db: import('../store/database.ts').Db) => Promise<T>): Promise<T> {
  const { hasServerKey } = await import('../security/secret-box.ts');
  const { migrate, openStore } = await import('../store/database.ts');
  const config = configFrom(flags);
  if (!hasServerKey(config.dataDir)) throw new Error(`${config.dataDir} is not initialised; run 'godwit init' first`);
  const store = openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    await migrate(store.db);
    return await fn(store.db);
  } finally {
    await store.close();
  }
}

queue
  .command('list')
  .description('every recipient waiting: entry id, recipient, state, attempts, next try, age, last error')
  .addOption(dataOption())
  .option('--json', 'print one JSON object: {"entries": [...]}')
  .action(async (flags: CommonFlags) => {
    const { listQueue, queueText } = await import('../mail/outbound/admin.ts');
    const entries = await withQueueStore(flags, (db) => listQueue(db, new Date()));
    print(flags.json ? JSON.stringify({ entries }) + '\n' : queueText(entries));
  });

queue
  .command('retry')
  .description('make recipients due now: one entry (<queue id>.<n>), all recipients of a message (<queue id>), or --all; a running server sends them at its next poll')
  .argument('[id]', 'entry or queue id')
  .addOption(dataOption())
  .option('--all', 'every recipient in the queue')
  .action(async (id: string | undefined, flags: CommonFlags & { all?: boolean }) => {
    if ((id === undefined) === !flags.all) throw new Error("queue retry: give one id, or --all (not both)");
    const { retryQueue } = await import('../mail/outbound/admin.ts');
    const count = await withQueueStore(flags, (db) => retryQueue(db, new Date(), id));
    print(`${count} recipient${count === 1 ? '' : 's'} due now\n`);
  });

queue
  .command('delete')
  .description('delete one entry (<queue id>.<n>) or all recipients of a message (<queue id>): never sent, no DSN')
  .argument('<id>', 'entry or queue id')
  .addOption(dataOption())
  .action(async (id: string, flags: CommonFlags) => {
    const { deleteQueueEntry } = await import('../mail/outbound/admin.ts');
    const count = await withQueueStore(flags, (db) => deleteQueueEntry(db, id));
    print(`${count} recipient${count === 1 ? '' : 's'} deleted\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`godwit: ${(error as Error).message}\n`);
  process.exit(1);
}
