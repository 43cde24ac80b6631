// Tags on IAM entities: keys unique without regard to case, at most 50 per entity. The writes
// here are steps of the owning entity's change and run inside its write transaction.
import { LimitExceeded } from '../errors.ts';
import type { Db, Tx } from '../store/database.ts';
import { pageOfSorted, positionKey, type Page, type PageRequest } from '../store/page.ts';

export interface Tag {
  Key: string;
  Value: string;
}

export const MAX_TAGS = 50;

export async function listTags(db: Db, entityType: string, entityId: string): Promise<Tag[]> {
  const rows = await db
    .selectFrom('tags')
    .select(['key', 'value'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('position')
    .execute();
  return rows.map((row) => ({ Key: row.key, Value: row.value }));
}

/** Adds or overwrites tags; a key that differs only in case replaces the existing one. */
export async function replaceTags(db: Tx, entityType: string, entityId: string, tags: Tag[]): Promise<void> {
  const existing = await listTags(db, entityType, entityId);
  const merged = new Map(existing.map((tag) => [tag.Key.toLowerCase(), tag]));
  for (const tag of tags) merged.set(tag.Key.toLowerCase(), tag);
  if (merged.size > MAX_TAGS) {
    throw new LimitExceeded(`The number of tags has reached the maximum limit of ${MAX_TAGS}.`);
  }
  await db.deleteFrom('tags').where('entity_type', '=', entityType).where('entity_id', '=', entityId).execute();
  const rows = [...merged.values()].map((tag, position) => ({
    entity_type: entityType,
    entity_id: entityId,
    key: tag.Key,
    key_lower: tag.Key.toLowerCase(),
    value: tag.Value,
    position,
  }));
  if (rows.length) await db.insertInto('tags').values(rows).execute();
}

export async function removeTags(db: Tx, entityType: string, entityId: string, keys: string[]): Promise<void> {
  if (!keys.length) return;
  await db
    .deleteFrom('tags')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .where('key_lower', 'in', keys.map((key) => key.toLowerCase()))
    .execute();
}

/** A page of an entity's tags, kept in the order they were set; there are at most 50, so it is cut in memory. */
export function pageOfTags(tags: readonly Tag[], page: PageRequest): Page<Tag> {
  const indexed = tags.map((tag, index) => ({ tag, key: positionKey(index) }));
  const slice = pageOfSorted(indexed, page, (t) => t.key);
  return { ...slice, items: slice.items.map((t) => t.tag) };
}
