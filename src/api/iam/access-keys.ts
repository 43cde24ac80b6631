// Access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey,
// GetAccessKeyLastUsed. UserName defaults to the caller; the root user, naming no user, manages
// its own keys.
import {
  createAccessKey,
  deleteAccessKey,
  findAccessKey,
  getOwnedAccessKey,
  lastUsedFromRow,
  listAccessKeys,
  noSuchAccessKey,
  setAccessKeyStatus,
} from '../../iam/access-keys.ts';
import { iamArn, rootArn } from '../../iam/arn.ts';
import { getUser } from '../../iam/users.ts';
import { ValidationError } from '../../errors.ts';
import { pageRequest, pageResult } from '../../store/page.ts';
import { operation, type ApiContext, type ApiOperation, type Input } from '../operation.ts';
import { callerOrNamedUser, userArn } from './users.ts';

const iam = (name: string, resource: Parameters<typeof operation>[2], run: Parameters<typeof operation>[3]) =>
  operation('iam', name, resource, run);

/** Whose keys the request is about: a user (by UserName or as the caller), or the root user (null id). */
async function keyOwner(ctx: ApiContext, input: Input): Promise<{ userId: string | null; userName: string | undefined }> {
  const name = callerOrNamedUser(ctx, input);
  if (name === undefined) return { userId: null, userName: undefined };
  const user = await getUser(ctx.db, ctx.principal.accountId, name);
  return { userId: user.id, userName: user.name };
}

/** GetAccessKeyLastUsed acts on the key's owner; an unknown key is checked against the caller. */
async function keyOwnerArn(ctx: ApiContext, accessKeyId: string): Promise<string> {
  const row = await findAccessKey(ctx.db, accessKeyId);
  if (!row || row.account_id !== ctx.principal.accountId) return ctx.principal.arn;
  if (row.user_id === null) return rootArn(row.account_id);
  const user = await ctx.db.selectFrom('users').select(['name', 'path']).where('id', '=', row.user_id).executeTakeFirstOrThrow();
  return iamArn(row.account_id, 'user', user.path, user.name);
}

export const accessKeysOperations: ApiOperation[] = [
  iam(
    'CreateAccessKey',
    (input, ctx) => userArn(ctx, callerOrNamedUser(ctx, input)),
    async (input, ctx) => {
      const owner = await keyOwner(ctx, input);
      const key = await createAccessKey(ctx.db, ctx.box, ctx.principal.accountId, owner.userId, ctx.facts.now);
      return {
        AccessKey: {
          UserName: owner.userName,
          AccessKeyId: key.accessKeyId,
          Status: key.status,
          SecretAccessKey: key.secretAccessKey,
          CreateDate: key.createDate,
        },
      };
    },
  ),
  iam(
    'ListAccessKeys',
    (input, ctx) => userArn(ctx, callerOrNamedUser(ctx, input)),
    async (input, ctx) => {
      const owner = await keyOwner(ctx, input);
      const page = await listAccessKeys(ctx.db, ctx.principal.accountId, owner.userId, pageRequest(input));
      return {
        AccessKeyMetadata: page.items.map((row) => ({
          UserName: owner.userName,
          AccessKeyId: row.id,
          Status: row.status,
          CreateDate: new Date(row.created_at),
        })),
        ...pageResult(page),
      };
    },
  ),
  iam(
    'UpdateAccessKey',
    (input, ctx) => userArn(ctx, callerOrNamedUser(ctx, input)),
    async (input, ctx) => {
      // The model's status enum also lists Expired, which only AWS itself may set.
      if (input.Status !== 'Active' && input.Status !== 'Inactive') {
        throw new ValidationError(
          `1 validation error detected: Value '${input.Status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
        );
      }
      const owner = await keyOwner(ctx, input);
      await getOwnedAccessKey(ctx.db, ctx.principal.accountId, owner.userId, input.AccessKeyId);
      await setAccessKeyStatus(ctx.db, input.AccessKeyId, input.Status);
      return {};
    },
  ),
  iam(
    'DeleteAccessKey',
    (input, ctx) => userArn(ctx, callerOrNamedUser(ctx, input)),
    async (input, ctx) => {
      const owner = await keyOwner(ctx, input);
      await getOwnedAccessKey(ctx.db, ctx.principal.accountId, owner.userId, input.AccessKeyId);
      await deleteAccessKey(ctx.db, input.AccessKeyId);
      return {};
    },
  ),
  iam(
    'GetAccessKeyLastUsed',
    (input, ctx) => keyOwnerArn(ctx, input.AccessKeyId),
    async (input, ctx) => {
      // Uses are written in batches; flushing first makes every earlier request (this one too) visible.
      await ctx.identity.usage.flush();
      const row = await findAccessKey(ctx.db, input.AccessKeyId);
      if (!row || row.account_id !== ctx.principal.accountId) throw noSuchAccessKey(input.AccessKeyId);
      const user = row.user_id === null ? undefined : await ctx.db.selectFrom('users').select('name').where('id', '=', row.user_id).executeTakeFirst();
      return { UserName: user?.name, AccessKeyLastUsed: lastUsedFromRow(row) };
    },
  ),
];
