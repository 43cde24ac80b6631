// Tags on IAM entities: keys unique without regard to case, at most 50 per entity.
import { LimitExceeded } from '../errors.ts';
import type { Db } from '../store/database.ts';

export interface Tag {
  Key: string;
  Value: string;
}

export const MAX_TAGS = 50;

type Executor = Pick<Db, 'selectFrom' | 'insertInto' | 'deleteFrom' | 'updateTable'>;

export async function listTags(db: Executor, entityType: string, entityId: string): Promise<Tag[]> {
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
export async function replaceTags(db: Executor, entityType: string, entityId: string, tags: Tag[]): Promise<void> {
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

export async function removeTags(db: Executor, entityType: string, entityId: string, keys: string[]): Promise<void> {
  if (!keys.length) return;
  await db
    .deleteFrom('tags')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .where('key_lower', 'in', keys.map((key) => key.toLowerCase()))
    .execute();
}
