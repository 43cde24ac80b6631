// The directory's entities (users, groups, resources) by id, email address or name. WorkMail
// accepts any of those where its model says EntityIdentifier / *Identifier.
import { sql, type Expression, type SqlBool } from 'kysely';
import { isUniqueViolation, type Db, type Reader } from '../store/database.ts';
import type { WmEntitiesTable } from '../store/schema.ts';
import { writeDirectory } from './directory-write.ts';
import { EntityNotFound, EntityState, NameAvailability, ReservedName } from './errors.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';

export type EntityType = 'USER' | 'GROUP' | 'RESOURCE';

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

/**
 * Like requireEntity, but an id also finds a DELETED entity: WorkMail still describes and lists
 * deleted entities (State DELETED), while their names and addresses are free for reuse.
 */
export async function requireEntityOrDeleted(db: Reader, orgId: string, identifier: string, type?: EntityType): Promise<WmEntitiesTable> {
  const deleted = await db
    .selectFrom('wm_entities')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', identifier)
    .where('state', '=', 'DELETED')
    .executeTakeFirst();
  if (deleted && (!type || deleted.type === type)) return deleted;
  return requireEntity(db, orgId, identifier, type);
}

/** EntityStateException when the entity is DELETED: it can be described, not changed. */
export function requireNotDeleted(entity: WmEntitiesTable): void {
  if (entity.state === 'DELETED') throw new EntityState(`The entity ${entity.id} is deleted.`);
}

/** An entity that may be changed: it exists (EntityNotFoundException) and is not DELETED (EntityStateException). */
export async function requireLiveEntity(db: Reader, orgId: string, identifier: string, type?: EntityType): Promise<WmEntitiesTable> {
  const entity = await requireEntityOrDeleted(db, orgId, identifier, type);
  requireNotDeleted(entity);
  return entity;
}

export interface EntityFilters {
  namePrefix?: string;
  primaryEmailPrefix?: string;
  state?: string;
}

/** `column` (lower-cased) begins with `prefix`, compared literally and case-insensitively (LIKE would treat '%' and '_' as wildcards). */
function startsWithIgnoringCase(column: 'name_lower' | 'email', prefix: string): Expression<SqlBool> {
  return sql<SqlBool>`substr(lower(${sql.ref(column)}), 1, ${prefix.length}) = ${prefix.toLowerCase()}`;
}

/** One page of an organization's entities of one type, deleted ones included, by id; ListUsers/ListGroups/ListResources filters. */
export async function listEntities(
  db: Reader,
  orgId: string,
  type: EntityType,
  filters: EntityFilters,
  page: TokenRequest,
): Promise<TokenPage<WmEntitiesTable>> {
  let query = db.selectFrom('wm_entities').selectAll().where('org_id', '=', orgId).where('type', '=', type);
  if (filters.namePrefix) query = query.where(startsWithIgnoringCase('name_lower', filters.namePrefix));
  if (filters.primaryEmailPrefix) query = query.where(startsWithIgnoringCase('email', filters.primaryEmailPrefix));
  if (filters.state) query = query.where('state', '=', filters.state);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  const rows = await query.orderBy('id').limit(page.limit + 1).execute();
  return tokenPage(rows, page, (row) => row.id);
}

/** The entity holding `email` (its primary address or an alias) in the organization. */
export async function findEntityByEmail(db: Reader, orgId: string, email: string): Promise<WmEntitiesTable | undefined> {
  return db
    .selectFrom('wm_emails')
    .innerJoin('wm_entities', 'wm_entities.id', 'wm_emails.entity_id')
    .selectAll('wm_entities')
    .where('wm_emails.org_id', '=', orgId)
    .where('wm_emails.email_lower', '=', email.toLowerCase())
    .executeTakeFirst();
}

// The accounts every WorkMail directory (a Simple AD domain underneath) is born with; a user,
// group or resource of that name would collide with them.
const RESERVED_NAMES = new Set(['administrator', 'guest', 'krbtgt']);

/** ReservedNameException when `name` is one of the directory's own account names. */
export function checkNotReservedName(name: string): void {
  if (RESERVED_NAMES.has(name.toLowerCase())) throw new ReservedName('This user, group, or resource name is not allowed in WorkMail.');
}

/**
 * Adds a user, group or resource. Its name must not be reserved nor held by any entity of the
 * organization (one namespace for all three), checked under the organization's lock; the unique
 * index backs it.
 */
export async function insertEntity(db: Db, row: WmEntitiesTable): Promise<WmEntitiesTable> {
  checkNotReservedName(row.name);
  try {
    await writeDirectory(db, row.org_id, async (trx) => {
      await requireNameAvailable(trx, row.org_id, row.name);
      await trx.insertInto('wm_entities').values(row).execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(row.name);
    throw error;
  }
  return row;
}

/** NameAvailabilityException when a user, group or resource of the organization has the name (names are one namespace). */
export async function requireNameAvailable(db: Reader, orgId: string, name: string): Promise<void> {
  const taken = await db
    .selectFrom('wm_entities')
    .select('id')
    .where('org_id', '=', orgId)
    .where('name_lower', '=', name.toLowerCase())
    .executeTakeFirst();
  if (taken) throw nameTaken(name);
}

export const nameTaken = (name: string) => new NameAvailability(`The name ${name} is not available in this organization.`);
