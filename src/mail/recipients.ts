// Which mailboxes an address delivers to. An address is local when its domain is a mail domain
// of an Active organization; it then names a user (primary address or alias), a resource, or a
// group, whose ENABLED members (nested groups included) each receive one copy. The SMTP door asks
// this at RCPT time, so unknown local addresses are refused before any data is sent, and remote
// ones are never relayed.
import type { Reader } from '../store/database.ts';
import type { DeliveryTarget } from './delivery.ts';

export type RecipientKind = 'USER' | 'GROUP' | 'RESOURCE';

export interface ResolvedRecipient {
  orgId: string;
  /** The entity the address belongs to. */
  entityId: string;
  kind: RecipientKind;
  /** Each mailbox once, in 'Inbox'; empty for a group with no enabled member. */
  targets: DeliveryTarget[];
}

export type AddressClass = 'local' | 'remote';

// A group fan-out larger than this is a configuration mistake or an attack, not mail to deliver;
// the walk stops there rather than reading an unbounded directory.
export const MAX_GROUP_MAILBOXES = 10_000;
const MAX_NESTING_DEPTH = 32;

const ACTIVE = 'Active';

/** The domain part of an address, lower-cased; undefined when there is no '@'. */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return undefined;
  return address.slice(at + 1).toLowerCase();
}

/** The organization that receives mail for `domain`, if any Active one has registered it. */
export async function organizationOfDomain(db: Reader, domain: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('wm_mail_domains')
    .innerJoin('wm_organizations', 'wm_organizations.id', 'wm_mail_domains.org_id')
    .select('wm_mail_domains.org_id')
    .where('wm_mail_domains.domain_lower', '=', domain.toLowerCase().replace(/\.$/, ''))
    .where('wm_organizations.state', '=', ACTIVE)
    .executeTakeFirst();
  return row?.org_id;
}

/** 'local' when the address's domain is one Godwit receives mail for; everything else would be relaying. */
export async function classifyAddress(db: Reader, address: string): Promise<AddressClass> {
  const domain = domainOf(address);
  return domain !== undefined && (await organizationOfDomain(db, domain)) !== undefined ? 'local' : 'remote';
}

/** The delivery targets of a local address; null when no enabled user, group or resource holds it. */
export async function resolveRecipient(db: Reader, address: string): Promise<ResolvedRecipient | null> {
  const domain = domainOf(address);
  if (domain === undefined) return null;
  const orgId = await organizationOfDomain(db, domain);
  if (orgId === undefined) return null;
  const entity = await db
    .selectFrom('wm_emails')
    .innerJoin('wm_entities', 'wm_entities.id', 'wm_emails.entity_id')
    .select(['wm_entities.id', 'wm_entities.type', 'wm_entities.state'])
    .where('wm_emails.org_id', '=', orgId)
    .where('wm_emails.email_lower', '=', address.toLowerCase())
    .executeTakeFirst();
  // A DISABLED entity has no address in use (deregistered) or no mailbox to deliver to.
  if (!entity || entity.state !== 'ENABLED') return null;
  const kind = entity.type as RecipientKind;
  const mailboxes = kind === 'GROUP' ? await groupMailboxes(db, entity.id) : [entity.id];
  return { orgId, entityId: entity.id, kind, targets: mailboxes.map((mailboxId) => ({ mailboxId, folder: 'Inbox' })) };
}

/**
 * The enabled users of a group, through its enabled nested groups, each once. Nesting cannot
 * loop (groups.ts refuses cycles), but the walk keeps a seen-set and a depth bound anyway: a
 * delivery must never spin on a damaged directory.
 */
async function groupMailboxes(db: Reader, groupId: string): Promise<string[]> {
  const users = new Set<string>();
  const seenGroups = new Set<string>([groupId]);
  let frontier = [groupId];
  for (let depth = 0; frontier.length > 0 && depth < MAX_NESTING_DEPTH; depth++) {
    const members = await db
      .selectFrom('wm_group_members')
      .innerJoin('wm_entities', 'wm_entities.id', 'wm_group_members.member_id')
      .select(['wm_entities.id', 'wm_entities.type'])
      .where('wm_group_members.group_id', 'in', frontier)
      .where('wm_entities.state', '=', 'ENABLED')
      .orderBy('wm_entities.id')
      .execute();
    frontier = [];
    for (const member of members) {
      if (member.type === 'GROUP') {
        if (!seenGroups.has(member.id)) {
          seenGroups.add(member.id);
          frontier.push(member.id);
        }
      } else if (member.type === 'USER') {
        users.add(member.id);
        if (users.size >= MAX_GROUP_MAILBOXES) return [...users];
      }
    }
  }
  return [...users];
}
