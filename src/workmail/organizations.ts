// WorkMail organizations: created with a unique alias and a verified test domain
// `<alias>.<base domain>`, idempotent on ClientToken, deleted by marking them Deleted (their
// alias, domains and addresses are then free for reuse).
import { inTransaction, isUniqueViolation, type Db } from '../store/database.ts';
import type { WmOrganizationsTable } from '../store/schema.ts';
import { NameAvailability, OrganizationNotFound, OrganizationState } from './errors.ts';
import { newDirectoryId, newOrganizationId } from './ids.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { newDkimKey } from './dkim-keys.ts';
import { insertMailDomain } from './mail-domains.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';

export const ACTIVE = 'Active';
export const DELETED = 'Deleted';

export interface NewOrganization {
  accountId: string;
  alias: string;
  domains: string[];
  clientToken: string | undefined;
  baseDomain: string;
  interoperabilityEnabled: boolean;
}

export async function createOrganization(db: Db, box: SecretBox, input: NewOrganization, now: Date): Promise<WmOrganizationsTable> {
  if (input.clientToken !== undefined) {
    const previous = await db
      .selectFrom('wm_organizations')
      .selectAll()
      .where('account_id', '=', input.accountId)
      .where('client_token', '=', input.clientToken)
      .executeTakeFirst();
    if (previous) return previous;
  }
  const testDomain = `${input.alias.toLowerCase()}.${input.baseDomain}`;
  const row: WmOrganizationsTable = {
    id: newOrganizationId(),
    account_id: input.accountId,
    alias: input.alias,
    alias_lower: input.alias.toLowerCase(),
    state: ACTIVE,
    default_mail_domain: testDomain,
    directory_id: newDirectoryId(),
    directory_type: 'WorkMail Directory',
    client_token: input.clientToken ?? null,
    interoperability_enabled: input.interoperabilityEnabled ? 1 : 0,
    created_at: now.toISOString(),
    completed_at: now.toISOString(),
    deleted_at: null,
  };
  // Key generation is slow (RSA 2048), so it happens before the transaction opens.
  const dkimKeys = await Promise.all(input.domains.map((domain) => newDkimKey(box, domain.toLowerCase())));
  try {
    await inTransaction(db, async (trx) => {
      const taken = await trx
        .selectFrom('wm_organizations')
        .select('id')
        .where('alias_lower', '=', row.alias_lower)
        .where('state', '<>', DELETED)
        .executeTakeFirst();
      if (taken) throw aliasTaken(input.alias);
      await trx.insertInto('wm_organizations').values(row).execute();
      await insertMailDomain(trx, row.id, testDomain, { isTest: true }, now);
      for (const [index, domain] of input.domains.entries()) {
        await insertMailDomain(trx, row.id, domain, { isTest: false, dkim: dkimKeys[index] }, now);
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw aliasTaken(input.alias);
    throw error;
  }
  return row;
}

const aliasTaken = (alias: string) => new NameAvailability(`The organization alias ${alias} is not available.`);

/** The organization, whatever its state; OrganizationNotFound when it is not this account's. */
export async function findOrganization(db: Db, accountId: string, orgId: string): Promise<WmOrganizationsTable> {
  const row = await db
    .selectFrom('wm_organizations')
    .selectAll()
    .where('id', '=', orgId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw new OrganizationNotFound(`Organization ${orgId} not found.`);
  return row;
}

/** The organization, which must be Active for anything to be done in it. */
export async function requireActiveOrganization(db: Db, accountId: string, orgId: string): Promise<WmOrganizationsTable> {
  const row = await findOrganization(db, accountId, orgId);
  if (row.state !== ACTIVE) throw new OrganizationState(`Organization ${orgId} is in state ${row.state}.`);
  return row;
}

export async function listOrganizations(db: Db, accountId: string, page: TokenRequest): Promise<TokenPage<WmOrganizationsTable>> {
  let query = db.selectFrom('wm_organizations').selectAll().where('account_id', '=', accountId);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  const rows = await query.orderBy('id').limit(page.limit + 1).execute();
  return tokenPage(rows, page, (row) => row.id);
}

export async function deleteOrganization(
  db: Db,
  accountId: string,
  orgId: string,
  options: { forceDelete: boolean },
  now: Date,
): Promise<WmOrganizationsTable> {
  const org = await findOrganization(db, accountId, orgId);
  if (org.state === DELETED) return org;
  await inTransaction(db, async (trx) => {
    if (!options.forceDelete) {
      const enabled = await trx
        .selectFrom('wm_entities')
        .select('id')
        .where('org_id', '=', orgId)
        .where('type', '=', 'USER')
        .where('state', '=', 'ENABLED')
        .executeTakeFirst();
      if (enabled) throw new OrganizationState(`Organization ${orgId} has enabled users; deregister them or use ForceDelete.`);
    }
    await trx.deleteFrom('wm_emails').where('org_id', '=', orgId).execute();
    await trx.deleteFrom('wm_mail_domains').where('org_id', '=', orgId).execute();
    await trx.updateTable('wm_organizations').set({ state: DELETED, deleted_at: now.toISOString() }).where('id', '=', orgId).execute();
  });
  return { ...org, state: DELETED, deleted_at: now.toISOString() };
}
