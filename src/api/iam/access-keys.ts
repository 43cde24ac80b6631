// Access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey,
// GetAccessKeyLastUsed. UserName defaults to the caller; the root user, naming no user, manages
// its own keys.
import {
  accessKeyLastUsed,
  accessKeyOwnerArn,
  createAccessKey,
  deleteAccessKey,
  listAccessKeys,
  setAccessKeyStatus,
} from '../../iam/access-keys.ts';
import { ValidationError } from '../../errors.ts';
import { pageRequest, pageResult } from '../../iam/pages.ts';
import { operation, type ApiOperation } from '../operation.ts';
import { callerOrNamedUser, userArn } from './users.ts';

const iam = (name: string, resource: Parameters<typeof operation>[2], run: Parameters<typeof operation>[3]) =>
  operation('iam', name, resource, run);

export const accessKeysOperations: ApiOperation[] = [
  iam(
    'CreateAccessKey',
    (input, ctx) => userArn(ctx, callerOrNamedUser(ctx, input)),
    async (input, ctx) => {
      const key = await createAccessKey(ctx.db, ctx.box, ctx.principal.accountId, callerOrNamedUser(ctx, input), ctx.facts.now);
      return {
        AccessKey: {
          UserName: key.userName,
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
      const { userName, page } = await listAccessKeys(ctx.db, ctx.principal.accountId, callerOrNamedUser(ctx, input), pageRequest(input));
      return {
        AccessKeyMetadata: page.items.map((row) => ({
          UserName: userName,
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
      await setAccessKeyStatus(ctx.db, ctx.principal.accountId, callerOrNamedUser(ctx, input), input.AccessKeyId, input.Status);
      return {};
    },
  ),
  iam(
    'DeleteAccessKey',
    (input, ctx) => userArn(ctx, callerOrNamedUser(ctx, input)),
    async (input, ctx) => {
      await deleteAccessKey(ctx.db, ctx.principal.accountId, callerOrNamedUser(ctx, input), input.AccessKeyId);
      return {};
    },
  ),
  iam(
    'GetAccessKeyLastUsed',
    // The key's owner is the resource; a key that is not the account's is checked against the caller.
    async (input, ctx) => (await accessKeyOwnerArn(ctx.db, ctx.principal.accountId, input.AccessKeyId)) ?? ctx.principal.arn,
    async (input, ctx) => {
      // Uses are written in batches; flushing first makes every earlier request (this one too) visible.
      await ctx.identity.usage.flush();
      const { userName, lastUsed } = await accessKeyLastUsed(ctx.db, ctx.principal.accountId, input.AccessKeyId);
      return { UserName: userName, AccessKeyLastUsed: lastUsed };
    },
  ),
];
