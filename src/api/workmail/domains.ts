// Mail domains: RegisterMailDomain, DeregisterMailDomain, ListMailDomains, GetMailDomain (the DNS
// records to publish, and the verification states read from DNS at call time) and
// UpdateDefaultMailDomain.
import { mailDomainRecords } from '../../workmail/dns-records.ts';
import { dnsTxtLookup, refreshVerification, type VerificationStates } from '../../workmail/domain-verification.ts';
import {
  deregisterMailDomain,
  ensureDkimKey,
  listMailDomains,
  registerMailDomain,
  requireMailDomain,
  setDefaultMailDomain,
} from '../../workmail/mail-domains.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import type { WmMailDomainsTable } from '../../store/schema.ts';
import type { ApiContext, ApiOperation } from '../operation.ts';
import { wmOrg } from './operation.ts';

/** Asks DNS about a custom domain now; a test domain is verified by definition. */
async function verify(ctx: ApiContext, row: WmMailDomainsTable): Promise<VerificationStates> {
  if (row.is_test) return { ownership: 'VERIFIED', dkim: 'VERIFIED' };
  const lookup = await dnsTxtLookup(ctx.config.dnsServer);
  try {
    return await refreshVerification(ctx.db, lookup, row);
  } finally {
    lookup.close();
  }
}

export const domainsOperations: ApiOperation[] = [
  wmOrg('RegisterMailDomain', async (input, ctx) => {
    await registerMailDomain(ctx.db, ctx.box, input.OrganizationId, input.DomainName, ctx.config.baseDomain, ctx.facts.now);
    return {};
  }),
  wmOrg('DeregisterMailDomain', async (input, ctx, org) => {
    await deregisterMailDomain(ctx.db, org.id, input.DomainName);
    return {};
  }),
  wmOrg('ListMailDomains', async (input, ctx, org) => {
    const page = await listMailDomains(ctx.db, org.id, tokenRequest(input));
    return {
      MailDomains: page.items.map((row) => ({ DomainName: row.domain, DefaultDomain: row.domain === org.default_mail_domain })),
      NextToken: page.nextToken,
    };
  }),
  wmOrg('GetMailDomain', async (input, ctx, org) => {
    const row = await ensureDkimKey(ctx.db, ctx.box, await requireMailDomain(ctx.db, org.id, input.DomainName));
    const states = await verify(ctx, row);
    // The test domain's DNS is the operator's (a wildcard MX under the base domain), not the customer's.
    const records = row.is_test
      ? []
      : mailDomainRecords({
          domain: row.domain,
          mailHost: ctx.config.mailHost,
          ownershipToken: row.ownership_token,
          dkim: row.dkim_selector && row.dkim_public_key ? { selector: row.dkim_selector, publicKey: row.dkim_public_key } : undefined,
        });
    return {
      Records: records,
      IsTestDomain: row.is_test === 1,
      IsDefault: row.domain === org.default_mail_domain,
      OwnershipVerificationStatus: states.ownership,
      DkimVerificationStatus: states.dkim,
    };
  }),
  wmOrg('UpdateDefaultMailDomain', async (input, ctx, org) => {
    const row = await requireMailDomain(ctx.db, org.id, input.DomainName);
    // The owner may have published the record since the last GetMailDomain: ask DNS (which
    // stores what it says) before the domain's state decides.
    if (!row.is_test && row.ownership_state !== 'VERIFIED') await verify(ctx, row);
    await setDefaultMailDomain(ctx.db, org.id, input.DomainName);
    return {};
  }),
];
