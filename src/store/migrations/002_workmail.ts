// WorkMail organizations and their directory: users, groups and resources share one table
// (and one namespace of names per organization, as in WorkMail), every email address (primary
// or alias) is one row in `wm_emails` so that an address can be used only once, and mail
// domains belong to one organization.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('wm_organizations')
    .addColumn('id', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(12)', (c) => c.notNull().references('accounts.id'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('alias_lower', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('default_mail_domain', 'text', (c) => c.notNull())
    .addColumn('directory_id', 'text', (c) => c.notNull())
    .addColumn('directory_type', 'text', (c) => c.notNull())
    .addColumn('client_token', 'text')
    .addColumn('interoperability_enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  // An alias names the organization's web address, so it is unique on the server among
  // organizations that are not deleted.
  await db.schema
    .createIndex('wm_organizations_alias')
    .on('wm_organizations')
    .column('alias_lower')
    .unique()
    .where(sql<boolean>`state <> 'Deleted'`)
    .execute();
  await db.schema.createIndex('wm_organizations_account').on('wm_organizations').columns(['account_id', 'created_at']).execute();

  await db.schema
    .createTable('wm_entities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull().references('wm_organizations.id'))
    /** USER | GROUP | RESOURCE */
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_lower', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('email', 'text')
    /** ENABLED | DISABLED | DELETED */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('enabled_at', 'text')
    .addColumn('disabled_at', 'text')
    /** Users: USER | RESOURCE | SYSTEM_USER | REMOTE_USER; resources: ROOM | EQUIPMENT */
    .addColumn('role', 'text')
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_hash', 'text')
    .addColumn('mailbox_quota_mb', 'integer')
    /** Everything else the entity type carries (names, address, booking options …), as JSON. */
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('wm_entities_name').on('wm_entities').columns(['org_id', 'name_lower']).unique().execute();
  await db.schema.createIndex('wm_entities_type').on('wm_entities').columns(['org_id', 'type', 'id']).execute();

  await db.schema
    .createTable('wm_emails')
    .addColumn('email_lower', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull().references('wm_organizations.id'))
    .addColumn('entity_id', 'text', (c) => c.notNull().references('wm_entities.id'))
    .addColumn('is_primary', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wm_emails_entity').on('wm_emails').columns(['entity_id', 'email_lower']).execute();

  await db.schema
    .createTable('wm_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('wm_entities.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('wm_entities.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wm_group_members_pk', ['group_id', 'member_id'])
    .execute();
  await db.schema.createIndex('wm_group_members_member').on('wm_group_members').column('member_id').execute();

  await db.schema
    .createTable('wm_mail_domains')
    .addColumn('domain_lower', 'text', (c) => c.primaryKey())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('org_id', 'varchar(34)', (c) => c.notNull().references('wm_organizations.id'))
    /** 1 for the organization's test domain `<alias>.<base domain>`, which is always verified. */
    .addColumn('is_test', 'integer', (c) => c.notNull())
    .addColumn('ownership_token', 'text', (c) => c.notNull())
    .addColumn('dkim_selector', 'text')
    .addColumn('dkim_private_key', 'text')
    .addColumn('dkim_public_key', 'text')
    .addColumn('ownership_state', 'text', (c) => c.notNull())
    .addColumn('dkim_state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wm_mail_domains_org').on('wm_mail_domains').columns(['org_id', 'domain_lower']).execute();

  await db.schema
    .createTable('wm_tags')
    .addColumn('resource_arn', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('wm_tags_pk', ['resource_arn', 'key'])
    .execute();
}
