// Gathers every identity-based policy that applies to an IAM user: its inline policies, the
// managed policies attached to it, and the inline and attached policies of each of its groups.
// Each comes back compiled, tagged with the source that SimulatePrincipalPolicy reports.
import type { Db } from '../store/database.ts';
import { parsePolicyArn } from './arn.ts';
import { awsManagedPolicyByArn } from './managed-policies.ts';
import { compilePolicy, parsePolicyDocument, type CompiledPolicy } from './policy/index.ts';

export type PolicySourceType = 'user' | 'group' | 'aws-managed' | 'user-managed';

export interface PolicySource {
  id: string;
  type: PolicySourceType;
  document: string;
}

export async function managedPolicyDocument(db: Db, policyArn: string): Promise<string | undefined> {
  const aws = awsManagedPolicyByArn(policyArn);
  if (aws) return aws.document;
  const parsed = parsePolicyArn(policyArn);
  if (!parsed || parsed.owner === 'aws') return undefined;
  const row = await db
    .selectFrom('policies')
    .innerJoin('policy_versions', (join) =>
      join.onRef('policy_versions.policy_id', '=', 'policies.id').onRef('policy_versions.version_id', '=', 'policies.default_version_id'),
    )
    .select(['policy_versions.document', 'policies.path'])
    .where('policies.account_id', '=', parsed.owner)
    .where('policies.name_lower', '=', parsed.name.toLowerCase())
    .executeTakeFirst();
  return row && row.path === parsed.path ? row.document : undefined;
}

export async function policySourcesForUser(db: Db, userId: string): Promise<PolicySource[]> {
  const groups = await db.selectFrom('group_members').select('group_id').where('user_id', '=', userId).execute();
  const sources = await policySourcesForEntity(db, 'user', userId);
  for (const group of groups) sources.push(...(await policySourcesForEntity(db, 'group', group.group_id)));
  return sources;
}

/** A group's own policies (SimulatePrincipalPolicy with a group ARN simulates just these). */
export function policySourcesForGroup(db: Db, groupId: string): Promise<PolicySource[]> {
  return policySourcesForEntity(db, 'group', groupId);
}

/** The inline policies of one user or group (by name), then its attached managed ones. */
async function policySourcesForEntity(db: Db, type: 'user' | 'group', id: string): Promise<PolicySource[]> {
  const sources: PolicySource[] = [];
  const inline = await db
    .selectFrom('inline_policies')
    .select(['name', 'document'])
    .where('entity_type', '=', type)
    .where('entity_id', '=', id)
    .orderBy('name_lower')
    .execute();
  for (const policy of inline) sources.push({ id: policy.name, type, document: policy.document });
  const attached = await db
    .selectFrom('policy_attachments')
    .select('policy_arn')
    .where('entity_type', '=', type)
    .where('entity_id', '=', id)
    .orderBy('attached_at')
    .execute();
  for (const { policy_arn } of attached) {
    const document = await managedPolicyDocument(db, policy_arn);
    if (document === undefined) continue;
    const name = policy_arn.slice(policy_arn.lastIndexOf('/') + 1);
    sources.push({ id: name, type: policy_arn.startsWith('arn:aws:iam::aws:') ? 'aws-managed' : 'user-managed', document });
  }
  return sources;
}

export function compileSources(sources: PolicySource[]): CompiledPolicy[] {
  return sources.map((source) => compilePolicy(parsePolicyDocument(source.document), { id: source.id, type: source.type }));
}
