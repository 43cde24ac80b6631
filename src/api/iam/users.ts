// IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser, TagUser, UntagUser, ListUserTags.
import { accountCreatedAt } from '../../iam/accounts.ts';
import { iamArn } from '../../iam/arn.ts';
import { listTags } from '../../iam/tags.ts';
import { createUser, deleteUser, findUser, listUserTags, listUsers, noSuchUser, tagUser, untagUser, updateUser, userFromRow } from '../../iam/users.ts';
import type { UsersTable } from '../../store/schema.ts';
import { pageRequest, pageResult } from '../../iam/pages.ts';
import { operation, type ApiContext, type Input } from '../operation.ts';

const iam = (name: string, resource: Parameters<typeof operation>[2], run: Parameters<typeof operation>[3]) =>
  operation('iam', name, resource, run);

/**
 * A user of the caller's account by name, read through the account cache: an authorized call
 * usually reads the same user twice (its resource ARN, then the handler), and reads dominate.
 */
export function cachedUser(ctx: ApiContext, userName: string): Promise<UsersTable | undefined> {
  return ctx.identity.cache.read(ctx.principal.accountId, `user:${userName.toLowerCase()}`, () =>
    findUser(ctx.db, ctx.principal.accountId, userName),
  );
}

/** The ARN of a named user, with its real path when it exists (AWS reports the path in denials). */
export async function userArn(ctx: ApiContext, userName: string | undefined): Promise<string> {
  if (userName === undefined) return ctx.principal.arn;
  const path = (await cachedUser(ctx, userName))?.path;
  return iamArn(ctx.principal.accountId, 'user', path ?? '/', userName);
}

/** Operations that default to the calling user when UserName is left out (GetUser, ListAccessKeys, …). */
export function callerOrNamedUser(ctx: ApiContext, input: Input): string | undefined {
  return input.UserName ?? ctx.principal.userName;
}

export const userOperations = [
  iam(
    'CreateUser',
    (input, ctx) => iamArn(ctx.principal.accountId, 'user', input.Path ?? '/', input.UserName),
    async (input, ctx) => {
      const row = await createUser(ctx.db, ctx.principal.accountId, { userName: input.UserName, path: input.Path, tags: input.Tags }, ctx.facts.now);
      return { User: { ...userFromRow(row), Tags: input.Tags?.length ? input.Tags : undefined } };
    },
  ),
  iam(
    'GetUser',
    (input, ctx) => userArn(ctx, callerOrNamedUser(ctx, input)),
    async (input, ctx) => {
      const name = callerOrNamedUser(ctx, input);
      if (name === undefined) {
        // The root user calling GetUser without a name gets its own account identity, as in AWS.
        return { User: { UserId: ctx.principal.accountId, Arn: ctx.principal.arn, CreateDate: await accountCreatedAt(ctx.db, ctx.principal.accountId) } };
      }
      const row = await cachedUser(ctx, name);
      if (!row) throw noSuchUser(name);
      const tags = await ctx.identity.cache.read(ctx.principal.accountId, `tags:user:${row.id}`, () => listTags(ctx.db, 'user', row.id));
      return { User: { ...userFromRow(row), Tags: tags.length ? tags : undefined } };
    },
  ),
  iam(
    'ListUsers',
    (_input, ctx) => iamArn(ctx.principal.accountId, 'user', '/', ''),
    async (input, ctx) => {
      const page = await listUsers(ctx.db, ctx.principal.accountId, input.PathPrefix, pageRequest(input));
      return { Users: page.items.map(userFromRow), ...pageResult(page) };
    },
  ),
  iam(
    'UpdateUser',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      await updateUser(ctx.db, ctx.principal.accountId, input.UserName, { newUserName: input.NewUserName, newPath: input.NewPath });
      return {};
    },
  ),
  iam(
    'DeleteUser',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      await deleteUser(ctx.db, ctx.principal.accountId, input.UserName);
      return {};
    },
  ),
  iam(
    'TagUser',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      await tagUser(ctx.db, ctx.principal.accountId, input.UserName, input.Tags);
      return {};
    },
  ),
  iam(
    'UntagUser',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      await untagUser(ctx.db, ctx.principal.accountId, input.UserName, input.TagKeys);
      return {};
    },
  ),
  iam(
    'ListUserTags',
    (input, ctx) => userArn(ctx, input.UserName),
    async (input, ctx) => {
      const page = await listUserTags(ctx.db, ctx.principal.accountId, input.UserName, pageRequest(input));
      return { Tags: page.items, ...pageResult(page) };
    },
  ),
];
