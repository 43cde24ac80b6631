// The server's TLS certificate, for every TLS listener (the HTTPS API now, SMTP and IMAP later):
// the administrator's own pair (--tls-cert/--tls-key), or a self-signed one that Godwit makes
// in the data folder for the mail host name, so that TLS works from the first start.
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export const CERT_FILE = 'tls-cert.pem';
export const KEY_FILE = 'tls-key.pem';

/** Marks the certificates Godwit made, the only ones it ever replaces. */
const ORGANIZATION = 'Godwit self-signed';
// Apple's clients refuse TLS server certificates valid for longer than 825 days.
const VALIDITY_DAYS = 825;
const RENEW_BEFORE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
  /** True for the data folder's pair, which Godwit makes and renews itself. */
  selfSigned: boolean;
}

export interface TlsCertificate {
  /** PEM: the certificate, followed by its chain when the file has one. */
  cert: string;
  key: string;
  files: CertificateFiles;
  validTo: Date;
}

export interface CertificateSettings {
  dataDir: string;
  mailHost: string;
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
}

export function certificateFiles(settings: CertificateSettings): CertificateFiles {
  if (settings.tlsCertFile && settings.tlsKeyFile) return { certFile: settings.tlsCertFile, keyFile: settings.tlsKeyFile, selfSigned: false };
  return { certFile: join(settings.dataDir, CERT_FILE), keyFile: join(settings.dataDir, KEY_FILE), selfSigned: true };
}

function read(what: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the TLS ${what} ${file}: ${(error as Error).message}`);
  }
}

/** Reads and checks a certificate and its key: both PEM, and the key the certificate's own. */
export function loadCertificate(files: CertificateFiles): TlsCertificate {
  const cert = read('certificate', files.certFile);
  const key = read('private key', files.keyFile);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (error) {
    throw new Error(`${files.certFile} is not a PEM certificate: ${(error as Error).message}`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new Error(`${files.keyFile} is not an unencrypted PEM private key: ${(error as Error).message}`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new Error(`the private key ${files.keyFile} does not belong to the certificate ${files.certFile}`);
  return { cert, key, files, validTo: new Date(x509.validTo) };
}

/**
 * Makes the data folder's self-signed pair if it is missing, and replaces a pair Godwit made
 * that expires within 30 days, no longer names the mail host, or whose halves do not match (a
 * stop between the two renames). A certificate Godwit did not make is never replaced.
 */
export async function ensureSelfSignedCertificate(dataDir: string, mailHost: string, now: Date): Promise<'created' | 'renewed' | 'kept'> {
  const files = certificateFiles({ dataDir, mailHost, tlsCertFile: undefined, tlsKeyFile: undefined });
  if (!existsSync(files.certFile) || !existsSync(files.keyFile)) {
    await writeSelfSigned(files, mailHost, now);
    return 'created';
  }
  const x509 = new X509Certificate(readFileSync(files.certFile));
  const ours = x509.issuer === x509.subject && x509.subject.split('\n').includes(`O=${ORGANIZATION}`);
  if (!ours) return 'kept';
  const stale =
    new Date(x509.validTo).getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS ||
    x509.checkHost(mailHost) === undefined ||
    !matches(x509, files.keyFile);
  if (!stale) return 'kept';
  await writeSelfSigned(files, mailHost, now);
  return 'renewed';
}

function matches(x509: X509Certificate, keyFile: string): boolean {
  try {
    return x509.checkPrivateKey(createPrivateKey(readFileSync(keyFile)));
  } catch {
    return false;
  }
}

async function writeSelfSigned(files: CertificateFiles, mailHost: string, now: Date): Promise<void> {
  // ECDSA P-256: every TLS 1.2 client accepts it, and it is made in milliseconds where RSA
  // takes most of a second (init runs in every test).
  const pems = await generate(
    [
      { name: 'commonName', value: mailHost },
      { name: 'organizationName', value: ORGANIZATION },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      // An hour back, for clients whose clocks run a little behind the server's.
      notBeforeDate: new Date(now.getTime() - 3_600_000),
      notAfterDate: new Date(now.getTime() + VALIDITY_DAYS * DAY_MS),
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: mailHost },
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
          ],
        },
      ],
    },
  );
  // Each file is written whole under a temporary name of its own (fresh, so the mode applies;
  // unique, so two servers starting together on one folder do not collide) and renamed, so a
  // reader never sees half a file. The key goes first: a stop in between leaves a mismatch,
  // which the next start mends.
  const suffix = `.${randomBytes(6).toString('hex')}.new`;
  writeFileSync(files.keyFile + suffix, pems.private, { mode: 0o600, flag: 'wx' });
  writeFileSync(files.certFile + suffix, pems.cert, { mode: 0o644, flag: 'wx' });
  renameSync(files.keyFile + suffix, files.keyFile);
  renameSync(files.certFile + suffix, files.certFile);
}

/** The certificate a TLS listener serves: the administrator's pair, or the data folder's, made or renewed first. */
export async function prepareCertificate(settings: CertificateSettings, now: Date): Promise<TlsCertificate> {
  const files = certificateFiles(settings);
  if (files.selfSigned) await ensureSelfSignedCertificate(settings.dataDir, settings.mailHost, now);
  return loadCertificate(files);
}
