// Resolves the server's settings from CLI flags, then GODWIT_* environment variables, then the
// settings recorded at init, then defaults. Every setting here is documented in
// docs/configuration.md and listed for --help in environment.ts.
import { join, resolve } from 'node:path';
import { parseRelayUrl } from '../mail/outbound/relay-url.ts';

export interface Config {
  dataDir: string;
  host: string;
  httpPort: number;
  /** undefined: no HTTPS listener. */
  httpsPort: number | undefined;
  /** The MX (inbound SMTP) port; undefined: no SMTP listener. 25 in production. */
  smtpPort: number | undefined;
  /** Submission with implicit TLS (WorkMail's 465); undefined: none. */
  smtpsPort: number | undefined;
  /** Submission with STARTTLS (587); undefined: none. */
  submissionPort: number | undefined;
  /** smtp[s]://user:pass@host:port of a smarthost that takes all outbound mail; undefined: deliver by MX lookup. */
  relayUrl: string | undefined;
  /** The port outbound delivery connects to on a recipient domain's MX hosts (25; another only for tests or a tunnel). */
  remoteSmtpPort: number;
  /** How long the outbound queue retries a recipient before it gives up and bounces, in hours (RFC 5321 4.5.4.1: 4-5 days). */
  queueMaxAgeHours: number;
  /** The administrator's certificate and key files; both undefined: the self-signed pair in the data folder. */
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  databaseUrl: string | undefined;
  region: string;
  clockSkewSeconds: number;
  logLevel: string;
  maxBodyBytes: number;
  /** WorkMail test domains are `<organization alias>.<baseDomain>`. */
  baseDomain: string;
  /** The host name published as MX for every mail domain. */
  mailHost: string;
  /** host:port of the DNS server that domain verification asks; undefined: the system's resolvers. */
  dnsServer: string | undefined;
  /** Development and tests: check every API result against the model before answering (a 500 if it does not conform). */
  checkOutputs: boolean;
}

export interface ConfigFlags {
  dnsServer?: string;
  data?: string;
  host?: string;
  httpPort?: string | number;
  httpsPort?: string | number;
  smtpPort?: string | number;
  smtpsPort?: string | number;
  submissionPort?: string | number;
  relay?: string;
  tlsCert?: string;
  tlsKey?: string;
  region?: string;
}

/** What init recorded in the data folder (server/settings.ts reads it). */
export interface RecordedSettings {
  region?: string;
}

export const DEFAULT_HTTP_PORT = 8787;

function integer(name: string, raw: string | number | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

function hostName(name: string, value: string): string {
  const lower = value.toLowerCase();
  if (!HOST_NAME.test(lower)) throw new Error(`${name} must be a DNS name like mail.example.com, got '${value}'`);
  return lower;
}

function hostPort(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(value);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) throw new Error(`${name} must be host:port, e.g. 127.0.0.1:53, got '${value}'`);
  return value;
}

/**
 * The region is part of every ARN and signature scope, so the one recorded at init is
 * authoritative: another one given later is refused rather than silently changing them all.
 */
function regionOf(flags: ConfigFlags, env: NodeJS.ProcessEnv, recorded: RecordedSettings, dataDir: string): string {
  const given = flags.region !== undefined ? { source: '--region', value: flags.region } : env.GODWIT_REGION ? { source: 'GODWIT_REGION', value: env.GODWIT_REGION } : undefined;
  if (given && !REGION.test(given.value)) throw new Error(`${given.source} '${given.value}' is not a region name like us-east-1`);
  if (given && recorded.region && given.value !== recorded.region) {
    const fix = given.source === '--region' ? `drop --region (or give --region ${recorded.region})` : `unset GODWIT_REGION (or set it to ${recorded.region})`;
    throw new Error(
      `${given.source} ${given.value} differs from ${recorded.region}, the region this data folder was initialised with ` +
        `(recorded in ${join(dataDir, 'settings.json')}). Every ARN and access key signature belongs to ${recorded.region}: ` +
        `${fix}; to serve another region, initialise a new data folder.`,
    );
  }
  return given?.value ?? recorded.region ?? 'us-east-1';
}

function tlsFiles(flags: ConfigFlags, env: NodeJS.ProcessEnv): { tlsCertFile: string | undefined; tlsKeyFile: string | undefined } {
  const cert = flags.tlsCert ?? (env.GODWIT_TLS_CERT || undefined);
  const key = flags.tlsKey ?? (env.GODWIT_TLS_KEY || undefined);
  if ((cert === undefined) !== (key === undefined)) {
    throw new Error('--tls-cert and --tls-key (GODWIT_TLS_CERT, GODWIT_TLS_KEY) go together: give both, or neither for the self-signed certificate in the data folder');
  }
  return { tlsCertFile: cert && resolve(cert), tlsKeyFile: key && resolve(key) };
}

/** Checked at start, so that a mistyped smarthost stops `serve` rather than bouncing mail later; the error never repeats the password. */
function relayUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    parseRelayUrl(value);
  } catch (error) {
    throw new Error(`--relay / GODWIT_RELAY: ${(error as Error).message}`);
  }
  return value;
}

export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env, recorded: RecordedSettings = {}): Config {
  const dataDir = resolve(flags.data ?? env.GODWIT_DATA ?? 'godwit-data');
  const httpsPort = flags.httpsPort ?? (env.GODWIT_HTTPS_PORT || undefined);
  const smtpPort = flags.smtpPort ?? (env.GODWIT_SMTP_PORT || undefined);
  const smtpsPort = flags.smtpsPort ?? (env.GODWIT_SMTPS_PORT || undefined);
  const submissionPort = flags.submissionPort ?? (env.GODWIT_SUBMISSION_PORT || undefined);
  return {
    dataDir,
    host: flags.host ?? env.GODWIT_HOST ?? '127.0.0.1',
    httpPort: integer('--http-port / GODWIT_HTTP_PORT', flags.httpPort ?? env.GODWIT_HTTP_PORT, DEFAULT_HTTP_PORT, 0, 65535),
    httpsPort: httpsPort === undefined ? undefined : integer('--https-port / GODWIT_HTTPS_PORT', httpsPort, 0, 0, 65535),
    smtpPort: smtpPort === undefined ? undefined : integer('--smtp-port / GODWIT_SMTP_PORT', smtpPort, 0, 0, 65535),
    smtpsPort: smtpsPort === undefined ? undefined : integer('--smtps-port / GODWIT_SMTPS_PORT', smtpsPort, 0, 0, 65535),
    submissionPort: submissionPort === undefined ? undefined : integer('--submission-port / GODWIT_SUBMISSION_PORT', submissionPort, 0, 0, 65535),
    relayUrl: relayUrl(flags.relay ?? (env.GODWIT_RELAY || undefined)),
    remoteSmtpPort: integer('GODWIT_REMOTE_SMTP_PORT', env.GODWIT_REMOTE_SMTP_PORT, 25, 1, 65535),
    queueMaxAgeHours: integer('GODWIT_QUEUE_MAX_AGE_HOURS', env.GODWIT_QUEUE_MAX_AGE_HOURS, 120, 1, 24 * 30),
    ...tlsFiles(flags, env),
    databaseUrl: env.GODWIT_DATABASE_URL || undefined,
    region: regionOf(flags, env, recorded, dataDir),
    clockSkewSeconds: integer('GODWIT_CLOCK_SKEW_SECONDS', env.GODWIT_CLOCK_SKEW_SECONDS, 900, 1, 86400),
    logLevel: env.GODWIT_LOG_LEVEL ?? 'info',
    maxBodyBytes: integer('GODWIT_MAX_BODY_BYTES', env.GODWIT_MAX_BODY_BYTES, 1024 * 1024, 1024, 64 * 1024 * 1024),
    baseDomain: hostName('GODWIT_BASE_DOMAIN', env.GODWIT_BASE_DOMAIN ?? 'godwit.localhost'),
    mailHost: hostName('GODWIT_MAIL_HOST', env.GODWIT_MAIL_HOST ?? 'mail.godwit.localhost'),
    checkOutputs: env.GODWIT_CHECK_OUTPUTS === '1',
    dnsServer: hostPort('--dns-server / GODWIT_DNS_SERVER', flags.dnsServer ?? env.GODWIT_DNS_SERVER),
  };
}
