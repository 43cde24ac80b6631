// WorkMail organizations: created with a unique alias and a verified test domain
// `<alias>.<base domain>`, idempotent on ClientToken, deleted by marking them Deleted (their
// alias, domains and addresses are then free for reuse).
import { directoryChange } from '../store/changes.ts';
import { inTransaction, isUniqueViolation, writeTransaction, type Db, type Reader } from '../store/database.ts';
import type { WmOrganizationsTable } from '../store/schema.ts';
import { MailDomainInUse, NameAvailability, OrganizationNotFound, OrganizationState } from './errors.ts';
import { newDirectoryId, newOrganizationId } from './ids.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { newDkimKey } from './dkim-keys.ts';
import { insertMailDomain } from './mail-domains.ts';
import { ACTIVE, DELETED } from './organization-states.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';
import { installDefaultRules } from './rule-defaults.ts';

export interface NewOrganization {
  accountId: string;
  alias: string;
  domains: string[];
  clientToken: string | undefined;
  baseDomain: string;
  interoperabilityEnabled: boolean;
}

export async function createOrganization(db: Db, box: SecretBox, input: NewOrganization, now: Date): Promise<WmOrganizationsTable> {
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
    return await inTransaction(db, async (trx) => {
      const previous = await createdWithToken(trx, input);
      if (previous) return previous;
      if (await aliasInUse(trx, row.alias_lower)) throw aliasTaken(input.alias);
      await trx.insertInto('wm_organizations').values(row).execute();
      // No one can hold the lock of an organization that did not exist; taking it now publishes
      // the new directory with the commit. Its default rules are written with it, so that reading
      // them never has to.
      await writeTransaction(trx, directoryChange(row.id), async (locked) => {
        await insertMailDomain(locked, row.id, testDomain, { isTest: true }, now);
        for (const [index, domain] of input.domains.entries()) {
          await insertMailDomain(locked, row.id, domain, { isTest: false, dkim: dkimKeys[index] }, now);
        }
        await installDefaultRules(locked, row, now);
      });
      return row;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent request took the alias or a domain first, unless it was this call's own retry.
    const previous = await createdWithToken(db, input);
    if (previous) return previous;
    if (await aliasInUse(db, row.alias_lower)) throw aliasTaken(input.alias);
    throw new MailDomainInUse(`One of the domains ${input.domains.join(', ')} is already registered.`);
  }
}

/** The organization an earlier call with the same ClientToken created, if any. */
async function createdWithToken(db: Reader, input: NewOrganization): Promise<WmOrganizationsTable | undefined> {
  if (input.clientToken === undefined) return undefined;
  return db.selectFrom('wm_organizations').selectAll().where('account_id', '=', input.accountId).where('client_token', '=', input.clientToken).executeTakeFirst();
}

async function aliasInUse(db: Reader, aliasLower: string): Promise<boolean> {
  const taken = await db.selectFrom('wm_organizations').select('id').where('alias_lower', '=', aliasLower).where('state', '<>', DELETED).executeTakeFirst();
  return taken !== undefined;
}

const aliasTaken = (alias: string) => new NameAvailability(`The organization alias ${alias} is not available.`);

/** The organization, whatever its state; OrganizationNotFound when it is not this account's. */
export async function findOrganization(db: Reader, accountId: string, orgId: string): Promise<WmOrganizationsTable> {
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
export async function requireActiveOrganization(db: Reader, accountId: string, orgId: string): Promise<WmOrganizationsTable> {
  const row = await findOrganization(db, accountId, orgId);
  if (row.state !== ACTIVE) throw new OrganizationState(`Organization ${orgId} is in state ${row.state}.`);
  return row;
}

export async function listOrganizations(db: Reader, accountId: string, page: TokenRequest): Promise<TokenPage<WmOrganizationsTable>> {
  let query = db.selectFrom('wm_organizations').selectAll().where('account_id', '=', accountId);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  const rows = await query.orderBy('id').limit(page.limit + 1).execute();
  return tokenPage(rows, page, (row) => row.id);
}

/**
 * Marks the organization Deleted and frees its alias, domains and addresses. Without ForceDelete
 * it must have no registered user, checked under the organization's lock, so that no
 * registration can slip in between the check and the deletion.
 */
export async function deleteOrganization(
  db: Db,
  accountId: string,
  orgId: string,
  options: { forceDelete: boolean },
  now: Date,
): Promise<WmOrganizationsTable> {
  return writeTransaction(db, directoryChange(orgId), async (trx) => {
    const org = await findOrganization(trx, accountId, orgId);
    if (org.state === DELETED) return org;
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
    return { ...org, state: DELETED, deleted_at: now.toISOString() };
  });
}
