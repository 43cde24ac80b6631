// Shared test helpers: build policies from objects and decide requests in one call.

import {
  compilePolicy,
  evaluate,
  parsePolicyDocument,
  RequestContext,
  type CompiledPolicy,
  type ContextInput,
  type Evaluation,
  type PolicyKind,
} from '../../../src/iam/policy/index.ts';

export function policy(doc: object | string, id = 'test-policy', kind: PolicyKind = 'identity'): CompiledPolicy {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
  return compilePolicy(parsePolicyDocument(text, { kind }), { id, type: kind === 'identity' ? 'IAM Policy' : 'Resource Policy' });
}

/** A policy with one statement; 2012-10-17 unless told otherwise, null for no Version element. */
export function single(statement: Record<string, unknown>, version: string | null = '2012-10-17'): CompiledPolicy {
  return policy({ ...(version ? { Version: version } : {}), Statement: [statement] });
}

export function run(
  policies: CompiledPolicy | CompiledPolicy[],
  action: string,
  resource: string,
  context: Record<string, ContextInput> = {},
  principalArn?: string,
): Evaluation {
  return evaluate(
    { action, resource, context: RequestContext.from(context), ...(principalArn ? { principalArn } : {}) },
    Array.isArray(policies) ? policies : [policies],
  );
}

export function decide(
  policies: CompiledPolicy | CompiledPolicy[],
  action: string,
  resource: string,
  context: Record<string, ContextInput> = {},
): Evaluation['decision'] {
  return run(policies, action, resource, context).decision;
}

/** An Allow of s3:GetObject on * guarded by one condition: true when the condition holds. */
export function holds(
  operator: string,
  key: string,
  values: string | number | boolean | (string | number | boolean)[],
  context: Record<string, ContextInput>,
  effect: 'Allow' | 'Deny' = 'Allow',
): boolean {
  const p = single({ Effect: effect, Action: 's3:GetObject', Resource: '*', Condition: { [operator]: { [key]: values } } });
  const d = decide(p, 's3:GetObject', 'arn:aws:s3:::b/k', context);
  return effect === 'Allow' ? d === 'allowed' : d === 'explicitDeny';
}
