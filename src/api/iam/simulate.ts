// The policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy) and the account's
// authorization snapshot (GetAccountAuthorizationDetails).
import { InvalidInput } from '../../errors.ts';
import { getAuthorizationDetails } from '../../iam/authorization-details.ts';
import { pageOfSorted, positionKey } from '../../store/page.ts';
import {
  compileInputPolicies,
  compileResourcePolicy,
  contextFromEntries,
  loadSimulatedPrincipal,
  ownerAccount,
  simulate,
  type SimulatedPrincipal,
  type SimulationResult,
} from '../../iam/simulate.ts';
import { pageRequest, pageResult } from '../../iam/pages.ts';
import { operation, type ApiContext, type Input } from '../operation.ts';
import { urlEncodeDocument } from './policies.ts';

const iam = (name: string, resource: Parameters<typeof operation>[2], run: Parameters<typeof operation>[3]) =>
  operation('iam', name, resource, run);

/** Runs a simulation for the request's actions and resources; `principal` is absent for custom policies. */
function runSimulation(ctx: ApiContext, input: Input, principal: SimulatedPrincipal | undefined) {
  const callerArn: string | undefined = input.CallerArn ?? principal?.callerArn;
  if (input.ResourcePolicy !== undefined && callerArn === undefined) {
    throw new InvalidInput('CallerArn is required when ResourcePolicy is given and PolicySourceArn is not the ARN of a user.');
  }
  const owner = ownerAccount(input.ResourceOwner);
  const callerAccount = callerArn?.split(':')[4] ?? ctx.principal.accountId;
  const results = simulate({
    actions: input.ActionNames,
    resources: input.ResourceArns,
    context: contextFromEntries(input.ContextEntries),
    identityPolicies: [...(principal?.policies ?? []), ...compileInputPolicies(input.PolicyInputList, 'PolicyInputList')],
    boundaryPolicies: input.PermissionsBoundaryPolicyInputList
      ? compileInputPolicies(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList')
      : principal?.boundary,
    resourcePolicy: input.ResourcePolicy !== undefined ? compileResourcePolicy(input.ResourcePolicy) : undefined,
    callerArn,
    crossAccount: owner !== undefined && owner !== callerAccount,
  });
  const indexed = results.map((result, index) => ({ result, key: positionKey(index) }));
  const page = pageOfSorted<{ result: SimulationResult; key: string }>(indexed, pageRequest(input), (r) => r.key);
  return { EvaluationResults: page.items.map((r) => r.result), ...pageResult(page) };
}

export const simulateOperations = [
  iam(
    'SimulatePrincipalPolicy',
    (input) => input.PolicySourceArn,
    async (input, ctx) => runSimulation(ctx, input, await loadSimulatedPrincipal(ctx.db, ctx.principal.accountId, input.PolicySourceArn)),
  ),
  iam(
    'SimulateCustomPolicy',
    () => '*',
    async (input, ctx) => runSimulation(ctx, input, undefined),
  ),
  iam(
    'GetAccountAuthorizationDetails',
    () => '*',
    async (input, ctx) => {
      const details = await getAuthorizationDetails(ctx.db, ctx.principal.accountId, input.Filter, pageRequest(input));
      const encodeInline = <T extends { PolicyName: string; PolicyDocument: string }>(list: T[]) =>
        list.map((p) => ({ ...p, PolicyDocument: urlEncodeDocument(p.PolicyDocument) }));
      return {
        UserDetailList: details.users.map((u) => ({ ...u, UserPolicyList: encodeInline(u.UserPolicyList) })),
        GroupDetailList: details.groups.map((g) => ({ ...g, GroupPolicyList: encodeInline(g.GroupPolicyList) })),
        RoleDetailList: [],
        Policies: details.policies.map((p) => ({
          ...p,
          PolicyVersionList: p.PolicyVersionList.map((v) => ({ ...v, Document: urlEncodeDocument(v.Document!) })),
        })),
        IsTruncated: details.isTruncated,
        Marker: details.next,
      };
    },
  ),
];
