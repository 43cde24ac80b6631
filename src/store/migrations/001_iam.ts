// IAM: accounts and their root users, IAM users, groups, access keys, login profiles,
// customer managed policies with versions, attachments and inline policies.
// Names are unique per account without regard to case, as in AWS: `name_lower` carries that.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'varchar(12)', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_lower', 'text', (c) => c.notNull().unique())
    .addColumn('root_password_hash', 'text', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.unique())
    .addColumn('password_policy', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(12)', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_lower', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('password_last_used', 'text')
    .addColumn('permissions_boundary', 'text')
    .addUniqueConstraint('users_account_name', ['account_id', 'name_lower'])
    .execute();

  await db.schema
    .createTable('tags')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('key_lower', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('tags_pk', ['entity_type', 'entity_id', 'key_lower'])
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(12)', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_lower', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('groups_account_name', ['account_id', 'name_lower'])
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'varchar(21)', (c) => c.notNull().references('groups.id'))
    .addColumn('user_id', 'varchar(21)', (c) => c.notNull().references('users.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('group_members_user').on('group_members').column('user_id').execute();

  await db.schema
    .createTable('access_keys')
    .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(12)', (c) => c.notNull().references('accounts.id'))
    .addColumn('user_id', 'varchar(21)', (c) => c.references('users.id'))
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('last_used_service', 'text')
    .addColumn('last_used_region', 'text')
    .execute();
  await db.schema.createIndex('access_keys_owner').on('access_keys').columns(['account_id', 'user_id']).execute();

  await db.schema
    .createTable('login_profiles')
    .addColumn('user_id', 'varchar(21)', (c) => c.primaryKey().references('users.id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_reset_required', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('password_changed_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('policies')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(12)', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_lower', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('default_version_id', 'text', (c) => c.notNull())
    .addColumn('next_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('policies_account_name', ['account_id', 'name_lower'])
    .execute();

  await db.schema
    .createTable('policy_versions')
    .addColumn('policy_id', 'varchar(21)', (c) => c.notNull().references('policies.id'))
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_versions_pk', ['policy_id', 'version_id'])
    .execute();

  await db.schema
    .createTable('policy_attachments')
    .addColumn('account_id', 'varchar(12)', (c) => c.notNull().references('accounts.id'))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'varchar(21)', (c) => c.notNull())
    .addColumn('policy_arn', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_attachments_pk', ['entity_type', 'entity_id', 'policy_arn'])
    .execute();
  await db.schema
    .createIndex('policy_attachments_policy')
    .on('policy_attachments')
    .columns(['account_id', 'policy_arn'])
    .execute();

  await db.schema
    .createTable('inline_policies')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'varchar(21)', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_lower', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('inline_policies_pk', ['entity_type', 'entity_id', 'name_lower'])
    .execute();
}
