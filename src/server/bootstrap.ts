// First start of a data folder: the server key, the self-signed TLS certificate, the schema, and
// the first account with its `admin` IAM user and access key. The secret is handed back once, for the caller to show,
// and written to admin_accessKeys.csv (mode 0600) in the format the AWS console downloads.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeDataSettings } from './settings.ts';
import { join } from 'node:path';
import { systemClock, type Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import { createAccount, hasAccounts, type BootstrappedAccount } from '../iam/accounts.ts';
import { createServerKey, hasServerKey, loadServerKey, type SecretBox } from '../security/secret-box.ts';
import { migrate, openStore, type Db } from '../store/database.ts';
import { ensureSelfSignedCertificate } from '../tls/certificate.ts';

export const CSV_FILE = 'admin_accessKeys.csv';

export interface InitResult extends BootstrappedAccount {
  dataDir: string;
  region: string;
  endpoint: string;
  csvPath: string;
  /** Set only when Godwit chose the root password, so that it can be shown once. */
  generatedRootPassword: string | undefined;
}

export interface AccountOptions {
  email?: string;
  password?: string;
}

export function validateRootPassword(password: string): void {
  if (password.length < 8 || password.length > 128) throw new Error('the root password must be 8 to 128 characters long');
}

// An address's usual shape, with a single-label domain allowed: the default is root@localhost.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function validateRootEmail(email: string): void {
  if (email.length > 254 || !EMAIL.test(email)) throw new Error(`--email '${email}' is not an email address like it@example.com`);
}

const generatePassword = () => randomBytes(15).toString('base64url');

/**
 * Whether `serve` must initialise first: no server key yet, or a key whose store never got its
 * first account (an `init` that stopped in between; the account is one transaction, so the
 * store holds all of it or none).
 */
export async function needsInitialisation(config: Config): Promise<boolean> {
  if (!hasServerKey(config.dataDir)) return true;
  return !(await withStore(config, (db) => hasAccounts(db)));
}

async function withStore<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const store = openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    await migrate(store.db);
    return await fn(store.db);
  } finally {
    await store.close();
  }
}

export async function initialise(config: Config, options: AccountOptions, clock: Clock = systemClock): Promise<InitResult> {
  if (!(await needsInitialisation(config))) {
    throw new Error(`${config.dataDir} is already initialised; Godwit never overwrites a data folder`);
  }
  const generatedRootPassword = options.password === undefined ? generatePassword() : undefined;
  const password = options.password ?? generatedRootPassword!;
  const email = options.email ?? 'root@localhost';
  validateRootEmail(email);
  validateRootPassword(password);
  let box: SecretBox;
  if (hasServerKey(config.dataDir)) {
    box = loadServerKey(config.dataDir);
  } else {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    box = createServerKey(config.dataDir);
    writeDataSettings(config.dataDir, { region: config.region });
  }
  // Certificate validity is for real clients' clocks, never an injected test clock.
  await ensureSelfSignedCertificate(config.dataDir, config.mailHost, new Date());
  const account = await withStore(config, (db) => createAccount(db, box, { email, password }, clock.now()));
  const csvPath = join(config.dataDir, CSV_FILE);
  writeFileSync(csvPath, `Access key ID,Secret access key\n${account.accessKeyId},${account.secretAccessKey}\n`, { mode: 0o600 });
  return { ...account, dataDir: config.dataDir, region: config.region, endpoint: endpointOf(config), csvPath, generatedRootPassword };
}

/** Another account on an initialised server (a server can host many). */
export async function addAccount(config: Config, options: AccountOptions, clock: Clock = systemClock) {
  if (!hasServerKey(config.dataDir)) throw new Error(`${config.dataDir} is not initialised; run 'godwit init' first`);
  if (!options.email) throw new Error('--email is required: each account has its own root user email');
  validateRootEmail(options.email);
  const generatedRootPassword = options.password === undefined ? generatePassword() : undefined;
  const password = options.password ?? generatedRootPassword!;
  validateRootPassword(password);
  const account = await withStore(config, (db) => createAccount(db, loadServerKey(config.dataDir), { email: options.email!, password }, clock.now()));
  return { ...account, region: config.region, endpoint: endpointOf(config), generatedRootPassword };
}

export function endpointOf(config: Config): string {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.httpPort}`;
}
