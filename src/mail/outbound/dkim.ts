// DKIM signing of outgoing mail with the organization's own key for the author's domain.
//
// Signed at send time, not at enqueue time: the key and the domain's verification state are
// read when the message leaves (a domain verified after the message was queued signs its
// retries; a deregistered one no longer does), the signature's timestamp is the sending time
// rather than that of the first try, and the queue keeps the body exactly as submitted, so the
// signature covers the same bytes on every attempt without storing a second copy of the body.
//
// A domain signs only once its DKIM record is VERIFIED (the public key seen in DNS): before
// that, a receiver could not check the signature, and a failing signature is worse than none.
// Test domains (`<alias>.<base domain>`) have no key and never sign.
import { dkimSign } from 'mailauth';
import type { Reader } from '../../store/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { openDkimPrivateKey } from '../../workmail/dkim-keys.ts';
import { headerBlock } from './headers.ts';

export interface SigningKey {
  domain: string;
  selector: string;
  privateKey: string;
}

/** The domain of the first address of the message's From field, lower case; undefined if it has none. */
export function authorDomain(raw: Buffer): string | undefined {
  const from = /^from:[ \t]*((?:.*)(?:\r\n[ \t].*)*)/im.exec(headerBlock(raw))?.[1];
  if (!from) return undefined;
  const unfolded = from.replace(/\r\n/g, '');
  const address = /<([^>]*)>/.exec(unfolded)?.[1] ?? unfolded.split(',')[0]!.trim();
  const at = address.lastIndexOf('@');
  return at < 0 ? undefined : address.slice(at + 1).replace(/[\s>]+$/, '').toLowerCase() || undefined;
}

/**
 * The key to sign with: the author's domain (DMARC alignment wants d= to match From), else the
 * envelope sender's, among the organization's domains whose DKIM is VERIFIED.
 */
export async function signingKeyFor(db: Reader, box: SecretBox, orgId: string, candidates: readonly (string | undefined)[]): Promise<SigningKey | undefined> {
  const domains = [...new Set(candidates.filter((domain): domain is string => !!domain).map((domain) => domain.toLowerCase()))];
  if (!domains.length) return undefined;
  const rows = await db
    .selectFrom('wm_mail_domains')
    .select(['domain_lower', 'dkim_selector', 'dkim_private_key'])
    .where('org_id', '=', orgId)
    .where('domain_lower', 'in', domains)
    .where('dkim_state', '=', 'VERIFIED')
    .where('is_test', '=', 0)
    .execute();
  for (const domain of domains) {
    const row = rows.find((candidate) => candidate.domain_lower === domain);
    if (row?.dkim_selector && row.dkim_private_key) {
      return { domain, selector: row.dkim_selector, privateKey: openDkimPrivateKey(box, domain, row.dkim_private_key) };
    }
  }
  return undefined;
}

/** The message with a DKIM-Signature field prepended (relaxed/relaxed, rsa-sha256). */
export async function signMessage(raw: Buffer, key: SigningKey, now: Date): Promise<Buffer> {
  const signature = { signingDomain: key.domain, selector: key.selector, privateKey: key.privateKey };
  // mailauth 4.13 reads only `signatureData`; its type declaration wants the top-level fields as well.
  const result = await dkimSign(raw, { ...signature, canonicalization: 'relaxed/relaxed', algorithm: 'rsa-sha256', signTime: now, signatureData: [signature] });
  if (result.errors.length) throw new Error(`DKIM signing for ${key.domain} failed: ${result.errors.map((error: unknown) => (error as Error).message ?? String(error)).join('; ')}`);
  // mailauth folds the field with CRLF and ends it with one; kept CRLF-only all the same.
  const field = result.signatures.replace(/\r?\n/g, '\r\n');
  return Buffer.concat([Buffer.from(field, 'utf8'), raw]);
}
