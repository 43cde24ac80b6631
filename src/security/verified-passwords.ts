// Remembers, for a short time, that a password was verified, so that mail clients that log in
// on every connection do not cost a scrypt run (~100 ms of a core) each time.
//
// Nothing of the password is kept: an entry's key is an HMAC, under a key that lives only in this
// process's memory, of the account, the stored password hash and the password offered. A changed
// or reset password changes the stored hash, so every entry made for the old one stops matching
// at once, without anyone having to forget it. Entries expire after `ttlMs`; at most
// `maxEntries` are kept, the oldest dropped first.
import { createHmac, randomBytes } from 'node:crypto';

export class VerifiedPasswords {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs = 5 * 60 * 1000,
    private readonly maxEntries = 50_000,
  ) {}

  private entryKey(account: string, storedHash: string, password: string): string {
    return createHmac('sha256', this.key).update(account).update('\u0000').update(storedHash).update('\u0000').update(password, 'utf8').digest('base64');
  }

  /** True when this password was verified against this stored hash within the time to live. */
  has(account: string, storedHash: string, password: string, now: Date): boolean {
    const key = this.entryKey(account, storedHash, password);
    const expires = this.entries.get(key);
    if (expires === undefined) return false;
    if (expires <= now.getTime()) {
      this.entries.delete(key);
      return false;
    }
    return true;
  }

  /** Call only after the password verified against `storedHash`. */
  remember(account: string, storedHash: string, password: string, now: Date): void {
    const key = this.entryKey(account, storedHash, password);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, now.getTime() + this.ttlMs);
  }

  get size(): number {
    return this.entries.size;
  }
}
