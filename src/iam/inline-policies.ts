// Inline policies: documents embedded in one user or group, named without regard to case.
// Their size quotas differ by owner (2,048 characters for a user, 5,120 for a group, whitespace
// not counted); putting a policy under an existing name replaces it.
import { LimitExceeded, NoSuchEntity } from '../errors.ts';
import { writeTransaction, type Db } from '../store/database.ts';
import { iamChange } from '../store/changes.ts';
import { pageOf, type Page, type PageRequest } from '../store/page.ts';
import { getEntity, type Entity, type EntityRef, type EntityType } from './entities.ts';
import { checkPolicyDocument } from './policies.ts';

export const MAX_INLINE_POLICY_LENGTH: Record<EntityType, number> = { user: 2048, group: 5120 };

export interface InlinePolicy {
  name: string;
  document: string;
}

const noSuchInlinePolicy = (owner: EntityRef, policyName: string) =>
  new NoSuchEntity(`The ${owner.type} policy with name ${policyName} cannot be found.`);

export async function putInlinePolicy(db: Db, accountId: string, ref: EntityRef, policyName: string, document: string): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const owner = await getEntity(trx, accountId, ref);
    const max = MAX_INLINE_POLICY_LENGTH[owner.type];
    checkPolicyDocument(document, max, () => new LimitExceeded(`Maximum policy size of ${max} bytes exceeded for ${owner.type} ${owner.name}`));
    const row = { entity_type: owner.type, entity_id: owner.id, name: policyName, name_lower: policyName.toLowerCase(), document };
    // An upsert both engines speak: insert, or on the primary key replace name and document.
    await trx
      .insertInto('inline_policies')
      .values(row)
      .onConflict((oc) => oc.columns(['entity_type', 'entity_id', 'name_lower']).doUpdateSet({ name: policyName, document }))
      .execute();
  });
}

/** The named inline policy of a user or group, with the owner's name as stored. */
export async function getInlinePolicy(db: Db, accountId: string, ref: EntityRef, policyName: string): Promise<InlinePolicy & { owner: Entity }> {
  const owner = await getEntity(db, accountId, ref);
  const row = await db
    .selectFrom('inline_policies')
    .select(['name', 'document'])
    .where('entity_type', '=', owner.type)
    .where('entity_id', '=', owner.id)
    .where('name_lower', '=', policyName.toLowerCase())
    .executeTakeFirst();
  if (!row) throw noSuchInlinePolicy(owner, policyName);
  return { ...row, owner };
}

export async function deleteInlinePolicy(db: Db, accountId: string, ref: EntityRef, policyName: string): Promise<void> {
  await writeTransaction(db, iamChange(accountId), async (trx) => {
    const owner = await getEntity(trx, accountId, ref);
    const result = await trx
      .deleteFrom('inline_policies')
      .where('entity_type', '=', owner.type)
      .where('entity_id', '=', owner.id)
      .where('name_lower', '=', policyName.toLowerCase())
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw noSuchInlinePolicy(owner, policyName);
  });
}

export async function listInlinePolicyNames(db: Db, accountId: string, ref: EntityRef, page: PageRequest): Promise<Page<string>> {
  const owner = await getEntity(db, accountId, ref);
  let query = db
    .selectFrom('inline_policies')
    .select(['name', 'name_lower'])
    .where('entity_type', '=', owner.type)
    .where('entity_id', '=', owner.id);
  if (page.after !== undefined) query = query.where('name_lower', '>', page.after);
  const rows = await query.orderBy('name_lower').limit(page.limit + 1).execute();
  const slice = pageOf(rows, page, (row) => row.name_lower);
  return { ...slice, items: slice.items.map((row) => row.name) };
}

/** Every inline policy of an owner, by name, for GetAccountAuthorizationDetails. */
export async function allInlinePolicies(db: Db, owner: Pick<Entity, 'type' | 'id'>): Promise<InlinePolicy[]> {
  return db
    .selectFrom('inline_policies')
    .select(['name', 'document'])
    .where('entity_type', '=', owner.type)
    .where('entity_id', '=', owner.id)
    .orderBy('name_lower')
    .execute();
}
