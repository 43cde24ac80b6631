// Organizations: CreateOrganization, DescribeOrganization, ListOrganizations,
// DeleteOrganization; and tags on them: TagResource, UntagResource, ListTagsForResource.
import { organizationArn } from '../../workmail/ids.ts';
import { ResourceNotFound } from '../../workmail/errors.ts';
import { createOrganization, deleteOrganization, findOrganization, listOrganizations } from '../../workmail/organizations.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import { listTags, tagResource, untagResource } from '../../workmail/tags.ts';
import type { WmOrganizationsTable } from '../../store/schema.ts';
import type { ApiContext, ApiOperation } from '../operation.ts';
import { orgArn, wm } from './operation.ts';

const ORG_ARN = /^arn:aws:workmail:([^:]+):(\d{12}):organization\/(m-[0-9a-f]{32})$/;

/** The organization a tagging call names by ARN, and its ARN; ResourceNotFound unless it is one of the caller's. */
async function taggedOrganization(ctx: ApiContext, arn: string): Promise<{ orgId: string; arn: string }> {
  const match = ORG_ARN.exec(arn);
  if (!match || match[1] !== ctx.region || match[2] !== ctx.principal.accountId) throw new ResourceNotFound(`Resource ${arn} not found.`);
  try {
    await findOrganization(ctx.db, ctx.principal.accountId, match[3]!);
  } catch {
    throw new ResourceNotFound(`Resource ${arn} not found.`);
  }
  return { orgId: match[3]!, arn: organizationArn(ctx.region, ctx.principal.accountId, match[3]!) };
}

const describe = (ctx: ApiContext, org: WmOrganizationsTable) => ({
  OrganizationId: org.id,
  Alias: org.alias,
  State: org.state,
  DirectoryId: org.directory_id,
  DirectoryType: org.directory_type,
  DefaultMailDomain: org.default_mail_domain,
  CompletedDate: new Date(org.completed_at),
  ARN: orgArn(ctx, org.id),
  InteroperabilityEnabled: org.interoperability_enabled === 1,
});

const byArn = { resource: (input: { ResourceARN: string }) => input.ResourceARN };

export const organizationOperations: ApiOperation[] = [
  wm('CreateOrganization', async (input, ctx) => {
    const org = await createOrganization(
      ctx.db,
      ctx.box,
      {
        accountId: ctx.principal.accountId,
        alias: input.Alias,
        domains: (input.Domains ?? []).map((domain: { DomainName: string }) => domain.DomainName),
        clientToken: input.ClientToken,
        baseDomain: ctx.config.baseDomain,
        interoperabilityEnabled: input.EnableInteroperability ?? false,
      },
      ctx.facts.now,
    );
    return { OrganizationId: org.id };
  }),
  wm('DescribeOrganization', async (input, ctx) => describe(ctx, await findOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId))),
  wm('ListOrganizations', async (input, ctx) => {
    const page = await listOrganizations(ctx.db, ctx.principal.accountId, tokenRequest(input));
    return {
      OrganizationSummaries: page.items.map((org) => ({ OrganizationId: org.id, Alias: org.alias, DefaultMailDomain: org.default_mail_domain, State: org.state })),
      NextToken: page.nextToken,
    };
  }),
  wm('DeleteOrganization', async (input, ctx) => {
    const org = await deleteOrganization(ctx.db, ctx.principal.accountId, input.OrganizationId, { forceDelete: input.ForceDelete ?? false }, ctx.facts.now);
    return { OrganizationId: org.id, State: org.state };
  }),
  wm(
    'TagResource',
    async (input, ctx) => {
      const tagged = await taggedOrganization(ctx, input.ResourceARN);
      await tagResource(ctx.db, tagged.orgId, tagged.arn, input.Tags);
      return {};
    },
    byArn,
  ),
  wm(
    'UntagResource',
    async (input, ctx) => {
      const tagged = await taggedOrganization(ctx, input.ResourceARN);
      await untagResource(ctx.db, tagged.orgId, tagged.arn, input.TagKeys);
      return {};
    },
    byArn,
  ),
  wm('ListTagsForResource', async (input, ctx) => ({ Tags: await listTags(ctx.db, (await taggedOrganization(ctx, input.ResourceARN)).arn) }), byArn),
];
