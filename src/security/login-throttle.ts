// Slows password guessing from one source address, for every door that takes a mailbox
// password (SMTP submission, IMAP). Each failed login doubles the delay before the server
// answers the next failure from that address, up to a cap; after `maxFailures` failures within
// the window the address is locked out until the window has passed since its last failure.
// A successful login clears the address. Kept in memory and bounded: when `maxTracked`
// addresses are tracked, the oldest is forgotten first.

export interface ThrottleOptions {
  /** Delay after the first failure. */
  baseDelayMs: number;
  /** Longest delay, however many failures. */
  maxDelayMs: number;
  /** Failures within `windowMs` that lock the address out. */
  maxFailures: number;
  windowMs: number;
  maxTracked: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxFailures: 10,
  windowMs: 15 * 60 * 1000,
  maxTracked: 100_000,
};

interface Failures {
  count: number;
  last: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly options: ThrottleOptions = DEFAULT_THROTTLE) {}

  private current(address: string, now: number): Failures | undefined {
    const entry = this.failures.get(address);
    if (entry && now - entry.last >= this.options.windowMs) {
      this.failures.delete(address);
      return undefined;
    }
    return entry;
  }

  /** Milliseconds until `address` may try again; 0 when it may try now. Ask before checking a password. */
  lockedFor(address: string, now: Date): number {
    const entry = this.current(address, now.getTime());
    if (!entry || entry.count < this.options.maxFailures) return 0;
    return entry.last + this.options.windowMs - now.getTime();
  }

  /** Records a failure; returns how long the door should wait before it answers it. */
  failed(address: string, now: Date): number {
    const at = now.getTime();
    const entry = this.current(address, at) ?? { count: 0, last: at };
    entry.count += 1;
    entry.last = at;
    // Re-inserting keeps the Map in order of last failure, so the first key is the stalest.
    this.failures.delete(address);
    if (this.failures.size >= this.options.maxTracked) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(address, entry);
    return Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (entry.count - 1));
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }

  /** Addresses tracked now (for tests and metrics). */
  get size(): number {
    return this.failures.size;
  }
}
