// Who may reach an organization's mailboxes, and how: mailbox permissions (grantee → mailbox),
// access control rules (by protocol, IP, user, impersonation role), impersonation roles and the
// tokens assumed from them (kept only as a hash), mobile device access rules and per-device
// overrides. Rule conditions are JSON lists: they are read whole and evaluated in the domain,
// never queried by SQL.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('wm_mailbox_permissions')
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull().references('wm_organizations.id'))
    .addColumn('entity_id', 'text', (c) => c.notNull().references('wm_entities.id'))
    .addColumn('grantee_id', 'text', (c) => c.notNull().references('wm_entities.id'))
    .addColumn('grantee_type', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wm_mailbox_permissions_pk', ['entity_id', 'grantee_id'])
    .execute();
  await db.schema.createIndex('wm_mailbox_permissions_grantee').on('wm_mailbox_permissions').column('grantee_id').execute();

  await db.schema
    .createTable('wm_access_control_rules')
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull().references('wm_organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('effect', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wm_access_control_rules_pk', ['org_id', 'name'])
    .execute();

  // An organization starts with WorkMail's default allow-all rule (access and mobile); this
  // row records that it has been written, so that deleting it later is not undone.
  await db.schema
    .createTable('wm_rule_defaults')
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull().references('wm_organizations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('installed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wm_rule_defaults_pk', ['org_id', 'kind'])
    .execute();

  await db.schema
    .createTable('wm_impersonation_roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull().references('wm_organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('client_token', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wm_impersonation_roles_org').on('wm_impersonation_roles').columns(['org_id', 'id']).execute();

  await db.schema
    .createTable('wm_impersonation_tokens')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull().references('wm_organizations.id'))
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wm_impersonation_tokens_role').on('wm_impersonation_tokens').column('role_id').execute();

  await db.schema
    .createTable('wm_mobile_access_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull().references('wm_organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('effect', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('client_token', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wm_mobile_access_rules_org').on('wm_mobile_access_rules').columns(['org_id', 'created_at']).execute();

  await db.schema
    .createTable('wm_mobile_access_overrides')
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull().references('wm_organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('wm_entities.id'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('effect', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wm_mobile_access_overrides_pk', ['org_id', 'user_id', 'device_id'])
    .execute();
}
