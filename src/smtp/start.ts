// The SMTP door as the composition root starts it, from the server's configuration: the MX on
// --smtp-port, on --host, named --mail-host (GODWIT_MAIL_HOST), checking SPF/DKIM/DMARC through
// --dns-server, storing through the mailbox store's MailDelivery.
import type { Config } from '../config/config.ts';
import type { Reader } from '../store/database.ts';
import type { MailDelivery } from '../mail/delivery.ts';
import type { TlsCertificate } from '../tls/certificate.ts';
import type { Logger } from '../log/logger.ts';
import type { DNSResolver } from 'mailauth';
import { startMxListener, type MxListener } from './mx-server.ts';

export type { MxListener } from './mx-server.ts';

export async function startSmtp(
  config: Pick<Config, 'smtpPort' | 'host' | 'mailHost'>,
  parts: { db: Reader; delivery: MailDelivery; certificate: TlsCertificate; logger: Logger; resolver: DNSResolver },
): Promise<MxListener | undefined> {
  if (config.smtpPort === undefined) return undefined;
  return startMxListener({
    ...parts,
    hostName: config.mailHost,
    host: config.host,
    port: config.smtpPort,
  });
}
