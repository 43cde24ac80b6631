// Who is calling: the account's root user or one of its IAM users, resolved from an access key.
import { rootArn, iamArn } from './arn.ts';
import type { Db } from '../store/database.ts';

export interface Principal {
  type: 'root' | 'user';
  accountId: string;
  arn: string;
  /** AIDA… for a user, the account id for root (as aws:userid reports it) */
  userId: string;
  userName: string | undefined;
  path: string;
  tags: Record<string, string>;
  accessKeyId: string | undefined;
}

export function rootPrincipal(accountId: string, accessKeyId?: string): Principal {
  return { type: 'root', accountId, arn: rootArn(accountId), userId: accountId, userName: undefined, path: '/', tags: {}, accessKeyId };
}

export async function loadUserPrincipal(db: Db, userId: string, accessKeyId?: string): Promise<Principal | undefined> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user) return undefined;
  const tags = await db
    .selectFrom('tags')
    .select(['key', 'value'])
    .where('entity_type', '=', 'user')
    .where('entity_id', '=', userId)
    .execute();
  return {
    type: 'user',
    accountId: user.account_id,
    arn: iamArn(user.account_id, 'user', user.path, user.name),
    userId: user.id,
    userName: user.name,
    path: user.path,
    tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
    accessKeyId,
  };
}
