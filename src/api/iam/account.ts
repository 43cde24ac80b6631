// The account itself: CreateAccountAlias, ListAccountAliases, DeleteAccountAlias, GetAccountSummary.
import { createAccountAlias, deleteAccountAlias, listAccountAliases } from '../../iam/account-aliases.ts';
import { accountSummary } from '../../iam/account-summary.ts';
import { pageRequest } from '../../iam/pages.ts';
import { operation, type ApiOperation } from '../operation.ts';

const iam = (name: string, run: Parameters<typeof operation>[3]) => operation('iam', name, () => '*', run);

export const accountOperations: ApiOperation[] = [
  iam('CreateAccountAlias', async (input, ctx) => {
    await createAccountAlias(ctx.db, ctx.principal.accountId, input.AccountAlias);
    return {};
  }),
  iam('ListAccountAliases', async (input, ctx) => {
    // An account has at most one alias, so there is never a second page; the Marker is still checked.
    pageRequest(input);
    return { AccountAliases: await listAccountAliases(ctx.db, ctx.principal.accountId), IsTruncated: false };
  }),
  iam('DeleteAccountAlias', async (input, ctx) => {
    await deleteAccountAlias(ctx.db, ctx.principal.accountId, input.AccountAlias);
    return {};
  }),
  iam('GetAccountSummary', async (_input, ctx) => ({ SummaryMap: await accountSummary(ctx.db, ctx.principal.accountId) })),
];
