// Organization-wide WorkMail settings: the retention policy (one per organization, its folder
// rules as JSON), email monitoring and inbound DMARC (one row per organization), and the
// availability (free/busy) providers for other organizations' domains, one per domain, whose
// EWS password is sealed with the server key.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('wm_retention_policies')
    .addColumn('org_id', 'varchar(34)', (c) => c.primaryKey().references('wm_organizations.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    /** JSON array of { Name, Action, Period? } in the order they were put */
    .addColumn('folders', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('wm_org_settings')
    .addColumn('org_id', 'varchar(34)', (c) => c.primaryKey().references('wm_organizations.id'))
    .addColumn('dmarc_enforced', 'integer', (c) => c.notNull().defaultTo(0))
    /** Both null when no email monitoring is configured. */
    .addColumn('monitoring_role_arn', 'text')
    .addColumn('monitoring_log_group_arn', 'text')
    .execute();

  await db.schema
    .createTable('wm_availability_configurations')
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull().references('wm_organizations.id'))
    .addColumn('domain_lower', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    /** EWS (the only provider Godwit can call) */
    .addColumn('provider_type', 'text', (c) => c.notNull())
    .addColumn('ews_endpoint', 'text', (c) => c.notNull())
    .addColumn('ews_username', 'text', (c) => c.notNull())
    /** SecretBox-sealed, associated data `ews:<org id>:<domain_lower>` */
    .addColumn('ews_password_sealed', 'text', (c) => c.notNull())
    .addColumn('client_token', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wm_availability_configurations_pk', ['org_id', 'domain_lower'])
    .execute();
}
