// RCPT TO on the MX: a local address is accepted when it resolves to a mailbox with room; an
// unknown local address is refused; any other domain would be relaying, which the MX never
// does (it offers no AUTH). The resolution is kept with the transaction for DATA.
import type { Reader } from '../store/database.ts';
import type { DeliveryTarget, MailDelivery } from '../mail/delivery.ts';
import { classifyAddress, resolveRecipient } from '../mail/recipients.ts';
import { REPLIES, type SmtpReply } from './replies.ts';

export interface Transaction {
  /** The one organization this transaction delivers to. */
  orgId: string | undefined;
  /** Every accepted recipient's mailboxes, each once. */
  targets: Map<string, DeliveryTarget>;
}

export const newTransaction = (): Transaction => ({ orgId: undefined, targets: new Map() });

export async function checkRecipient(db: Reader, delivery: MailDelivery, transaction: Transaction, address: string): Promise<SmtpReply | undefined> {
  let resolved;
  try {
    resolved = await resolveRecipient(db, address);
    if (!resolved) return (await classifyAddress(db, address)) === 'local' ? REPLIES.unknownRecipient(address) : REPLIES.relayDenied(address);
  } catch {
    return REPLIES.lookupFailed();
  }
  // DMARC enforcement and quota are decided per organization, and one DATA gets one reply.
  if (transaction.orgId !== undefined && transaction.orgId !== resolved.orgId) return REPLIES.otherOrganization();
  if (resolved.targets.length === 0) return REPLIES.noMembers(address);
  // A mailbox already over its quota cannot take the message; a group's full members miss it,
  // the others get it. (A message that would take a mailbox over is refused at DATA, by deliver.)
  const withRoom: DeliveryTarget[] = [];
  try {
    for (const target of resolved.targets) {
      const usage = await delivery.usage(target.mailboxId);
      if (usage.bytes < usage.quotaBytes) withRoom.push(target);
    }
  } catch {
    return REPLIES.lookupFailed();
  }
  if (withRoom.length === 0) return REPLIES.mailboxFull(address);
  transaction.orgId = resolved.orgId;
  for (const target of withRoom) transaction.targets.set(target.mailboxId, target);
  return undefined;
}
