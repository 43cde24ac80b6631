// The DKIM key pair Godwit signs a mail domain's outgoing mail with: RSA 2048, the public half
// published by the domain's owner at `<selector>._domainkey.<domain>`, the private half kept
// only sealed under the server key (bound to the domain, so a sealed key cannot be moved to
// another domain's row) and never returned by the API or written to a log.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { SecretBox } from '../security/secret-box.ts';

const generateRsaKeyPair = promisify(generateKeyPair);

/** The selector of the first key of every domain; a rotation would publish `godwit2` beside it. */
export const DKIM_SELECTOR = 'godwit1';

export interface DkimKey {
  selector: string;
  /** base64 of the DER SubjectPublicKeyInfo: what DKIM's `p=` tag carries. */
  publicKey: string;
  /** The PKCS#8 PEM private key, sealed with `ctx.box` under `dkim:<domain>`. */
  sealedPrivateKey: string;
}

const sealingLabel = (domain: string) => 'dkim:' + domain.toLowerCase();

/** A new key pair for `domain`; generated off the event loop (RSA 2048 takes tens of milliseconds). */
export async function newDkimKey(box: SecretBox, domain: string): Promise<DkimKey> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    selector: DKIM_SELECTOR,
    publicKey: publicKey.toString('base64'),
    sealedPrivateKey: box.seal(privateKey, sealingLabel(domain)),
  };
}

/** The PEM private key of `domain`, for the mail signer. */
export function openDkimPrivateKey(box: SecretBox, domain: string, sealedPrivateKey: string): string {
  return box.open(sealedPrivateKey, sealingLabel(domain));
}
