// Email addresses: each address (a primary address or an alias) belongs to one entity, on a
// mail domain of that entity's organization that is verified or is the test domain. An address
// is used once across users, groups, resources and aliases.
import type { Reader, Tx } from '../store/database.ts';
import { EmailAddressInUse, InvalidParameter, MailDomainNotFound, MailDomainState } from './errors.ts';

const ADDRESS = /^[a-zA-Z0-9._%+-]{1,64}@([a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}$/;

/** Checks that `email` may be used in the organization: well formed, on one of its usable domains. */
export async function checkAddressDomain(db: Reader, orgId: string, email: string): Promise<void> {
  if (!ADDRESS.test(email)) throw new InvalidParameter(`${email} is not a valid email address.`);
  const domain = email.slice(email.indexOf('@') + 1).toLowerCase();
  const row = await db
    .selectFrom('wm_mail_domains')
    .select(['org_id', 'is_test', 'ownership_state'])
    .where('domain_lower', '=', domain)
    .executeTakeFirst();
  if (!row || row.org_id !== orgId) throw new MailDomainNotFound(`The domain ${domain} is not a mail domain of organization ${orgId}.`);
  if (!row.is_test && row.ownership_state !== 'VERIFIED') throw new MailDomainState(`The domain ${domain} is not verified yet.`);
}

/** Gives `email` to the entity (as its primary address or an alias); EmailAddressInUse if anyone holds it. */
export async function claimAddress(db: Tx, orgId: string, entityId: string, email: string, isPrimary: boolean): Promise<void> {
  await checkAddressDomain(db, orgId, email);
  const taken = await db.selectFrom('wm_emails').select('entity_id').where('email_lower', '=', email.toLowerCase()).executeTakeFirst();
  if (taken) {
    if (taken.entity_id === entityId) {
      await db.updateTable('wm_emails').set({ is_primary: isPrimary ? 1 : 0 }).where('email_lower', '=', email.toLowerCase()).execute();
      return;
    }
    throw new EmailAddressInUse(`The email address ${email} is already in use.`);
  }
  await db
    .insertInto('wm_emails')
    .values({ email_lower: email.toLowerCase(), email: email.toLowerCase(), org_id: orgId, entity_id: entityId, is_primary: isPrimary ? 1 : 0 })
    .execute();
}

export async function releaseAddress(db: Tx, entityId: string, email: string): Promise<void> {
  await db.deleteFrom('wm_emails').where('entity_id', '=', entityId).where('email_lower', '=', email.toLowerCase()).execute();
}

export async function releaseAllAddresses(db: Tx, entityId: string): Promise<void> {
  await db.deleteFrom('wm_emails').where('entity_id', '=', entityId).execute();
}

export async function addressesOf(db: Reader, entityId: string, which: 'aliases' | 'all'): Promise<string[]> {
  let query = db.selectFrom('wm_emails').select('email').where('entity_id', '=', entityId);
  if (which === 'aliases') query = query.where('is_primary', '=', 0);
  return (await query.orderBy('email_lower').execute()).map((row) => row.email);
}
