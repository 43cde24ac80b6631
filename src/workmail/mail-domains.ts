// Mail domains of an organization. Each domain belongs to one organization on the server.
// The organization's test domain (`<alias>.<base domain>`) is verified from the start; other
// domains are verified against DNS (ownership TXT token, DKIM).
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/database.ts';
import type { WmMailDomainsTable } from '../store/schema.ts';
import { MailDomainInUse } from './errors.ts';

type Executor = Pick<Db, 'selectFrom' | 'insertInto'>;

export const newOwnershipToken = (): string => randomBytes(16).toString('hex');

/** Adds a mail domain row; refuses a domain that another organization (or this one) holds. */
export async function insertMailDomain(
  db: Executor,
  orgId: string,
  domain: string,
  options: { isTest: boolean },
  now: Date,
): Promise<WmMailDomainsTable> {
  const domainLower = domain.toLowerCase();
  const taken = await db.selectFrom('wm_mail_domains').select('org_id').where('domain_lower', '=', domainLower).executeTakeFirst();
  if (taken) throw new MailDomainInUse(`The domain ${domain} is already registered.`);
  const row: WmMailDomainsTable = {
    domain_lower: domainLower,
    domain: domainLower,
    org_id: orgId,
    is_test: options.isTest ? 1 : 0,
    ownership_token: newOwnershipToken(),
    dkim_selector: null,
    dkim_private_key: null,
    dkim_public_key: null,
    ownership_state: options.isTest ? 'VERIFIED' : 'PENDING',
    dkim_state: options.isTest ? 'VERIFIED' : 'PENDING',
    created_at: now.toISOString(),
  };
  await db.insertInto('wm_mail_domains').values(row).execute();
  return row;
}
