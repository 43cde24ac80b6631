// GetAccountSummary: IAM entity counts of an account, counted from the store, beside the
// quotas AWS reports. Entities Godwit does not have (roles, instance profiles, MFA devices,
// server certificates, identity providers) count zero.
import type { Db } from '../store/database.ts';
import { MAX_ACCESS_KEYS } from './access-keys.ts';
import { MAX_ATTACHED_POLICIES } from './attachments.ts';
import { MAX_GROUPS_PER_USER } from './groups.ts';

export const ACCOUNT_QUOTAS = {
  UsersQuota: 5000,
  GroupsQuota: 300,
  PoliciesQuota: 1500,
  PolicySizeQuota: 6144,
  PolicyVersionsInUseQuota: 10000,
  VersionsPerPolicyQuota: 5,
  ServerCertificatesQuota: 20,
  UserPolicySizeQuota: 2048,
  GroupPolicySizeQuota: 5120,
  RolePolicySizeQuota: 10240,
  AssumeRolePolicySizeQuota: 2048,
  GroupsPerUserQuota: MAX_GROUPS_PER_USER,
  SigningCertificatesPerUserQuota: 2,
  AccessKeysPerUserQuota: MAX_ACCESS_KEYS,
  AttachedPoliciesPerUserQuota: MAX_ATTACHED_POLICIES,
  AttachedPoliciesPerGroupQuota: MAX_ATTACHED_POLICIES,
  AttachedPoliciesPerRoleQuota: MAX_ATTACHED_POLICIES,
  RolesQuota: 1000,
  InstanceProfilesQuota: 1000,
} as const;

type CountedTable = 'users' | 'groups' | 'policies' | 'policy_attachments';

async function count(db: Db, table: CountedTable, accountId: string): Promise<number> {
  const { n } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function accountSummary(db: Db, accountId: string): Promise<Record<string, number>> {
  const rootKeys = await db
    .selectFrom('access_keys')
    .select('id')
    .where('account_id', '=', accountId)
    .where('user_id', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return {
    Users: await count(db, 'users', accountId),
    Groups: await count(db, 'groups', accountId),
    Policies: await count(db, 'policies', accountId),
    // Each attachment of a managed policy puts its default version in use.
    PolicyVersionsInUse: await count(db, 'policy_attachments', accountId),
    Roles: 0,
    InstanceProfiles: 0,
    Providers: 0,
    ServerCertificates: 0,
    MFADevices: 0,
    MFADevicesInUse: 0,
    AccountMFAEnabled: 0,
    AccountAccessKeysPresent: rootKeys ? 1 : 0,
    // Every Godwit account's root user has a password (set at account creation).
    AccountPasswordPresent: 1,
    AccountSigningCertificatesPresent: 0,
    GlobalEndpointTokenVersion: 1,
    ...ACCOUNT_QUOTAS,
  };
}
