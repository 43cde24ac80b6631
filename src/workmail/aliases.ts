// Aliases: extra addresses of a user, group or resource, on a domain of its organization. Each
// address is used once across the organization's entities (emails.ts), an entity holds at most
// 100 aliases, and its primary address is not an alias. Both hold under concurrency: the count
// and the claim are made under the organization's lock, and the address's key backs the claim.
import { isUniqueViolation, type Db, type Reader } from '../store/database.ts';
import { writeDirectory } from './directory-write.ts';
import { checkAddressDomain, claimAddress } from './emails.ts';
import { requireLiveEntity } from './entities.ts';
import { EmailAddressInUse, InvalidParameter, WorkMailLimitExceeded } from './errors.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';

export const MAX_ALIASES_PER_ENTITY = 100;

export async function createAlias(db: Db, orgId: string, entityId: string, alias: string): Promise<void> {
  try {
    await claimAlias(db, orgId, entityId, alias);
  } catch (error) {
    // The address's key has the last word, should a claim ever get past the lock.
    if (isUniqueViolation(error)) throw inUse(alias);
    throw error;
  }
}

const inUse = (alias: string) => new EmailAddressInUse(`The email address ${alias} is already in use.`);

async function claimAlias(db: Db, orgId: string, entityId: string, alias: string): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const entity = await requireLiveEntity(trx, orgId, entityId);
    await checkAddressDomain(trx, orgId, alias);
    // claimAddress would quietly re-flag an address the entity already holds; for an alias that
    // is a refusal, as for anyone else's address.
    const held = await trx.selectFrom('wm_emails').select('entity_id').where('email_lower', '=', alias.toLowerCase()).executeTakeFirst();
    if (held) throw inUse(alias);
    const { count } = await trx
      .selectFrom('wm_emails')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('entity_id', '=', entity.id)
      .where('is_primary', '=', 0)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_ALIASES_PER_ENTITY) {
      throw new WorkMailLimitExceeded(`An entity can have at most ${MAX_ALIASES_PER_ENTITY} aliases.`);
    }
    await claimAddress(trx, orgId, entity.id, alias, false);
  });
}

/** As in WorkMail, removing an address the entity does not hold succeeds; its primary address cannot be removed this way. */
export async function deleteAlias(db: Db, orgId: string, entityId: string, alias: string): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const entity = await requireLiveEntity(trx, orgId, entityId);
    const row = await trx
      .selectFrom('wm_emails')
      .select(['entity_id', 'is_primary'])
      .where('email_lower', '=', alias.toLowerCase())
      .executeTakeFirst();
    if (!row || row.entity_id !== entity.id) return;
    if (row.is_primary) throw new InvalidParameter(`${alias} is the primary address of ${entity.id}; it cannot be removed as an alias.`);
    await trx.deleteFrom('wm_emails').where('email_lower', '=', alias.toLowerCase()).execute();
  });
}

/** One page of the entity's aliases (its primary address excluded), in address order. */
export async function listAliases(db: Reader, orgId: string, entityId: string, page: TokenRequest): Promise<TokenPage<string>> {
  const entity = await requireLiveEntity(db, orgId, entityId);
  let query = db.selectFrom('wm_emails').select(['email', 'email_lower']).where('entity_id', '=', entity.id).where('is_primary', '=', 0);
  if (page.after !== undefined) query = query.where('email_lower', '>', page.after);
  const rows = await query.orderBy('email_lower').limit(page.limit + 1).execute();
  const result = tokenPage(rows, page, (row) => row.email_lower);
  return { items: result.items.map((row) => row.email), nextToken: result.nextToken };
}
