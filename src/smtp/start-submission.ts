// The submission door as the composition root starts it, from the server's configuration:
// implicit TLS on --smtps-port (465) and STARTTLS on --submission-port (587), on --host, named
// --mail-host, with the server's certificate; nothing opens when neither port is given. The
// MailLogin is passed in so that the IMAP door can share its throttle: a guesser gets no fresh
// budget by switching doors.
import type { Config } from '../config/config.ts';
import type { Reader } from '../store/database.ts';
import type { MailDelivery } from '../mail/delivery.ts';
import type { OutboundQueue } from '../mail/outbound.ts';
import type { TlsCertificate } from '../tls/certificate.ts';
import type { Logger } from '../log/logger.ts';
import { MailLogin } from '../workmail/mail-login.ts';
import { startSubmissionListeners, type SubmissionListeners } from './submission-server.ts';

export type { SubmissionListeners } from './submission-server.ts';

export interface SubmissionConfig extends Pick<Config, 'host' | 'mailHost'> {
  smtpsPort?: number;
  submissionPort?: number;
}

export async function startSubmission(
  config: SubmissionConfig,
  parts: { db: Reader; delivery: MailDelivery; outbound: OutboundQueue; certificate: TlsCertificate; logger: Logger; login?: MailLogin },
): Promise<SubmissionListeners | undefined> {
  if (config.smtpsPort === undefined && config.submissionPort === undefined) return undefined;
  return startSubmissionListeners({
    host: config.host,
    smtpsPort: config.smtpsPort,
    submissionPort: config.submissionPort,
    certificate: parts.certificate,
    db: parts.db,
    delivery: parts.delivery,
    outbound: parts.outbound,
    login: parts.login ?? new MailLogin(parts.db),
    hostName: config.mailHost,
    logger: parts.logger,
  });
}
