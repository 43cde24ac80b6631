// Delegates of WorkMail resources: the users and groups who may manage a room's or an
// equipment's bookings. A delegate is named once per resource.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('wm_resource_delegates')
    .addColumn('resource_id', 'text', (c) => c.notNull().references('wm_entities.id'))
    .addColumn('delegate_id', 'text', (c) => c.notNull().references('wm_entities.id'))
    /** USER | GROUP */
    .addColumn('delegate_type', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wm_resource_delegates_pk', ['resource_id', 'delegate_id'])
    .execute();
  await db.schema.createIndex('wm_resource_delegates_delegate').on('wm_resource_delegates').column('delegate_id').execute();
}
