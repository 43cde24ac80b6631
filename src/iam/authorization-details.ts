// GetAccountAuthorizationDetails: a snapshot of the account's users, groups and managed
// policies with everything that grants permissions (memberships, attachments, inline and
// managed documents). One walk pages across all of them: users, then groups, then customer
// managed policies, then the AWS managed policies the account uses, each in name order; the
// marker holds the segment and the last name, so every page is a keyset query.
import type { Db } from '../store/database.ts';
import { pageOf, type Page, type PageRequest } from '../store/page.ts';
import { attachedPolicies, type AttachedPolicy } from './attachments.ts';
import { allInlinePolicies } from './inline-policies.ts';
import { policyFromAwsManaged, policyFromRow, policyArnOf, policyUsage, type IamPolicy } from './policies.ts';
import { allPolicyVersions, type IamPolicyVersion } from './policy-versions.ts';
import { listAwsManagedPolicies } from './managed-policies.ts';
import { listTags, type Tag } from './tags.ts';
import { iamArn } from './arn.ts';

export type AuthorizationDetailsFilter = 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';

interface PolicyDetail {
  PolicyName: string;
  PolicyDocument: string;
}

export interface UserDetail {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: Date;
  UserPolicyList: PolicyDetail[];
  GroupList: string[];
  AttachedManagedPolicies: AttachedPolicy[];
  PermissionsBoundary?: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy'; PermissionsBoundaryArn: string };
  Tags?: Tag[];
}

export interface GroupDetail {
  Path: string;
  GroupName: string;
  GroupId: string;
  Arn: string;
  CreateDate: Date;
  GroupPolicyList: PolicyDetail[];
  AttachedManagedPolicies: AttachedPolicy[];
}

export type ManagedPolicyDetail = Omit<IamPolicy, 'Tags'> & { PolicyVersionList: IamPolicyVersion[] };

export interface AuthorizationDetails {
  users: UserDetail[];
  groups: GroupDetail[];
  policies: ManagedPolicyDetail[];
}

type Item = { key: string } & ({ kind: 'user'; detail: UserDetail } | { kind: 'group'; detail: GroupDetail } | { kind: 'policy'; detail: ManagedPolicyDetail });

interface Segment {
  prefix: string;
  filter: AuthorizationDetailsFilter;
  /** Up to `limit` items whose name key is after `after`, in key order. */
  fetch(after: string | undefined, limit: number): Promise<Item[]>;
}

const inlineDetails = async (db: Db, type: 'user' | 'group', id: string): Promise<PolicyDetail[]> =>
  (await allInlinePolicies(db, { type, id })).map((p) => ({ PolicyName: p.name, PolicyDocument: p.document }));

function segments(db: Db, accountId: string): Segment[] {
  return [
    {
      prefix: '1/',
      filter: 'User',
      async fetch(after, limit) {
        let query = db.selectFrom('users').selectAll().where('account_id', '=', accountId);
        if (after !== undefined) query = query.where('name_lower', '>', after);
        const rows = await query.orderBy('name_lower').limit(limit).execute();
        const items: Item[] = [];
        for (const row of rows) {
          const groups = await db
            .selectFrom('group_members')
            .innerJoin('groups', 'groups.id', 'group_members.group_id')
            .select('groups.name')
            .where('group_members.user_id', '=', row.id)
            .orderBy('groups.name_lower')
            .execute();
          const tags = await listTags(db, 'user', row.id);
          items.push({
            key: '1/' + row.name_lower,
            kind: 'user',
            detail: {
              Path: row.path,
              UserName: row.name,
              UserId: row.id,
              Arn: iamArn(accountId, 'user', row.path, row.name),
              CreateDate: new Date(row.created_at),
              UserPolicyList: await inlineDetails(db, 'user', row.id),
              GroupList: groups.map((g) => g.name),
              AttachedManagedPolicies: await attachedPolicies(db, 'user', row.id),
              PermissionsBoundary: row.permissions_boundary
                ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: row.permissions_boundary }
                : undefined,
              Tags: tags.length ? tags : undefined,
            },
          });
        }
        return items;
      },
    },
    {
      prefix: '2/',
      filter: 'Group',
      async fetch(after, limit) {
        let query = db.selectFrom('groups').selectAll().where('account_id', '=', accountId);
        if (after !== undefined) query = query.where('name_lower', '>', after);
        const rows = await query.orderBy('name_lower').limit(limit).execute();
        const items: Item[] = [];
        for (const row of rows) {
          items.push({
            key: '2/' + row.name_lower,
            kind: 'group',
            detail: {
              Path: row.path,
              GroupName: row.name,
              GroupId: row.id,
              Arn: iamArn(accountId, 'group', row.path, row.name),
              CreateDate: new Date(row.created_at),
              GroupPolicyList: await inlineDetails(db, 'group', row.id),
              AttachedManagedPolicies: await attachedPolicies(db, 'group', row.id),
            },
          });
        }
        return items;
      },
    },
    {
      prefix: '3/',
      filter: 'LocalManagedPolicy',
      async fetch(after, limit) {
        let query = db.selectFrom('policies').selectAll().where('account_id', '=', accountId);
        if (after !== undefined) query = query.where('name_lower', '>', after);
        const rows = await query.orderBy('name_lower').limit(limit).execute();
        const usage = await policyUsage(db, accountId, rows.map(policyArnOf));
        const items: Item[] = [];
        for (const row of rows) {
          const arn = policyArnOf(row);
          const { Tags: _tags, ...policy } = policyFromRow(row, usage);
          const versions = await allPolicyVersions(db, { kind: 'local', arn, row });
          items.push({ key: '3/' + row.name_lower, kind: 'policy', detail: { ...policy, PolicyVersionList: versions } });
        }
        return items;
      },
    },
    {
      prefix: '4/',
      filter: 'AWSManagedPolicy',
      async fetch(after, limit) {
        // Only the AWS managed policies this account uses, as AWS reports them.
        const all = listAwsManagedPolicies();
        const usage = await policyUsage(db, accountId, all.map((p) => p.arn));
        const used = all
          .filter((p) => (usage.attachments.get(p.arn) ?? 0) + (usage.boundaries.get(p.arn) ?? 0) > 0)
          .map((p) => ({ p, name: p.name.toLowerCase() }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const chosen = used.filter((u) => after === undefined || u.name > after).slice(0, limit);
        const items: Item[] = [];
        for (const { p, name } of chosen) {
          const { Tags: _tags, ...policy } = policyFromAwsManaged(p, usage);
          const versions = await allPolicyVersions(db, { kind: 'aws', arn: p.arn, policy: p });
          items.push({ key: '4/' + name, kind: 'policy', detail: { ...policy, PolicyVersionList: versions } });
        }
        return items;
      },
    },
  ];
}

export async function getAuthorizationDetails(
  db: Db,
  accountId: string,
  filter: readonly AuthorizationDetailsFilter[] | undefined,
  page: PageRequest,
): Promise<AuthorizationDetails & Omit<Page<unknown>, 'items'>> {
  const wanted = filter?.length ? new Set(filter) : undefined;
  const items: Item[] = [];
  for (const segment of segments(db, accountId)) {
    if (wanted && !wanted.has(segment.filter)) continue;
    if (items.length > page.limit) break;
    let after: string | undefined;
    if (page.after !== undefined) {
      if (page.after.slice(0, 2) > segment.prefix) continue;
      if (page.after.startsWith(segment.prefix)) after = page.after.slice(segment.prefix.length);
    }
    items.push(...(await segment.fetch(after, page.limit + 1 - items.length)));
  }
  const { items: kept, isTruncated, next } = pageOf(items, page, (item) => item.key);
  return {
    users: kept.flatMap((i) => (i.kind === 'user' ? [i.detail] : [])),
    groups: kept.flatMap((i) => (i.kind === 'group' ? [i.detail] : [])),
    policies: kept.flatMap((i) => (i.kind === 'policy' ? [i.detail] : [])),
    isTruncated,
    next,
  };
}
