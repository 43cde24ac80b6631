// What happens to a message that fails DMARC, decided by the recipient organization's inbound
// DMARC setting (PutInboundDmarcSettings): when Enforced, the From domain's policy is honoured
// (p=reject refuses the message, p=quarantine files it in Junk E-mail); when not, the message is
// delivered as usual and the result is only recorded in Authentication-Results.
import type { DmarcOutcome } from './verify.ts';

export type Disposition = 'deliver' | 'junk' | 'reject';

/** `sample` is in [0, 1): RFC 7489's pct= applies the policy to that share of failing mail. */
export function dmarcDisposition(dmarc: DmarcOutcome | undefined, enforced: boolean, sample: number = Math.random()): Disposition {
  if (!enforced || !dmarc || dmarc.result !== 'fail') return 'deliver';
  if (sample * 100 >= dmarc.pct) {
    // Outside pct, RFC 7489 section 6.6.4 steps the policy down: reject becomes quarantine.
    return dmarc.policy === 'reject' ? 'junk' : 'deliver';
  }
  if (dmarc.policy === 'reject') return 'reject';
  if (dmarc.policy === 'quarantine') return 'junk';
  return 'deliver';
}
