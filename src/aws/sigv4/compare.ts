// Signature comparison that takes the same time wherever the first differing character is.
import { timingSafeEqual } from 'node:crypto';

export function signaturesEqual(expectedHex: string, providedHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'latin1');
  const provided = Buffer.from(providedHex, 'latin1');
  if (provided.length !== expected.length) {
    // Still do the comparison's work; only the (public) length decides the outcome early.
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(expected, provided);
}
