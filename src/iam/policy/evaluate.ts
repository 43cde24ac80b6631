// The decision for one request over a set of compiled policies, as the IAM User Guide's
// evaluation logic describes it for a single policy type: any applicable Deny wins, else any
// applicable Allow, else the request is implicitly denied. Combining policy types (identity,
// permissions boundary, SCP, session policy) is the caller's job: evaluate each set and
// intersect the allows.

import { statementsForAction, type CompiledPolicy, type CompiledStatement, type MatchedStatement } from './compile.ts';
import type { MissingSink } from './condition.ts';
import type { RequestContext } from './context.ts';

export interface PolicyRequest {
  readonly action: string;
  /** The resource ARN, or "*" for actions that take no resource. */
  readonly resource: string;
  readonly context: RequestContext;
  /** Needed only when a policy has Principal/NotPrincipal (resource policies). */
  readonly principalArn?: string;
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface Evaluation {
  readonly decision: Decision;
  /** The Deny statements that applied for an explicit deny, else the Allow statements. */
  readonly matchedStatements: readonly MatchedStatement[];
  /** Condition keys (as the policy spells them) that applicable statements read but the context lacked. */
  readonly missingContextValues: readonly string[];
}

const NONE: readonly never[] = Object.freeze([]);

function resourceApplies(st: CompiledStatement, request: PolicyRequest, missing: MissingSink): boolean {
  const tests = st.resources;
  if (tests === undefined) return true;
  let unresolved = false;
  for (const t of tests) {
    const r = t(request.resource, request.context, missing);
    if (r === true) return !st.notResource;
    if (r === undefined) unresolved = true;
  }
  if (!st.notResource) return false;
  // A NotResource pattern we could not resolve might have excluded this resource: the
  // statement then applies only if that cannot widen access, i.e. for a Deny.
  return unresolved ? st.effect === 'Deny' : true;
}

function conditionsHold(st: CompiledStatement, request: PolicyRequest, missing: MissingSink): boolean {
  // Every condition is evaluated (no early exit) so missingContextValues is complete.
  let ok = true;
  for (const c of st.conditions) if (!c.evaluate(request.context, missing)) ok = false;
  return ok;
}

export function evaluate(request: PolicyRequest, policies: readonly CompiledPolicy[]): Evaluation {
  const action = request.action.toLowerCase();

  let denies: MatchedStatement[] | undefined;
  let allows: MatchedStatement[] | undefined;
  let missingKeys: string[] | undefined;
  let missingLower: Set<string> | undefined;
  const missing: MissingSink = (key) => {
    const lower = key.toLowerCase();
    if (missingLower?.has(lower)) return;
    (missingLower ??= new Set()).add(lower);
    (missingKeys ??= []).push(key);
  };

  for (const policy of policies) {
    for (const st of statementsForAction(policy, action)) {
      if (!resourceApplies(st, request, missing)) continue;
      if (st.principal && !st.principal(request.principalArn)) continue;
      if (st.notPrincipal && st.notPrincipal(request.principalArn)) continue;
      if (st.conditions.length > 0 && !conditionsHold(st, request, missing)) continue;
      if (st.effect === 'Deny') (denies ??= []).push(st.report);
      else (allows ??= []).push(st.report);
    }
  }

  const missingContextValues = missingKeys ?? NONE;
  if (denies) return { decision: 'explicitDeny', matchedStatements: denies, missingContextValues };
  if (allows) return { decision: 'allowed', matchedStatements: allows, missingContextValues };
  return { decision: 'implicitDeny', matchedStatements: NONE, missingContextValues };
}
