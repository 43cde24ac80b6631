// Table types for Kysely. Timestamps are ISO-8601 strings and booleans 0/1 integers, so that
// the same rows and queries work unchanged on SQLite and PostgreSQL.

export interface AccountsTable {
  id: string;
  email: string;
  email_lower: string;
  root_password_hash: string;
  alias: string | null;
  password_policy: string | null;
  created_at: string;
}

export interface UsersTable {
  id: string;
  account_id: string;
  name: string;
  name_lower: string;
  path: string;
  created_at: string;
  password_last_used: string | null;
  permissions_boundary: string | null;
}

export interface TagsTable {
  /** 'user' | 'policy' */
  entity_type: string;
  entity_id: string;
  key: string;
  key_lower: string;
  value: string;
  position: number;
}

export interface GroupsTable {
  id: string;
  account_id: string;
  name: string;
  name_lower: string;
  path: string;
  created_at: string;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  added_at: string;
}

export interface AccessKeysTable {
  id: string;
  account_id: string;
  /** null: the account's root user */
  user_id: string | null;
  secret_ciphertext: string;
  status: string;
  created_at: string;
  last_used_at: string | null;
  last_used_service: string | null;
  last_used_region: string | null;
}

export interface LoginProfilesTable {
  user_id: string;
  password_hash: string;
  password_reset_required: number;
  created_at: string;
  password_changed_at: string;
}

export interface PoliciesTable {
  id: string;
  account_id: string;
  name: string;
  name_lower: string;
  path: string;
  description: string | null;
  default_version_id: string;
  next_version: number;
  created_at: string;
  updated_at: string;
}

export interface PolicyVersionsTable {
  policy_id: string;
  version_id: string;
  document: string;
  created_at: string;
}

export interface PolicyAttachmentsTable {
  account_id: string;
  /** 'user' | 'group' */
  entity_type: string;
  entity_id: string;
  policy_arn: string;
  attached_at: string;
}

export interface InlinePoliciesTable {
  /** 'user' | 'group' */
  entity_type: string;
  entity_id: string;
  name: string;
  name_lower: string;
  document: string;
}

export interface WmOrganizationsTable {
  id: string;
  account_id: string;
  alias: string;
  alias_lower: string;
  /** Active | Deleted */
  state: string;
  default_mail_domain: string;
  directory_id: string;
  directory_type: string;
  client_token: string | null;
  interoperability_enabled: number;
  created_at: string;
  completed_at: string;
  deleted_at: string | null;
}

export interface WmEntitiesTable {
  id: string;
  org_id: string;
  /** USER | GROUP | RESOURCE */
  type: string;
  name: string;
  name_lower: string;
  display_name: string | null;
  email: string | null;
  /** ENABLED | DISABLED | DELETED */
  state: string;
  created_at: string;
  enabled_at: string | null;
  disabled_at: string | null;
  role: string | null;
  hidden: number;
  password_hash: string | null;
  mailbox_quota_mb: number | null;
  /** JSON object of the type's other attributes */
  attributes: string;
}

export interface WmEmailsTable {
  email_lower: string;
  email: string;
  org_id: string;
  entity_id: string;
  is_primary: number;
}

export interface WmGroupMembersTable {
  group_id: string;
  member_id: string;
  added_at: string;
}

export interface WmMailDomainsTable {
  domain_lower: string;
  domain: string;
  org_id: string;
  is_test: number;
  ownership_token: string;
  dkim_selector: string | null;
  dkim_private_key: string | null;
  dkim_public_key: string | null;
  ownership_state: string;
  dkim_state: string;
  created_at: string;
}

export interface WmTagsTable {
  resource_arn: string;
  key: string;
  value: string;
  position: number;
}

export interface Database {
  accounts: AccountsTable;
  users: UsersTable;
  tags: TagsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  access_keys: AccessKeysTable;
  login_profiles: LoginProfilesTable;
  policies: PoliciesTable;
  policy_versions: PolicyVersionsTable;
  policy_attachments: PolicyAttachmentsTable;
  inline_policies: InlinePoliciesTable;
  wm_organizations: WmOrganizationsTable;
  wm_entities: WmEntitiesTable;
  wm_emails: WmEmailsTable;
  wm_group_members: WmGroupMembersTable;
  wm_mail_domains: WmMailDomainsTable;
  wm_tags: WmTagsTable;
}
