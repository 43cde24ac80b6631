// Bounds password guessing: after MAX_FAILURES wrong passwords for one principal within
// WINDOW_MS, further attempts are refused until the oldest failure leaves the window, whether
// or not the next guess is right. Kept in memory: a restart forgets failures, which costs an
// attacker a restart of the server per five guesses.
import { LimitExceeded } from '../errors.ts';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;
const MAX_TRACKED = 100_000;

export class PasswordAttempts {
  private readonly failures = new Map<string, number[]>();

  private recent(subject: string, now: Date): number[] {
    const since = now.getTime() - WINDOW_MS;
    const kept = (this.failures.get(subject) ?? []).filter((at) => at > since);
    if (kept.length) this.failures.set(subject, kept);
    else this.failures.delete(subject);
    return kept;
  }

  /** Throws LimitExceeded while `subject` is locked out. Call before checking the password. */
  check(subject: string, now: Date): void {
    if (this.recent(subject, now).length >= MAX_FAILURES) {
      throw new LimitExceeded('Too many failed password attempts. Wait 15 minutes before trying again.');
    }
  }

  fail(subject: string, now: Date): void {
    if (this.failures.size >= MAX_TRACKED) this.failures.clear();
    this.failures.set(subject, [...this.recent(subject, now), now.getTime()]);
  }

  succeed(subject: string): void {
    this.failures.delete(subject);
  }
}
