// Deleting a directory entity: it leaves everything it took part in (groups, delegations,
// addresses, mailbox permissions, device overrides) and frees its name, so that a later
// entity of the same name inherits nothing. Every family whose tables point at entities
// adds its cleanup here.
import type { Db, Tx } from '../store/database.ts';
import { writeDirectory } from './directory-write.ts';
import { requireEntityOrDeleted, type EntityType } from './entities.ts';
import { EntityNotFound } from './errors.ts';
import type { WmEntitiesTable } from '../store/schema.ts';
import { releaseAllAddresses } from './emails.ts';
import { dropMailboxPermissionsOf } from './mailbox-permissions.ts';
import { dropMobileDeviceAccessOverridesOf } from './mobile-access-overrides.ts';

/**
 * A DELETED entity keeps its row (WorkMail lists it with State DELETED) but frees its name — the
 * name index is unique per organization, so `name_lower` gets a suffix no valid name can carry —
 * and its addresses; it leaves every group, delegate list and membership it was part of.
 */
export async function markEntityDeleted(db: Tx, entity: WmEntitiesTable, now: Date): Promise<void> {
  if (entity.state === 'DELETED') return;
  await db.deleteFrom('wm_group_members').where((eb) => eb.or([eb('group_id', '=', entity.id), eb('member_id', '=', entity.id)])).execute();
  await db
    .deleteFrom('wm_resource_delegates')
    .where((eb) => eb.or([eb('resource_id', '=', entity.id), eb('delegate_id', '=', entity.id)]))
    .execute();
  await releaseAllAddresses(db, entity.id);
  await dropMailboxPermissionsOf(db, entity.id);
  if (entity.type === 'USER') await dropMobileDeviceAccessOverridesOf(db, entity.id);
  await db
    .updateTable('wm_entities')
    .set({
      state: 'DELETED',
      name_lower: `${entity.name_lower}\n${entity.id}`,
      email: null,
      disabled_at: entity.state === 'ENABLED' ? now.toISOString() : entity.disabled_at,
    })
    .where('id', '=', entity.id)
    .execute();
}

/**
 * Deletes a group or resource. Neither DeleteGroup nor DeleteResource declares
 * EntityNotFoundException: an absent or already deleted one is deleted already. An enabled one
 * is deregistered on the way (its addresses are freed).
 */
export async function deleteEntityIfPresent(db: Db, orgId: string, identifier: string, type: EntityType, now: Date): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const entity = await requireEntityOrDeleted(trx, orgId, identifier, type).catch((error: unknown) => {
      if (error instanceof EntityNotFound) return undefined;
      throw error;
    });
    if (entity) await markEntityDeleted(trx, entity, now);
  });
}
