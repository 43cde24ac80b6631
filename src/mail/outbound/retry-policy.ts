// When a recipient that failed for now is tried again: exponential backoff from a base delay,
// capped, and never past the message's expiry, where one last attempt decides its fate.

export interface RetryPolicy {
  /** Delay after the first failure; doubled after each further one. */
  baseMs: number;
  /** The longest delay between two attempts. */
  maxDelayMs: number;
}

/** RFC 5321 4.5.4.1 asks for at least 30 minutes between tries; 5 doubling to 4 hours comes close early and keeps to it later. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 5 * 60 * 1000, maxDelayMs: 4 * 60 * 60 * 1000 };

/** When the recipient's next attempt is due, after its `attempts`-th failure at `now`. */
export function nextAttemptAt(policy: RetryPolicy, attempts: number, now: number, expiresAt: number): number {
  const delay = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.min(now + delay, Math.max(expiresAt, now));
}
