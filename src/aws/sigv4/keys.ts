// SigV4 signing keys: derivation, and a bounded cache so a client's steady stream of requests
// costs one HMAC per request instead of five.
import { createHmac, hash } from 'node:crypto';

export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

interface Entry {
  fingerprint: string;
  key: Buffer;
}

// A digest of the secret, so a rotated or replaced secret can never meet a key derived from
// the old one, while the cache itself never holds the secret.
export const fingerprintOf = (secret: string): string => hash('sha256', secret, 'base64');

const fingerprints = new WeakMap<object, string>();

/**
 * The fingerprint of a looked-up secret, remembered for as long as the object lookupSecret
 * returned lives: a caller that caches its secrets (as the server does) then pays for the
 * digest once per secret rather than once per request.
 */
export function fingerprintOfSecret(secret: { secretAccessKey: string }): string {
  let fingerprint = fingerprints.get(secret);
  if (fingerprint === undefined) {
    fingerprint = fingerprintOf(secret.secretAccessKey);
    fingerprints.set(secret, fingerprint);
  }
  return fingerprint;
}

/**
 * Insertion-ordered Map used as a FIFO: entries only appear for keys that lookupSecret knew,
 * and the date in the cache key retires them daily, so recency tracking is not worth its cost.
 */
export class SigningKeyCache {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly capacity: number) {}

  get(accessKeyId: string, secret: string, date: string, region: string, service: string, fingerprint = fingerprintOf(secret)): Buffer {
    if (this.capacity <= 0) return deriveSigningKey(secret, date, region, service);
    const id = `${accessKeyId}/${date}/${region}/${service}`;
    const hit = this.#entries.get(id);
    if (hit !== undefined && hit.fingerprint === fingerprint) return hit.key;
    const key = deriveSigningKey(secret, date, region, service);
    if (hit !== undefined) this.#entries.delete(id);
    else if (this.#entries.size >= this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(id, { fingerprint, key });
    return key;
  }

  get size(): number {
    return this.#entries.size;
  }
}
