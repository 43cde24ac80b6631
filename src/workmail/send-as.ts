// Who a signed-in mailbox user may send as, on SMTP submission (envelope MAIL FROM and the
// From and Sender header fields): their own primary address or an alias, or an address of a
// user, group or resource of their organization on whose mailbox they hold SEND_AS, granted to
// them or to a group they belong to (nested groups count, as they do for delivery). An address
// of a deregistered or disabled entity, or of another organization, is nobody's to send as.
// SEND_ON_BEHALF is narrower: the owner may stand in From only when the user stands in Sender
// (RFC 5322 section 3.6.2), which is how Outlook and WorkMail show "on behalf of".
import type { Reader } from '../store/database.ts';

export type SendAsDecision =
  | { allowed: true; entityId: string; via: 'own' | 'grant' }
  | { allowed: false; reason: 'unknown-address' | 'no-permission' };

export interface Sender {
  userId: string;
  orgId: string;
}

// Groups cannot nest in a loop (groups.ts refuses cycles), but the walk is bounded anyway, as
// recipients.ts bounds its own.
const MAX_NESTING_DEPTH = 32;

export const maySendAs = (db: Reader, sender: Sender, address: string): Promise<SendAsDecision> => decide(db, sender, address, ['SEND_AS']);

/** Whether the user may put `address` in From while their own address is in Sender: SEND_ON_BEHALF, or SEND_AS which includes it. */
export const maySendOnBehalfOf = (db: Reader, sender: Sender, address: string): Promise<SendAsDecision> =>
  decide(db, sender, address, ['SEND_AS', 'SEND_ON_BEHALF']);

async function decide(db: Reader, sender: Sender, address: string, enough: readonly string[]): Promise<SendAsDecision> {
  const owner = await db
    .selectFrom('wm_emails')
    .innerJoin('wm_entities', 'wm_entities.id', 'wm_emails.entity_id')
    .select(['wm_entities.id', 'wm_entities.state'])
    .where('wm_emails.org_id', '=', sender.orgId)
    .where('wm_emails.email_lower', '=', address.toLowerCase())
    .executeTakeFirst();
  if (!owner) return { allowed: false, reason: 'unknown-address' };
  if (owner.id === sender.userId) return { allowed: true, entityId: owner.id, via: 'own' };
  if (owner.state !== 'ENABLED') return { allowed: false, reason: 'unknown-address' };
  const grantees = [sender.userId, ...(await enclosingGroups(db, sender.userId))];
  const grants = await db
    .selectFrom('wm_mailbox_permissions')
    .select('permissions')
    .where('org_id', '=', sender.orgId)
    .where('entity_id', '=', owner.id)
    .where('grantee_id', 'in', grantees)
    .execute();
  const granted = grants.some((grant) => grant.permissions.split(',').some((permission) => enough.includes(permission)));
  return granted ? { allowed: true, entityId: owner.id, via: 'grant' } : { allowed: false, reason: 'no-permission' };
}

export type OriginatorRefusal = { field: 'From' | 'Sender'; address: string; reason: 'unknown-address' | 'no-permission' };

/**
 * The message's originator fields (RFC 5322 section 3.6.2) against what the user may send as:
 * each Sender address must be one they may send as; each From address too, unless the Sender
 * field names only the user's own addresses and they hold SEND_ON_BEHALF on that From address.
 * Returns the first refusal, or undefined when all may stand.
 */
export async function checkOriginators(db: Reader, sender: Sender, fields: { from: string[]; sender: string[] }): Promise<OriginatorRefusal | undefined> {
  let senderIsSelf = fields.sender.length > 0;
  for (const address of fields.sender) {
    const decision = await maySendAs(db, sender, address);
    if (!decision.allowed) return { field: 'Sender', address, reason: decision.reason };
    if (decision.via !== 'own') senderIsSelf = false;
  }
  for (const address of fields.from) {
    let decision = await maySendAs(db, sender, address);
    if (!decision.allowed && senderIsSelf) decision = await maySendOnBehalfOf(db, sender, address);
    if (!decision.allowed) return { field: 'From', address, reason: decision.reason };
  }
  return undefined;
}

/** The enabled groups the user is a member of, directly or through nested groups, each once. */
async function enclosingGroups(db: Reader, userId: string): Promise<string[]> {
  const seen = new Set<string>();
  let frontier = [userId];
  for (let depth = 0; frontier.length > 0 && depth < MAX_NESTING_DEPTH; depth++) {
    const rows = await db
      .selectFrom('wm_group_members')
      .innerJoin('wm_entities', 'wm_entities.id', 'wm_group_members.group_id')
      .select('wm_group_members.group_id')
      .where('wm_group_members.member_id', 'in', frontier)
      .where('wm_entities.state', '=', 'ENABLED')
      .execute();
    frontier = [];
    for (const row of rows) {
      if (seen.has(row.group_id)) continue;
      seen.add(row.group_id);
      frontier.push(row.group_id);
    }
  }
  return [...seen];
}
