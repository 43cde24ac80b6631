// Tags on WorkMail organizations, by ARN: at most 50, keys case-sensitive as in WorkMail. A tag
// change is a change of the organization, made under its lock so that the limit holds; the
// organization may be in any state (a deleted one keeps its ARN, and its tags).
import { directoryChange } from '../store/changes.ts';
import { writeTransaction, type Db, type Reader, type Tx } from '../store/database.ts';
import { TooManyTags } from './errors.ts';

export interface WorkMailTag {
  Key: string;
  Value: string;
}

export const MAX_TAGS = 50;

export async function listTags(db: Reader, arn: string): Promise<WorkMailTag[]> {
  const rows = await db.selectFrom('wm_tags').select(['key', 'value']).where('resource_arn', '=', arn).orderBy('position').execute();
  return rows.map((row) => ({ Key: row.key, Value: row.value }));
}

export async function tagResource(db: Db, orgId: string, arn: string, tags: WorkMailTag[]): Promise<void> {
  await writeTransaction(db, directoryChange(orgId), async (trx) => {
    const current = await trx.selectFrom('wm_tags').select(['key', 'value']).where('resource_arn', '=', arn).orderBy('position').execute();
    const merged = new Map(current.map((row) => [row.key, row.value]));
    for (const tag of tags) merged.set(tag.Key, tag.Value);
    if (merged.size > MAX_TAGS) throw new TooManyTags(`A resource can have at most ${MAX_TAGS} tags.`);
    await trx.deleteFrom('wm_tags').where('resource_arn', '=', arn).execute();
    const rows = [...merged].map(([key, value], position) => ({ resource_arn: arn, key, value, position }));
    if (rows.length) await trx.insertInto('wm_tags').values(rows).execute();
  });
}

export async function untagResource(db: Db, orgId: string, arn: string, keys: string[]): Promise<void> {
  if (!keys.length) return;
  await writeTransaction(db, directoryChange(orgId), (trx) => trx.deleteFrom('wm_tags').where('resource_arn', '=', arn).where('key', 'in', keys).execute());
}

export async function dropTags(db: Tx, arn: string): Promise<void> {
  await db.deleteFrom('wm_tags').where('resource_arn', '=', arn).execute();
}
