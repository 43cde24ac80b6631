// WorkMail resources (rooms and equipment): created DISABLED like groups, with booking options
// and a description kept in the entity's attributes, and delegates — users or groups who manage
// the resource's bookings.
import { isUniqueViolation, type Db, type Reader } from '../store/database.ts';
import type { WmEntitiesTable } from '../store/schema.ts';
import { writeDirectory } from './directory-write.ts';
import { checkNotReservedName, entityAttributes, insertEntity, nameTaken, requireEntityOrDeleted, requireLiveEntity, requireNameAvailable, requireNotDeleted } from './entities.ts';
import { deleteEntityIfPresent } from './entity-deletion.ts';
import { EntityNotFound, InvalidParameter } from './errors.ts';
import { newResourceId } from './ids.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';

export interface BookingOptions {
  AutoAcceptRequests: boolean;
  AutoDeclineRecurringRequests: boolean;
  AutoDeclineConflictingRequests: boolean;
}

/** WorkMail's defaults for a new resource: accept requests, decline conflicts, allow recurring ones. */
export const DEFAULT_BOOKING_OPTIONS: BookingOptions = {
  AutoAcceptRequests: true,
  AutoDeclineRecurringRequests: false,
  AutoDeclineConflictingRequests: true,
};

interface ResourceAttributes {
  description?: string;
  bookingOptions?: Partial<BookingOptions>;
}

export interface ResourceView {
  entity: WmEntitiesTable;
  type: string;
  description: string | undefined;
  bookingOptions: BookingOptions;
}

export function resourceView(entity: WmEntitiesTable): ResourceView {
  const attributes = entityAttributes<ResourceAttributes>(entity);
  return {
    entity,
    type: entity.role ?? 'ROOM',
    description: attributes.description || undefined,
    bookingOptions: { ...DEFAULT_BOOKING_OPTIONS, ...attributes.bookingOptions },
  };
}

export async function createResource(
  db: Db,
  orgId: string,
  input: { name: string; type: string; description?: string; hidden: boolean },
  now: Date,
): Promise<WmEntitiesTable> {
  const attributes: ResourceAttributes = { bookingOptions: DEFAULT_BOOKING_OPTIONS };
  if (input.description !== undefined) attributes.description = input.description;
  const row: WmEntitiesTable = {
    id: newResourceId(),
    org_id: orgId,
    type: 'RESOURCE',
    name: input.name,
    name_lower: input.name.toLowerCase(),
    display_name: null,
    email: null,
    state: 'DISABLED',
    created_at: now.toISOString(),
    enabled_at: null,
    disabled_at: null,
    role: input.type,
    hidden: input.hidden ? 1 : 0,
    password_hash: null,
    mailbox_quota_mb: null,
    attributes: JSON.stringify(attributes),
  };
  return insertEntity(db, row);
}

/** The resource by id (deleted ones too, which WorkMail still describes), email address or name. */
export const describeResource = (db: Reader, orgId: string, resourceId: string) => requireEntityOrDeleted(db, orgId, resourceId, 'RESOURCE');

export interface ResourceChanges {
  name?: string;
  type?: string;
  /** An empty description removes it. */
  description?: string;
  bookingOptions?: Partial<BookingOptions>;
  hidden?: boolean;
}

/** Changes what is given; booking options given are merged over the current ones. */
export async function updateResource(db: Db, orgId: string, resourceId: string, changes: ResourceChanges): Promise<void> {
  try {
    await writeDirectory(db, orgId, async (trx) => {
      const resource = await requireLiveEntity(trx, orgId, resourceId, 'RESOURCE');
      const attributes = entityAttributes<ResourceAttributes>(resource);
      if (changes.description !== undefined) attributes.description = changes.description || undefined;
      if (changes.bookingOptions) attributes.bookingOptions = { ...DEFAULT_BOOKING_OPTIONS, ...attributes.bookingOptions, ...changes.bookingOptions };
      const renamed = changes.name !== undefined && changes.name.toLowerCase() !== resource.name_lower;
      if (renamed) {
        checkNotReservedName(changes.name!);
        await requireNameAvailable(trx, orgId, changes.name!);
      }
      await trx
        .updateTable('wm_entities')
        .set({
          name: changes.name ?? resource.name,
          name_lower: (changes.name ?? resource.name).toLowerCase(),
          role: changes.type ?? resource.role,
          hidden: changes.hidden === undefined ? resource.hidden : changes.hidden ? 1 : 0,
          attributes: JSON.stringify(attributes),
        })
        .where('id', '=', resource.id)
        .execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(changes.name!);
    throw error;
  }
}

export const deleteResource = (db: Db, orgId: string, resourceId: string, now: Date): Promise<void> =>
  deleteEntityIfPresent(db, orgId, resourceId, 'RESOURCE', now);

/** A user or group that may manage a resource's bookings. */
async function delegateEntity(db: Reader, orgId: string, entityId: string): Promise<WmEntitiesTable> {
  const entity = await requireEntityOrDeleted(db, orgId, entityId);
  if (entity.type === 'RESOURCE') throw new InvalidParameter(`The resource ${entity.id} cannot be a delegate; delegates are users or groups.`);
  requireNotDeleted(entity);
  return entity;
}

/** Makes a user or group a delegate of the resource; naming a present delegate again changes nothing. */
export async function addDelegate(db: Db, orgId: string, resourceId: string, entityId: string, now: Date): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const resource = await requireLiveEntity(trx, orgId, resourceId, 'RESOURCE');
    const delegate = await delegateEntity(trx, orgId, entityId);
    await trx
      .insertInto('wm_resource_delegates')
      .values({ resource_id: resource.id, delegate_id: delegate.id, delegate_type: delegate.type, added_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['resource_id', 'delegate_id']).doNothing())
      .execute();
  });
}

export async function removeDelegate(db: Db, orgId: string, resourceId: string, entityId: string): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const resource = await requireLiveEntity(trx, orgId, resourceId, 'RESOURCE');
    const delegate = await delegateEntity(trx, orgId, entityId);
    const removed = await trx.deleteFrom('wm_resource_delegates').where('resource_id', '=', resource.id).where('delegate_id', '=', delegate.id).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw new EntityNotFound(`The entity ${delegate.id} is not a delegate of the resource ${resource.id}.`);
  });
}

export interface Delegate {
  id: string;
  type: string;
}

/** One page of the resource's delegates, by delegate id. */
export async function listDelegates(db: Reader, orgId: string, resourceId: string, page: TokenRequest): Promise<TokenPage<Delegate>> {
  const resource = await requireLiveEntity(db, orgId, resourceId, 'RESOURCE');
  let query = db.selectFrom('wm_resource_delegates').select(['delegate_id', 'delegate_type']).where('resource_id', '=', resource.id);
  if (page.after !== undefined) query = query.where('delegate_id', '>', page.after);
  const rows = await query.orderBy('delegate_id').limit(page.limit + 1).execute();
  const result = tokenPage(rows, page, (row) => row.delegate_id);
  return { items: result.items.map((row) => ({ id: row.delegate_id, type: row.delegate_type })), nextToken: result.nextToken };
}
