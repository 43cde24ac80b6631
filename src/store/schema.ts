// Table types for Kysely. Timestamps are ISO-8601 strings and booleans 0/1 integers, so that
// the same rows and queries work unchanged on SQLite and PostgreSQL.
import type { ColumnType } from 'kysely';

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

export interface WmResourceDelegatesTable {
  resource_id: string;
  delegate_id: string;
  /** USER | GROUP */
  delegate_type: string;
  added_at: string;
}

export interface WmTagsTable {
  resource_arn: string;
  key: string;
  value: string;
  position: number;
}

export interface WmRetentionPoliciesTable {
  org_id: string;
  id: string;
  name: string;
  description: string | null;
  /** JSON array of { Name, Action, Period? } */
  folders: string;
  updated_at: string;
}

export interface WmOrgSettingsTable {
  org_id: string;
  dmarc_enforced: number;
  monitoring_role_arn: string | null;
  monitoring_log_group_arn: string | null;
}

export interface WmAvailabilityConfigurationsTable {
  org_id: string;
  domain_lower: string;
  domain: string;
  /** EWS */
  provider_type: string;
  ews_endpoint: string;
  ews_username: string;
  ews_password_sealed: string;
  client_token: string | null;
  created_at: string;
  modified_at: string;
}

export interface WmMailboxPermissionsTable {
  org_id: string;
  /** the mailbox: a user, a group or a resource */
  entity_id: string;
  grantee_id: string;
  /** USER | GROUP */
  grantee_type: string;
  /** comma-separated, in WorkMail's order: FULL_ACCESS, SEND_AS, SEND_ON_BEHALF */
  permissions: string;
}

export interface WmAccessControlRulesTable {
  org_id: string;
  name: string;
  /** ALLOW | DENY */
  effect: string;
  description: string;
  /** JSON object of the rule's condition lists (IpRanges, NotActions, UserIds …) */
  conditions: string;
  created_at: string;
  modified_at: string;
}

export interface WmRuleDefaultsTable {
  org_id: string;
  /** 'access' | 'mobile': which default rule has been written for the organization */
  kind: string;
  installed_at: string;
}

export interface WmImpersonationRolesTable {
  id: string;
  org_id: string;
  name: string;
  /** FULL_ACCESS | READ_ONLY */
  type: string;
  description: string | null;
  /** JSON array of the role's rules, target users as entity ids */
  rules: string;
  client_token: string | null;
  created_at: string;
  modified_at: string;
}

export interface WmImpersonationTokensTable {
  /** sha256 of the token, hex; the token itself is never stored */
  token_hash: string;
  org_id: string;
  role_id: string;
  created_at: string;
  expires_at: string;
}

export interface WmMobileAccessRulesTable {
  id: string;
  org_id: string;
  name: string;
  /** ALLOW | DENY */
  effect: string;
  description: string | null;
  /** JSON object of the rule's device condition lists */
  conditions: string;
  client_token: string | null;
  created_at: string;
  modified_at: string;
}

export interface WmMobileAccessOverridesTable {
  org_id: string;
  user_id: string;
  device_id: string;
  /** ALLOW | DENY */
  effect: string;
  description: string | null;
  created_at: string;
  modified_at: string;
}

export interface MailMailboxesTable {
  /** the WorkMail entity (user or resource) whose mailbox this is */
  id: string;
  org_id: string;
  next_modseq: number;
  created_at: string;
  /** the last UIDVALIDITY given to a folder made by IMAP (migration 009); optional on insert */
  last_uid_validity: ColumnType<number, number | undefined, number>;
}

export interface MailFoldersTable {
  id: string;
  mailbox_id: string;
  name: string;
  uid_validity: number;
  uid_next: number;
  highest_modseq: number;
  messages: number;
  unseen: number;
  bytes: number;
  created_at: string;
}

export interface MailMessagesTable {
  folder_id: string;
  uid: number;
  mailbox_id: string;
  blob_id: string;
  size: number;
  /** ms since the epoch */
  internal_date: number;
  /** system flags bitmask (src/mail/store/flags.ts) */
  flags: number;
  modseq: number;
  /** JSON */
  envelope: string;
  /** JSON */
  body_structure: string;
}

export interface MailKeywordsTable {
  folder_id: string;
  uid: number;
  keyword: string;
}

export interface MailChangesTable {
  mailbox_id: string;
  folder_id: string;
  modseq: number;
  uid: number;
  /** added | flags | expunged */
  kind: string;
}

/** A level of the folder hierarchy with no folder: one deleted while it had children (\Noselect). */
export interface MailFolderPlaceholdersTable {
  mailbox_id: string;
  name: string;
}

export interface MailSubscriptionsTable {
  user_id: string;
  mailbox_id: string;
  name: string;
}

export interface MailOutboundMessagesTable {
  id: string;
  org_id: string;
  /** '' for the null sender */
  sender: string;
  sender_mailbox_id: string | null;
  blob_id: string;
  size: number;
  /** ms since the epoch */
  received_at: number;
  /** ms since the epoch */
  expires_at: number;
}

export interface MailOutboundRecipientsTable {
  /** `<queue id>.<n>` */
  id: string;
  queue_id: string;
  recipient: string;
  domain: string;
  /** queued | deferred | bouncing */
  state: string;
  attempts: number;
  /** ms since the epoch */
  next_attempt_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  last_error: string | null;
  last_status: string | null;
  remote_mta: string | null;
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
  wm_resource_delegates: WmResourceDelegatesTable;
  wm_mail_domains: WmMailDomainsTable;
  wm_tags: WmTagsTable;
  wm_retention_policies: WmRetentionPoliciesTable;
  wm_org_settings: WmOrgSettingsTable;
  wm_availability_configurations: WmAvailabilityConfigurationsTable;
  wm_mailbox_permissions: WmMailboxPermissionsTable;
  wm_access_control_rules: WmAccessControlRulesTable;
  wm_rule_defaults: WmRuleDefaultsTable;
  wm_impersonation_roles: WmImpersonationRolesTable;
  wm_impersonation_tokens: WmImpersonationTokensTable;
  wm_mobile_access_rules: WmMobileAccessRulesTable;
  wm_mobile_access_overrides: WmMobileAccessOverridesTable;
  mail_mailboxes: MailMailboxesTable;
  mail_folders: MailFoldersTable;
  mail_messages: MailMessagesTable;
  mail_keywords: MailKeywordsTable;
  mail_changes: MailChangesTable;
  mail_subscriptions: MailSubscriptionsTable;
  mail_folder_placeholders: MailFolderPlaceholdersTable;
  mail_outbound_messages: MailOutboundMessagesTable;
  mail_outbound_recipients: MailOutboundRecipientsTable;
}
