// Mailbox permissions: which users and groups may open (FULL_ACCESS), send as (SEND_AS) or
// send on behalf of (SEND_ON_BEHALF) the mailbox of a user, a resource or a group (a group's
// address receives and sends mail too, so WorkMail lets it be sent as). A put replaces what the
// grantee held on that mailbox. Only the grants are stored; a mailbox's owner needs none.
import type { Db, Reader, Tx } from '../store/database.ts';
import type { WmEntitiesTable } from '../store/schema.ts';
import { writeDirectory } from './directory-write.ts';
import { requireEnabled, requireEntity } from './entities.ts';
import { InvalidParameter } from './errors.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';

/** WorkMail's permission values, in the order it lists them. */
export const MAILBOX_PERMISSIONS = ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'] as const;
export type MailboxPermission = (typeof MAILBOX_PERMISSIONS)[number];

export interface MailboxGrant {
  granteeId: string;
  granteeType: 'USER' | 'GROUP';
  permissions: MailboxPermission[];
}

/** The entity owning the mailbox: a user, resource or group, by id, email address or name. */
const requireMailbox = (db: Reader, orgId: string, identifier: string): Promise<WmEntitiesTable> => requireEntity(db, orgId, identifier);

/** Grantees are users and groups (WorkMail's Permission.GranteeType is USER or GROUP). */
async function requireGrantee(db: Reader, orgId: string, identifier: string): Promise<WmEntitiesTable> {
  const entity = await requireEntity(db, orgId, identifier);
  if (entity.type !== 'USER' && entity.type !== 'GROUP') throw new InvalidParameter(`Mailbox permissions can be granted to users and groups only; ${identifier} is a ${entity.type.toLowerCase()}.`);
  return entity;
}

const canonical = (values: readonly string[]): MailboxPermission[] => MAILBOX_PERMISSIONS.filter((value) => values.includes(value));

/** Both the mailbox and the grantee must be registered (enabled), checked under the organization's lock. */
export async function putMailboxPermissions(db: Db, orgId: string, mailboxIdentifier: string, granteeIdentifier: string, values: readonly string[]): Promise<void> {
  const permissions = canonical(values);
  await writeDirectory(db, orgId, async (trx) => {
    const mailbox = await requireMailbox(trx, orgId, mailboxIdentifier);
    requireEnabled(mailbox);
    const grantee = await requireGrantee(trx, orgId, granteeIdentifier);
    requireEnabled(grantee);
    await trx.deleteFrom('wm_mailbox_permissions').where('entity_id', '=', mailbox.id).where('grantee_id', '=', grantee.id).execute();
    // Putting no permission values leaves the grantee with none, as deleting would.
    if (permissions.length === 0) return;
    await trx
      .insertInto('wm_mailbox_permissions')
      .values({ org_id: orgId, entity_id: mailbox.id, grantee_id: grantee.id, grantee_type: grantee.type, permissions: permissions.join(',') })
      .execute();
  });
}

/** Idempotent once both entities exist. */
export async function deleteMailboxPermissions(db: Db, orgId: string, mailboxIdentifier: string, granteeIdentifier: string): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const mailbox = await requireMailbox(trx, orgId, mailboxIdentifier);
    const grantee = await requireGrantee(trx, orgId, granteeIdentifier);
    await trx.deleteFrom('wm_mailbox_permissions').where('entity_id', '=', mailbox.id).where('grantee_id', '=', grantee.id).execute();
  });
}

/** The grants on a mailbox, by grantee id; grantees since deleted are left out. */
export async function listMailboxPermissions(db: Reader, orgId: string, mailboxIdentifier: string, page: TokenRequest): Promise<TokenPage<MailboxGrant>> {
  const mailbox = await requireMailbox(db, orgId, mailboxIdentifier);
  let query = db
    .selectFrom('wm_mailbox_permissions')
    .innerJoin('wm_entities', 'wm_entities.id', 'wm_mailbox_permissions.grantee_id')
    .select(['wm_mailbox_permissions.grantee_id', 'wm_mailbox_permissions.grantee_type', 'wm_mailbox_permissions.permissions'])
    .where('wm_mailbox_permissions.entity_id', '=', mailbox.id)
    .where('wm_entities.state', '<>', 'DELETED');
  if (page.after !== undefined) query = query.where('wm_mailbox_permissions.grantee_id', '>', page.after);
  const rows = await query.orderBy('wm_mailbox_permissions.grantee_id').limit(page.limit + 1).execute();
  const result = tokenPage(rows, page, (row) => row.grantee_id);
  return {
    items: result.items.map((row) => ({
      granteeId: row.grantee_id,
      granteeType: row.grantee_type as 'USER' | 'GROUP',
      permissions: canonical(row.permissions.split(',')),
    })),
    nextToken: result.nextToken,
  };
}

/**
 * Drops every grant on the entity's mailbox and every grant to it. To be called when a user,
 * group or resource is deleted, so that a later entity never inherits them.
 */
export async function dropMailboxPermissionsOf(db: Tx, entityId: string): Promise<void> {
  await db.deleteFrom('wm_mailbox_permissions').where('entity_id', '=', entityId).execute();
  await db.deleteFrom('wm_mailbox_permissions').where('grantee_id', '=', entityId).execute();
}
