// One pino logger for the process. Events come from a closed set of names so that logs can be
// searched and alerted on; secrets never reach a log line (the redact list is a second net,
// not the first: call sites pass only ids, names and codes).
import pino from 'pino';

export type LogEvent =
  | 'server.listening'
  | 'server.stopping'
  | 'store.migrated'
  | 'account.created'
  | 'request.completed'
  | 'request.failed'
  | 'auth.rejected'
  | 'init.completed'
  | 'tls.reloaded'
  | 'tls.reload_failed'
  | 'mail.job_failed'
  | 'smtp.stored'
  | 'smtp.refused'
  | 'smtp.failed'
  | 'smtp.connection_error'
  | 'outbound.queued'
  | 'outbound.delivered'
  | 'outbound.deferred'
  | 'outbound.failed'
  | 'outbound.bounced'
  | 'outbound.worker_failed'
  | 'submission.auth_succeeded'
  | 'submission.auth_failed'
  | 'submission.accepted'
  | 'submission.refused'
  | 'submission.failed'
  | 'imap.session_refused'
  | 'imap.connection_error'
  | 'imap.tls_failed'
  | 'imap.login_succeeded'
  | 'imap.login_failed'
  | 'imap.client_id'
  | 'imap.command_failed';

export type Logger = pino.Logger;

const REDACT = [
  'secretAccessKey',
  'SecretAccessKey',
  'password',
  'Password',
  'NewPassword',
  'OldPassword',
  '*.secretAccessKey',
  '*.SecretAccessKey',
  '*.password',
  '*.Password',
  'headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined }, destination);
}

export function logEvent(logger: Logger, event: LogEvent, fields: Record<string, unknown> = {}, level: 'info' | 'warn' | 'error' | 'debug' = 'info'): void {
  logger[level]({ event, ...fields });
}
