// Turns a validated policy document into matchers that do as little work per request as
// possible: action names lower-cased and sorted into exact / prefix / regex once, ARN
// patterns compiled once (per request only when they hold policy variables), conditions
// bound to their operator.

import { compileCondition, UNKNOWN_OPERATOR, type CompiledCondition, type MissingSink } from './condition.ts';
import type { RequestContext } from './context.ts';
import type { SourcePosition } from './errors.ts';
import { parseTemplate, resolveVariable, type Template } from './template.ts';
import type { Effect, PolicyDocument, PolicyStatement, PrincipalMap } from './types.ts';
import { ActionMatcher, arnPatternSource, cachedRegex, compileArnPattern, type TextPart } from './wildcard.ts';

export interface PolicySource {
  /** The policy's identity for reports, e.g. its ARN or "user/alice/inline/Foo". */
  readonly id: string;
  /** What kind of policy it is, e.g. 'IAM Policy', 'Resource Policy', 'PermissionsBoundary'. */
  readonly type: string;
}

export interface MatchedStatement {
  readonly sourcePolicyId: string;
  readonly sourcePolicyType: string;
  readonly sid?: string;
  readonly effect: Effect;
  readonly start: { readonly line: number; readonly column: number };
  readonly end: { readonly line: number; readonly column: number };
}

/** Outcome of one resource pattern: undefined when a policy variable could not be resolved. */
type ResourceTest = (resource: string, ctx: RequestContext, missing: MissingSink) => boolean | undefined;

export interface CompiledStatement {
  readonly effect: Effect;
  /** Reported as is in MatchedStatements; built once so evaluation allocates nothing. */
  readonly report: MatchedStatement;
  /** An Allow holding an operator we do not implement can never apply (fail closed). */
  readonly inert: boolean;
  readonly actions: ActionMatcher;
  readonly notAction: boolean;
  /** Absent for resource-policy statements without Resource (e.g. role trust policies). */
  readonly resources?: readonly ResourceTest[];
  readonly notResource: boolean;
  readonly principal?: PrincipalMatcher;
  readonly notPrincipal?: PrincipalMatcher;
  readonly conditions: readonly CompiledCondition[];
}

export interface CompiledPolicy {
  readonly source: PolicySource;
  readonly statements: readonly CompiledStatement[];
  /**
   * The statements whose Action/NotAction admits a given lower-cased action, in document
   * order, filled on first use. A server sees a few hundred distinct actions, so after warm-up
   * action matching costs one map lookup per policy.
   */
  readonly byAction: Map<string, readonly CompiledStatement[]>;
}

const ACTION_CACHE_LIMIT = 2048;

/** The statements of `policy` whose action part applies to `lowerAction`. */
export function statementsForAction(policy: CompiledPolicy, lowerAction: string): readonly CompiledStatement[] {
  let list = policy.byAction.get(lowerAction);
  if (list === undefined) {
    const colon = lowerAction.indexOf(':');
    const vendor = colon < 0 ? lowerAction : lowerAction.slice(0, colon);
    list = policy.statements.filter((st) => !st.inert && st.actions.matches(lowerAction, vendor) !== st.notAction);
    if (policy.byAction.size >= ACTION_CACHE_LIMIT) policy.byAction.clear();
    policy.byAction.set(lowerAction, list);
  }
  return list;
}

type PrincipalMatcher = (principalArn: string | undefined) => boolean;

function compileResource(pattern: string, variablesEnabled: boolean): ResourceTest {
  const template: Template | undefined = variablesEnabled ? parseTemplate(pattern) : undefined;
  if (!template) {
    const m = compileArnPattern(pattern);
    return (r) => m(r);
  }
  return (resource, ctx, missing) => {
    const parts: TextPart[] = [];
    for (const p of template) {
      if (p.kind !== 'variable') {
        parts.push(p);
        continue;
      }
      const v = resolveVariable(p, ctx, missing);
      if (v === undefined) return undefined;
      parts.push({ kind: 'literal', text: v });
    }
    return cachedRegex(arnPatternSource(parts)).test(resource);
  };
}

function accountOf(arn: string): string | undefined {
  const parts = arn.split(':', 6);
  return parts.length >= 5 ? parts[4] : undefined;
}

/**
 * Principal matching for resource policies: "*" matches anyone; an AWS account id or its
 * root ARN matches every principal of that account; other identifiers match exactly.
 */
function compilePrincipal(map: PrincipalMap): PrincipalMatcher {
  const ids: string[] = [];
  let any = false;
  for (const [type, values] of Object.entries(map)) {
    for (const v of values) {
      if (v === '*' && (type === '*' || type === 'AWS')) any = true;
      else ids.push(v);
    }
  }
  return (principalArn) => {
    if (any) return true;
    if (principalArn === undefined) return false;
    const account = accountOf(principalArn);
    for (const id of ids) {
      if (id === principalArn) return true;
      if (account !== undefined && (id === account || id === `arn:aws:iam::${account}:root`)) return true;
    }
    return false;
  };
}

function position(p: SourcePosition): { line: number; column: number } {
  return { line: p.line, column: p.column };
}

function compileStatement(st: PolicyStatement, source: PolicySource, variablesEnabled: boolean): CompiledStatement {
  const conditions: CompiledCondition[] = [];
  let inert = false;
  for (const c of st.conditions) {
    const compiled = compileCondition(c, variablesEnabled, st.effect);
    if (compiled !== UNKNOWN_OPERATOR) conditions.push(compiled);
    // An unknown operator in a Deny counts as satisfied (the Deny may still apply); in an
    // Allow it makes the whole statement inapplicable.
    else if (st.effect === 'Allow') inert = true;
  }
  const resourcePatterns = st.resource ?? st.notResource;
  return {
    effect: st.effect,
    report: {
      sourcePolicyId: source.id,
      sourcePolicyType: source.type,
      ...(st.sid !== undefined ? { sid: st.sid } : {}),
      effect: st.effect,
      start: position(st.start),
      end: position(st.end),
    },
    inert,
    actions: new ActionMatcher(st.action ?? st.notAction ?? []),
    notAction: st.notAction !== undefined,
    ...(resourcePatterns ? { resources: resourcePatterns.map((r) => compileResource(r, variablesEnabled)) } : {}),
    notResource: st.notResource !== undefined,
    ...(st.principal ? { principal: compilePrincipal(st.principal) } : {}),
    ...(st.notPrincipal ? { notPrincipal: compilePrincipal(st.notPrincipal) } : {}),
    conditions,
  };
}

export function compilePolicy(doc: PolicyDocument, source: PolicySource): CompiledPolicy {
  // Policy variables exist only in the 2012-10-17 language; before it `${…}` is plain text.
  const variablesEnabled = doc.version === '2012-10-17';
  const statements = doc.statements.map((s) => compileStatement(s, source, variablesEnabled));
  return { source, statements, byAction: new Map() };
}
