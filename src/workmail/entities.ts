// The directory's entities (users, groups, resources) by id, email address or name. WorkMail
// accepts any of those where its model says EntityIdentifier / *Identifier.
import type { Db } from '../store/database.ts';
import type { WmEntitiesTable } from '../store/schema.ts';
import { EntityNotFound, EntityState } from './errors.ts';

export type EntityType = 'USER' | 'GROUP' | 'RESOURCE';

type Reader = Pick<Db, 'selectFrom'>;

/** An entity of the organization by id, by one of its email addresses, or by name; DELETED ones are not found. */
export async function findEntity(db: Reader, orgId: string, identifier: string): Promise<WmEntitiesTable | undefined> {
  const byId = await db.selectFrom('wm_entities').selectAll().where('org_id', '=', orgId).where('id', '=', identifier).executeTakeFirst();
  if (byId) return byId.state === 'DELETED' ? undefined : byId;
  if (identifier.includes('@')) {
    const email = await db
      .selectFrom('wm_emails')
      .innerJoin('wm_entities', 'wm_entities.id', 'wm_emails.entity_id')
      .selectAll('wm_entities')
      .where('wm_emails.org_id', '=', orgId)
      .where('wm_emails.email_lower', '=', identifier.toLowerCase())
      .executeTakeFirst();
    if (email) return email.state === 'DELETED' ? undefined : email;
  }
  const byName = await db
    .selectFrom('wm_entities')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('name_lower', '=', identifier.toLowerCase())
    .executeTakeFirst();
  return byName && byName.state !== 'DELETED' ? byName : undefined;
}

/** Like findEntity, but EntityNotFoundException when absent and, when `type` is given, of that type. */
export async function requireEntity(db: Reader, orgId: string, identifier: string, type?: EntityType): Promise<WmEntitiesTable> {
  const entity = await findEntity(db, orgId, identifier);
  if (!entity || (type && entity.type !== type)) {
    throw new EntityNotFound(`The ${type ? type.toLowerCase() : 'entity'} ${identifier} was not found in organization ${orgId}.`);
  }
  return entity;
}

/** EntityStateException unless the entity is registered (ENABLED). */
export function requireEnabled(entity: WmEntitiesTable): void {
  if (entity.state !== 'ENABLED') throw new EntityState(`The entity ${entity.id} is not enabled (state ${entity.state}).`);
}

export const entityAttributes = <T extends object>(entity: WmEntitiesTable): T => JSON.parse(entity.attributes) as T;
