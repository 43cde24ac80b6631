// Managed policies and their versions: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy,
// CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion,
// SetDefaultPolicyVersion, TagPolicy, UntagPolicy, ListPolicyTags.
import { AccessDenied } from '../../errors.ts';
import { iamArn } from '../../iam/arn.ts';
import {
  createPolicy,
  deletePolicy,
  describePolicy,
  listPolicies,
  listPolicyTags,
  policyFromRow,
  resolvePolicy,
  tagPolicy,
  untagPolicy,
  type PolicyTarget,
} from '../../iam/policies.ts';
import { createPolicyVersion, deletePolicyVersion, getPolicyVersion, listPolicyVersions, setDefaultPolicyVersion } from '../../iam/policy-versions.ts';
import { pageRequest, pageResult } from '../../iam/pages.ts';
import { operation, type ApiContext, type Input } from '../operation.ts';

const iam = (name: string, resource: Parameters<typeof operation>[2], run: Parameters<typeof operation>[3]) =>
  operation('iam', name, resource, run);

/**
 * AWS returns policy documents URL-encoded (RFC 3986) in GetPolicyVersion, GetUserPolicy,
 * GetGroupPolicy and GetAccountAuthorizationDetails; the SDKs hand that text over as is.
 */
export function urlEncodeDocument(document: string): string {
  return encodeURIComponent(document).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * The customer managed policy a change names. AWS managed policies belong to AWS: an account may
 * read and attach them, never change them, and is told so as a denial of the action.
 */
const localPolicy = (ctx: ApiContext, action: string, input: Input): PolicyTarget => ({
  accountId: ctx.principal.accountId,
  arn: input.PolicyArn,
  awsManaged: () => new AccessDenied(`User: ${ctx.principal.arn} is not authorized to perform: iam:${action} on resource: ${input.PolicyArn}`),
});

const byPolicyArn = (input: Input) => input.PolicyArn as string;

export const policiesOperations = [
  iam(
    'CreatePolicy',
    (input, ctx) => iamArn(ctx.principal.accountId, 'policy', input.Path ?? '/', input.PolicyName),
    async (input, ctx) => {
      const row = await createPolicy(
        ctx.db,
        ctx.principal.accountId,
        { policyName: input.PolicyName, path: input.Path, document: input.PolicyDocument, description: input.Description, tags: input.Tags },
        ctx.facts.now,
      );
      return { Policy: { ...policyFromRow(row), Tags: input.Tags?.length ? input.Tags : undefined } };
    },
  ),
  iam('GetPolicy', byPolicyArn, async (input, ctx) => {
    const found = await resolvePolicy(ctx.db, ctx.principal.accountId, input.PolicyArn);
    return { Policy: await describePolicy(ctx.db, ctx.principal.accountId, found) };
  }),
  iam(
    'ListPolicies',
    () => '*',
    async (input, ctx) => {
      // PolicyUsageFilter (permissions policy / boundary) changes nothing: every policy here
      // can serve as either.
      const page = await listPolicies(
        ctx.db,
        ctx.principal.accountId,
        { scope: input.Scope, onlyAttached: input.OnlyAttached, pathPrefix: input.PathPrefix },
        pageRequest(input),
      );
      // List operations return a subset of each policy: no description, no tags.
      return { Policies: page.items.map(({ Description: _d, Tags: _t, ...policy }) => policy), ...pageResult(page) };
    },
  ),
  iam('DeletePolicy', byPolicyArn, async (input, ctx) => {
    await deletePolicy(ctx.db, localPolicy(ctx, 'DeletePolicy', input));
    return {};
  }),
  iam('CreatePolicyVersion', byPolicyArn, async (input, ctx) => {
    const version = await createPolicyVersion(ctx.db, localPolicy(ctx, 'CreatePolicyVersion', input), input.PolicyDocument, input.SetAsDefault === true, ctx.facts.now);
    // CreatePolicyVersion does not echo the document back.
    return { PolicyVersion: { ...version, Document: undefined } };
  }),
  iam('GetPolicyVersion', byPolicyArn, async (input, ctx) => {
    const found = await resolvePolicy(ctx.db, ctx.principal.accountId, input.PolicyArn);
    const version = await getPolicyVersion(ctx.db, found, input.VersionId);
    return { PolicyVersion: { ...version, Document: urlEncodeDocument(version.Document!) } };
  }),
  iam('ListPolicyVersions', byPolicyArn, async (input, ctx) => {
    const found = await resolvePolicy(ctx.db, ctx.principal.accountId, input.PolicyArn);
    const page = await listPolicyVersions(ctx.db, found, pageRequest(input));
    return { Versions: page.items, ...pageResult(page) };
  }),
  iam('DeletePolicyVersion', byPolicyArn, async (input, ctx) => {
    await deletePolicyVersion(ctx.db, localPolicy(ctx, 'DeletePolicyVersion', input), input.VersionId);
    return {};
  }),
  iam('SetDefaultPolicyVersion', byPolicyArn, async (input, ctx) => {
    await setDefaultPolicyVersion(ctx.db, localPolicy(ctx, 'SetDefaultPolicyVersion', input), input.VersionId);
    return {};
  }),
  iam('TagPolicy', byPolicyArn, async (input, ctx) => {
    await tagPolicy(ctx.db, localPolicy(ctx, 'TagPolicy', input), input.Tags);
    return {};
  }),
  iam('UntagPolicy', byPolicyArn, async (input, ctx) => {
    await untagPolicy(ctx.db, localPolicy(ctx, 'UntagPolicy', input), input.TagKeys);
    return {};
  }),
  iam('ListPolicyTags', byPolicyArn, async (input, ctx) => {
    const page = await listPolicyTags(ctx.db, ctx.principal.accountId, input.PolicyArn, pageRequest(input));
    return { Tags: page.items, ...pageResult(page) };
  }),
];
