// Mail domains of an organization. Each domain belongs to one organization on the server.
// The organization's test domain (`<alias>.<base domain>`) is verified from the start; other
// domains are verified against DNS (ownership TXT token, DKIM) by domain-verification.ts, and
// carry the DKIM key Godwit signs their mail with (dkim-keys.ts).
import { randomBytes } from 'node:crypto';
import { isUniqueViolation, type Db, type Reader, type Tx } from '../store/database.ts';
import type { WmMailDomainsTable } from '../store/schema.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { writeDirectory } from './directory-write.ts';
import { newDkimKey, type DkimKey } from './dkim-keys.ts';
import { InvalidParameter, MailDomainInUse, MailDomainNotFound, MailDomainState, WorkMailLimitExceeded } from './errors.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';

/** WorkMail's quota of mail domains per organization (the test domain included). */
export const MAX_MAIL_DOMAINS = 100;

const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

export const newOwnershipToken = (): string => randomBytes(16).toString('hex');

/**
 * Adds a mail domain row, inside the caller's transaction; refuses a domain that another
 * organization (or this one) holds. A custom domain is given its DKIM key, generated beforehand.
 */
export async function insertMailDomain(
  db: Tx,
  orgId: string,
  domain: string,
  options: { isTest: boolean; dkim?: DkimKey },
  now: Date,
): Promise<WmMailDomainsTable> {
  const domainLower = domain.toLowerCase();
  const taken = await db.selectFrom('wm_mail_domains').select('org_id').where('domain_lower', '=', domainLower).executeTakeFirst();
  if (taken) throw domainInUse(domain);
  const row: WmMailDomainsTable = {
    domain_lower: domainLower,
    domain: domainLower,
    org_id: orgId,
    is_test: options.isTest ? 1 : 0,
    ownership_token: newOwnershipToken(),
    dkim_selector: options.dkim?.selector ?? null,
    dkim_private_key: options.dkim?.sealedPrivateKey ?? null,
    dkim_public_key: options.dkim?.publicKey ?? null,
    ownership_state: options.isTest ? 'VERIFIED' : 'PENDING',
    dkim_state: options.isTest ? 'VERIFIED' : 'PENDING',
    created_at: now.toISOString(),
  };
  await db.insertInto('wm_mail_domains').values(row).execute();
  return row;
}

const domainInUse = (domain: string) => new MailDomainInUse(`The domain ${domain.toLowerCase()} is already registered.`);

/**
 * RegisterMailDomain: adds a custom domain to the organization, with a fresh ownership token and
 * DKIM key, PENDING until DNS shows them. Registering a domain the organization already has is
 * a no-op (the operation is idempotent); a domain under the base domain is refused, since those
 * names are the test domains of present and future organizations.
 */
export async function registerMailDomain(
  db: Db,
  box: SecretBox,
  orgId: string,
  domain: string,
  baseDomain: string,
  now: Date,
): Promise<void> {
  const domainLower = domain.toLowerCase();
  if (!DOMAIN_NAME.test(domainLower)) throw new InvalidParameter(`The domain ${domain} is not a valid domain name.`);
  // Key generation is slow (RSA 2048), so it happens before the transaction opens.
  const dkim = await newDkimKey(box, domainLower);
  try {
    await writeDirectory(db, orgId, async (trx) => {
      const existing = await trx.selectFrom('wm_mail_domains').select('org_id').where('domain_lower', '=', domainLower).executeTakeFirst();
      if (existing?.org_id === orgId) return;
      if (existing) throw domainInUse(domain);
      if (domainLower === baseDomain || domainLower.endsWith('.' + baseDomain)) {
        throw new InvalidParameter(`The domain ${domain} is reserved: domains under ${baseDomain} are the organizations' test domains.`);
      }
      const count = await trx
        .selectFrom('wm_mail_domains')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= MAX_MAIL_DOMAINS) throw new WorkMailLimitExceeded(`The organization ${orgId} already has ${MAX_MAIL_DOMAINS} mail domains.`);
      await insertMailDomain(trx, orgId, domainLower, { isTest: false, dkim }, now);
    });
  } catch (error) {
    // Another organization registered it between our check and our insert (its lock is not ours).
    if (isUniqueViolation(error)) throw domainInUse(domain);
    throw error;
  }
}

/** The organization's domain; MailDomainNotFound when it is not one of its domains. */
export async function requireMailDomain(db: Reader, orgId: string, domain: string): Promise<WmMailDomainsTable> {
  const row = await db
    .selectFrom('wm_mail_domains')
    .selectAll()
    .where('domain_lower', '=', domain.toLowerCase())
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  if (!row) throw new MailDomainNotFound(`The domain ${domain.toLowerCase()} is not a mail domain of organization ${orgId}.`);
  return row;
}

export async function listMailDomains(db: Reader, orgId: string, page: TokenRequest): Promise<TokenPage<WmMailDomainsTable>> {
  let query = db.selectFrom('wm_mail_domains').selectAll().where('org_id', '=', orgId);
  if (page.after !== undefined) query = query.where('domain_lower', '>', page.after);
  const rows = await query.orderBy('domain_lower').limit(page.limit + 1).execute();
  return tokenPage(rows, page, (row) => row.domain_lower);
}

/**
 * Gives a custom domain its DKIM key if it has none: only domains that CreateOrganization added
 * before it generated their keys lack one. A migration cannot make the key (the server key that
 * seals it is not in the store), so GetMailDomain completes such a domain, the one read that writes.
 * Two concurrent callers may both generate one: the first write is kept and both return it.
 */
export async function ensureDkimKey(db: Db, box: SecretBox, row: WmMailDomainsTable): Promise<WmMailDomainsTable> {
  if (row.is_test || (row.dkim_selector && row.dkim_public_key && row.dkim_private_key)) return row;
  const dkim = await newDkimKey(box, row.domain_lower);
  return writeDirectory(db, row.org_id, async (trx) => {
    await trx
      .updateTable('wm_mail_domains')
      .set({ dkim_selector: dkim.selector, dkim_public_key: dkim.publicKey, dkim_private_key: dkim.sealedPrivateKey })
      .where('domain_lower', '=', row.domain_lower)
      .where('dkim_public_key', 'is', null)
      .execute();
    return requireMailDomain(trx, row.org_id, row.domain_lower);
  });
}

/**
 * DeregisterMailDomain. WorkMail requires every address on the domain to be removed first, and
 * keeps the test domain and the default domain; deregistering a domain the organization does
 * not have is a no-op (the operation is idempotent).
 */
export async function deregisterMailDomain(db: Db, orgId: string, domain: string): Promise<void> {
  const domainLower = domain.toLowerCase();
  await writeDirectory(db, orgId, async (trx, org) => {
    const row = await trx
      .selectFrom('wm_mail_domains')
      .select(['is_test'])
      .where('domain_lower', '=', domainLower)
      .where('org_id', '=', org.id)
      .executeTakeFirst();
    if (!row) return;
    if (row.is_test) throw new InvalidParameter(`The test domain ${domainLower} cannot be deregistered.`);
    if (org.default_mail_domain?.toLowerCase() === domainLower) {
      throw new MailDomainInUse(`The domain ${domainLower} is the default mail domain of organization ${org.id}; make another domain the default first.`);
    }
    // The domain names allowed by the model hold no LIKE wildcard (`_` or `%`).
    const used = await trx
      .selectFrom('wm_emails')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', org.id)
      .where('email_lower', 'like', '%@' + domainLower)
      .executeTakeFirstOrThrow();
    if (Number(used.n) > 0) {
      throw new MailDomainInUse(`The domain ${domainLower} is still used by ${used.n} email address(es); remove them before deregistering it.`);
    }
    await trx.deleteFrom('wm_mail_domains').where('domain_lower', '=', domainLower).where('org_id', '=', org.id).execute();
  });
}

/**
 * UpdateDefaultMailDomain. The domain must be the organization's and verified as the store has it
 * now (the caller asks DNS first when it was not), both read under the lock, so a concurrent
 * DeregisterMailDomain cannot leave the organization a default domain it no longer has.
 */
export async function setDefaultMailDomain(db: Db, orgId: string, domain: string): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const row = await requireMailDomain(trx, orgId, domain);
    if (!row.is_test && row.ownership_state !== 'VERIFIED') {
      throw new MailDomainState(`The domain ${row.domain} is not verified; publish its ownership record first.`);
    }
    await trx.updateTable('wm_organizations').set({ default_mail_domain: row.domain }).where('id', '=', orgId).execute();
  });
}
