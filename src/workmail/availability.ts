// Availability (free/busy) providers: for a domain outside the organization (typically an
// Exchange organization still being migrated), where WorkMail asks for its people's
// availability. One configuration per domain; the domain need not be one of the
// organization's mail domains, since it names someone else's. Godwit can call an EWS provider
// but not an AWS Lambda function, so Lambda providers are refused when stored and fail when
// tested. The EWS password is sealed with the server key and never returned.
import type { SecretBox } from '../security/secret-box.ts';
import type { Db, Reader } from '../store/database.ts';
import type { WmAvailabilityConfigurationsTable } from '../store/schema.ts';
import { writeDirectory } from './directory-write.ts';
import { InvalidParameter, NameAvailability, ResourceNotFound } from './errors.ts';
import { probeEws, type ProbeResult } from './ews-probe.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';

export interface EwsProvider {
  EwsEndpoint: string;
  EwsUsername: string;
  EwsPassword: string;
}

export interface ProviderChoice {
  ews: EwsProvider | undefined;
  lambda: { LambdaArn: string } | undefined;
}

export const LAMBDA_UNSUPPORTED = 'Lambda availability providers are not supported by Godwit, which cannot invoke AWS Lambda functions; use an EwsProvider.';

const DOMAIN = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i;

function domainKey(domain: string): string {
  if (!DOMAIN.test(domain)) throw new InvalidParameter(`DomainName ${domain} is not a valid domain name.`);
  return domain.toLowerCase();
}

/** The request must hold exactly one provider, and Godwit can only use an EWS one. */
function chosenEws(choice: ProviderChoice): EwsProvider {
  if ((choice.ews === undefined) === (choice.lambda === undefined)) {
    throw new InvalidParameter('The request must contain exactly one provider definition, either EwsProvider or LambdaProvider.');
  }
  if (choice.lambda) throw new InvalidParameter(LAMBDA_UNSUPPORTED);
  return choice.ews!;
}

const sealingContext = (orgId: string, domainLower: string) => `ews:${orgId}:${domainLower}`;

function providerColumns(box: SecretBox, orgId: string, domainLower: string, ews: EwsProvider) {
  return {
    provider_type: 'EWS',
    ews_endpoint: ews.EwsEndpoint,
    ews_username: ews.EwsUsername,
    ews_password_sealed: box.seal(ews.EwsPassword, sealingContext(orgId, domainLower)),
  };
}

const notFound = (domain: string) => new ResourceNotFound(`Availability configuration for domain ${domain} not found.`);
const taken = (domain: string) => new NameAvailability(`An availability configuration for domain ${domain} already exists.`);

export interface NewAvailabilityConfiguration extends ProviderChoice {
  domain: string;
  clientToken: string | undefined;
}

export async function createAvailabilityConfiguration(db: Db, box: SecretBox, orgId: string, input: NewAvailabilityConfiguration, now: Date): Promise<void> {
  const domainLower = domainKey(input.domain);
  const provider = providerColumns(box, orgId, domainLower, chosenEws(input));
  await writeDirectory(db, orgId, async (trx) => {
    const existing = await trx
      .selectFrom('wm_availability_configurations')
      .select('client_token')
      .where('org_id', '=', orgId)
      .where('domain_lower', '=', domainLower)
      .executeTakeFirst();
    if (existing) {
      // A retry of the call that created it (same ClientToken) succeeds without changing it.
      if (input.clientToken !== undefined && existing.client_token === input.clientToken) return;
      throw taken(input.domain);
    }
    await trx
      .insertInto('wm_availability_configurations')
      .values({
        org_id: orgId,
        domain_lower: domainLower,
        domain: input.domain,
        ...provider,
        client_token: input.clientToken ?? null,
        created_at: now.toISOString(),
        modified_at: now.toISOString(),
      })
      .execute();
  });
}

export async function updateAvailabilityConfiguration(db: Db, box: SecretBox, orgId: string, domain: string, choice: ProviderChoice, now: Date): Promise<void> {
  const domainLower = domainKey(domain);
  const provider = providerColumns(box, orgId, domainLower, chosenEws(choice));
  await writeDirectory(db, orgId, async (trx) => {
    const result = await trx
      .updateTable('wm_availability_configurations')
      .set({ ...provider, modified_at: now.toISOString() })
      .where('org_id', '=', orgId)
      .where('domain_lower', '=', domainLower)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound(domain);
  });
}

/** Deleting a configuration that is not there is not an error (the operation declares none). */
export async function deleteAvailabilityConfiguration(db: Db, orgId: string, domain: string): Promise<void> {
  await writeDirectory(db, orgId, (trx) =>
    trx.deleteFrom('wm_availability_configurations').where('org_id', '=', orgId).where('domain_lower', '=', domain.toLowerCase()).execute(),
  );
}

export async function listAvailabilityConfigurations(db: Reader, orgId: string, page: TokenRequest): Promise<TokenPage<WmAvailabilityConfigurationsTable>> {
  let query = db.selectFrom('wm_availability_configurations').selectAll().where('org_id', '=', orgId);
  if (page.after !== undefined) query = query.where('domain_lower', '>', page.after);
  const rows = await query.orderBy('domain_lower').limit(page.limit + 1).execute();
  return tokenPage(rows, page, (row) => row.domain_lower);
}

export interface AvailabilityTarget extends ProviderChoice {
  domain: string | undefined;
}

/** Tests either the stored configuration of a domain or a provider given inline, never both. */
export async function testAvailabilityConfiguration(db: Reader, box: SecretBox, orgId: string, target: AvailabilityTarget): Promise<ProbeResult> {
  const given = [target.domain, target.ews, target.lambda].filter((value) => value !== undefined).length;
  if (given !== 1) throw new InvalidParameter('The request must contain either one provider definition (EwsProvider or LambdaProvider) or the DomainName parameter.');
  if (target.lambda) return { passed: false, reason: LAMBDA_UNSUPPORTED };
  if (target.ews) return probeEws({ endpoint: target.ews.EwsEndpoint, username: target.ews.EwsUsername, password: target.ews.EwsPassword });
  const domainLower = target.domain!.toLowerCase();
  const row = await db
    .selectFrom('wm_availability_configurations')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('domain_lower', '=', domainLower)
    .executeTakeFirst();
  if (!row) throw notFound(target.domain!);
  const password = box.open(row.ews_password_sealed, sealingContext(orgId, domainLower));
  return probeEws({ endpoint: row.ews_endpoint, username: row.ews_username, password });
}
