// Which mailboxes a WorkMail user may open over IMAP: their own, and every user's or resource's
// mailbox on which they hold FULL_ACCESS through WorkMail mailbox permissions, granted to them or
// to a group they belong to, however deeply nested. Asked again at every open (and every call
// on a mailbox not their own), so a revoked grant takes effect at the next command.
//
// mail/ reads the directory's tables itself, as mailboxes.ts does: workmail/ never imports mail/.
import type { Reader } from '../../store/database.ts';
import { MailboxAccessDenied } from './errors.ts';

export interface AccessibleMailbox {
  mailboxId: string;
  /** The entity's name and address, for the IMAP door's shared namespace. */
  name: string;
  email: string | null;
  own: boolean;
}

/** Groups must stop somewhere even if the directory held a cycle. */
const MAX_NESTING = 32;

/** The user and every group that holds them, directly or through other groups. */
async function granteesOf(db: Reader, userId: string): Promise<string[]> {
  const seen = new Set([userId]);
  let frontier = [userId];
  for (let depth = 0; frontier.length && depth < MAX_NESTING; depth++) {
    const rows = await db
      .selectFrom('wm_group_members')
      .innerJoin('wm_entities', 'wm_entities.id', 'wm_group_members.group_id')
      .select('wm_group_members.group_id')
      .where('wm_group_members.member_id', 'in', frontier)
      .where('wm_entities.state', '<>', 'DELETED')
      .execute();
    frontier = rows.map((row) => row.group_id).filter((id) => !seen.has(id));
    for (const id of frontier) seen.add(id);
  }
  return [...seen];
}

const fullAccess = (permissions: string): boolean => permissions.split(',').includes('FULL_ACCESS');

export async function accessibleMailboxes(db: Reader, userId: string): Promise<AccessibleMailbox[]> {
  const grantees = await granteesOf(db, userId);
  const grants = await db.selectFrom('wm_mailbox_permissions').select(['entity_id', 'permissions']).where('grantee_id', 'in', grantees).execute();
  const ids = [...new Set([userId, ...grants.filter((grant) => fullAccess(grant.permissions)).map((grant) => grant.entity_id)])];
  const entities = await db
    .selectFrom('wm_entities')
    .select(['id', 'name', 'email', 'type'])
    .where('id', 'in', ids)
    .where('state', '<>', 'DELETED')
    .where('type', 'in', ['USER', 'RESOURCE'])
    .execute();
  return entities
    .map((entity) => ({ mailboxId: entity.id, name: entity.name, email: entity.email, own: entity.id === userId }))
    .sort((a, b) => Number(b.own) - Number(a.own) || a.name.localeCompare(b.name));
}

/** Refuses unless `userId` may open `mailboxId`; their own mailbox costs no query. */
export async function requireAccess(db: Reader, userId: string, mailboxId: string): Promise<void> {
  if (userId === mailboxId) return;
  const entity = await db.selectFrom('wm_entities').select(['type', 'state']).where('id', '=', mailboxId).executeTakeFirst();
  if (entity && entity.state !== 'DELETED' && (entity.type === 'USER' || entity.type === 'RESOURCE')) {
    const grantees = await granteesOf(db, userId);
    const grants = await db.selectFrom('wm_mailbox_permissions').select('permissions').where('entity_id', '=', mailboxId).where('grantee_id', 'in', grantees).execute();
    if (grants.some((grant) => fullAccess(grant.permissions))) return;
  }
  throw new MailboxAccessDenied(`The user ${userId} has no FULL_ACCESS on the mailbox ${mailboxId}.`);
}
