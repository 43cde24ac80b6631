// The users and groups that policies attach to and embed in, as a request names them.
import type { Db } from '../store/database.ts';
import { getGroup } from './groups.ts';
import { getUser } from './users.ts';

export type EntityType = 'user' | 'group';

/** A user or group by name, as a request gives it. */
export interface EntityRef {
  type: EntityType;
  name: string;
}

/** A user or group that exists: its id, and its name as stored (for messages). */
export interface Entity extends EntityRef {
  id: string;
}

/** The named user or group of the account; NoSuchEntity in AWS's words when there is none. */
export async function getEntity(db: Db, accountId: string, ref: EntityRef): Promise<Entity> {
  const row = ref.type === 'user' ? await getUser(db, accountId, ref.name) : await getGroup(db, accountId, ref.name);
  return { type: ref.type, id: row.id, name: row.name };
}
