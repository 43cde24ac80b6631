// Every GODWIT_* variable the server reads, with one line each, for `godwit --help`. The full
// explanations are in docs/configuration.md, whose table a test compares with this list.
export const ENVIRONMENT_VARIABLES: readonly (readonly [name: string, meaning: string])[] = [
  ['GODWIT_DATA', 'data folder, as --data (default ./godwit-data)'],
  ['GODWIT_HOST', 'address to listen on, as --host (default 127.0.0.1)'],
  ['GODWIT_HTTP_PORT', 'HTTP API port, as --http-port (default 8787)'],
  ['GODWIT_HTTPS_PORT', 'HTTPS API port, as --https-port (default: no HTTPS)'],
  ['GODWIT_SMTP_PORT', 'inbound SMTP (MX) port, as --smtp-port; 25 in production (default: no SMTP)'],
  ['GODWIT_SMTPS_PORT', 'SMTP submission port with implicit TLS, as --smtps-port; 465 in production (default: none)'],
  ['GODWIT_SUBMISSION_PORT', 'SMTP submission port with STARTTLS, as --submission-port; 587 in production (default: none)'],
  ['GODWIT_RELAY', 'smarthost for all outbound mail, as --relay: smtp[s]://user:pass@host:port (default: MX lookup)'],
  ['GODWIT_REMOTE_SMTP_PORT', 'port outbound delivery connects to on remote MX hosts (default 25)'],
  ['GODWIT_QUEUE_MAX_AGE_HOURS', 'hours the outbound queue retries before it bounces (default 120)'],
  ['GODWIT_TLS_CERT', 'PEM certificate (chain) file, as --tls-cert (default: the self-signed one in the data folder)'],
  ['GODWIT_TLS_KEY', 'PEM private key file of that certificate, as --tls-key'],
  ['GODWIT_REGION', 'AWS region name, as --region (default the one recorded at init, else us-east-1)'],
  ['GODWIT_DATABASE_URL', 'postgres:// URL: keep the data in PostgreSQL instead of SQLite'],
  ['GODWIT_CLOCK_SKEW_SECONDS', 'largest accepted distance between a signature time and the clock (default 900)'],
  ['GODWIT_LOG_LEVEL', 'trace, debug, info, warn, error, fatal or silent (default info)'],
  ['GODWIT_MAX_BODY_BYTES', 'largest request body accepted (default 1048576)'],
  ['GODWIT_CHECK_OUTPUTS', '1: check every API answer against the AWS model (development and tests)'],
  ['GODWIT_BASE_DOMAIN', 'parent of the WorkMail test domains (default godwit.localhost)'],
  ['GODWIT_MAIL_HOST', 'host name of the mail server, in MX records and the certificate (default mail.godwit.localhost)'],
  ['GODWIT_DNS_SERVER', 'DNS server for mail domain verification and SPF/DKIM/DMARC checks, as --dns-server (default the system resolvers)'],
];

export function environmentHelp(): string {
  const width = Math.max(...ENVIRONMENT_VARIABLES.map(([name]) => name.length)) + 2;
  const lines = ENVIRONMENT_VARIABLES.map(([name, meaning]) => `  ${name.padEnd(width)}${meaning}`);
  return ['', 'Environment variables (a flag wins over its variable; see docs/configuration.md):', ...lines, ''].join('\n');
}
