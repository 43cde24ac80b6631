// STS: GetCallerIdentity (needs no permission, as in AWS) and GetAccessKeyInfo.
import { findAccessKey } from '../../iam/access-keys.ts';
import { operation, type ApiOperation } from '../operation.ts';

export const stsOperations: ApiOperation[] = [
  operation(
    'sts',
    'GetCallerIdentity',
    () => '*',
    async (_input, ctx) => ({ UserId: ctx.principal.userId, Account: ctx.principal.accountId, Arn: ctx.principal.arn }),
    { action: null },
  ),
  operation(
    'sts',
    'GetAccessKeyInfo',
    () => '*',
    async (input, ctx) => {
      // The account that owns the key; a key this server did not issue belongs to no account here.
      const key = await findAccessKey(ctx.db, input.AccessKeyId);
      return { Account: key?.account_id };
    },
  ),
];
