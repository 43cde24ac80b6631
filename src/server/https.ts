// The HTTPS door: the same AWS API handler as the HTTP port, behind TLS with the server's
// certificate. The certificate can be swapped while running (reload, on SIGHUP): new
// connections get the new one, open connections keep theirs.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { prepareCertificate, type CertificateSettings, type TlsCertificate } from '../tls/certificate.ts';
import { listen } from './listen.ts';

export interface HttpsListener {
  server: Server;
  endpoint: string;
  certificate(): TlsCertificate;
  /** Re-reads the certificate files (renewing the self-signed pair if due); on error keeps the current one and throws. */
  reload(): Promise<TlsCertificate>;
}

export async function listenHttps(
  settings: CertificateSettings & { host: string; httpsPort: number },
  certificate: TlsCertificate,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<HttpsListener> {
  let current = certificate;
  const server = createServer({ cert: current.cert, key: current.key, keepAliveTimeout: 65_000 }, handler);
  const endpoint = await listen(server, settings.httpsPort, settings.host, 'https');
  return {
    server,
    endpoint,
    certificate: () => current,
    async reload() {
      // Certificate validity is for real clients' clocks, never an injected test clock.
      const next = await prepareCertificate(settings, new Date());
      server.setSecureContext({ cert: next.cert, key: next.key });
      current = next;
      return next;
    },
  };
}
