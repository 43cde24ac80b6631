// `godwit`: init, serve and account commands. Flags override GODWIT_* environment variables,
// which override the settings recorded at init, which override defaults (docs/configuration.md).
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { DEFAULT_HTTP_PORT, loadConfig, type Config, type ConfigFlags } from '../config/config.ts';
import { readDataSettings } from '../server/settings.ts';
import { credentialsJson, credentialsText } from './present.ts';

interface CommonFlags extends ConfigFlags {
  json?: boolean;
  email?: string;
  password?: string;
}

function configFrom(flags: CommonFlags): Config {
  const dataDir = resolve(flags.data ?? process.env.GODWIT_DATA ?? 'godwit-data');
  const recorded = readDataSettings(dataDir).region;
  return loadConfig({ ...flags, data: dataDir, region: flags.region ?? process.env.GODWIT_REGION ?? recorded });
}

const dataOption = () => new Option('--data <dir>', 'data folder (env GODWIT_DATA; default ./godwit-data)');
const regionOption = () =>
  new Option('--region <region>', 'AWS region name used in ARNs and signature scopes (env GODWIT_REGION; default us-east-1, or the one recorded at init)');

const program = new Command('godwit')
  .description('Godwit: a self-hosted replacement for Amazon WorkMail with AWS-compatible IAM, STS and WorkMail APIs.')
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
    process.stdout.write(flags.json ? credentialsJson(result) + '\n' : credentialsText(result, `Godwit initialised in ${result.dataDir}`));
  });

program
  .command('serve')
  .description('serve the AWS APIs (IAM, STS, WorkMail) on one HTTP port; initialises an empty data folder first')
  .addOption(dataOption())
  .option('--host <host>', 'address to listen on (env GODWIT_HOST)', undefined)
  .option('--http-port <port>', `HTTP API port (env GODWIT_HTTP_PORT, default ${DEFAULT_HTTP_PORT})`)
  .addOption(regionOption())
  .option('--dns-server <host:port>', 'DNS server that mail domain verification asks (env GODWIT_DNS_SERVER; default the system resolvers)')
  .option('--json', 'if the folder is initialised now, print its credentials as one JSON object')
  .action(async (flags: CommonFlags) => {
    // Loaded here rather than at the top, so that `--help` and the other commands start quickly.
    const { initialise, needsInitialisation } = await import('../server/bootstrap.ts');
    const { startServer } = await import('../server/app.ts');
    let config = configFrom(flags);
    if (await needsInitialisation(config)) {
      const result = await initialise(config, {});
      process.stdout.write(flags.json ? credentialsJson(result) + '\n' : credentialsText(result, `Godwit initialised in ${result.dataDir}`));
      config = configFrom(flags);
    }
    const server = await startServer(config);
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

const account = program.command('account').description('manage the accounts this server hosts');
account
  .command('create')
  .description('add another account, with its root user, an admin IAM user and one access key')
  .addOption(dataOption())
  .requiredOption('--email <email>', 'root user email of the new account (unique on this server)')
  .option('--password <password>', 'root user password (8-128 characters); generated and shown once if omitted')
  .option('--json', 'print one JSON object instead of text')
  .action(async (flags: CommonFlags) => {
    const { addAccount } = await import('../server/bootstrap.ts');
    const result = await addAccount(configFrom(flags), { email: flags.email, password: flags.password });
    process.stdout.write(flags.json ? credentialsJson(result) + '\n' : credentialsText(result, 'Account created'));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`godwit: ${(error as Error).message}\n`);
  process.exit(1);
}
