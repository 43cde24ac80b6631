// One condition (operator, key, values) compiled into a function of the request context.
// AWS semantics, from the IAM User Guide's "Condition operators" and "Set operators" pages:
// - a missing key makes a condition false, except that negated operators (StringNotEquals,
//   NotIpAddress, ArnNotLike …) are then true, ...IfExists is true, ForAllValues is true
//   and ForAnyValue is false; Null tests presence itself;
// - several values for one key are ORed (for negated operators: the value matches none);
// - a multivalued context key without a qualifier matches when any of its values does
//   (negated: when none does).

import type { RequestContext } from './context.ts';
import { OPERATORS, parseOperator, type OperatorSpec, type ValueTest } from './operators.ts';
import { parseTemplate, resolveVariable, type Template } from './template.ts';
import type { ConditionEntry, Effect } from './types.ts';
import { arnPatternSource, cachedRegex, escapeRegex, globSource, type TextPart } from './wildcard.ts';

export type MissingSink = (key: string) => void;

export interface CompiledCondition {
  readonly key: string;
  evaluate(ctx: RequestContext, missing: MissingSink): boolean;
}

/** Marks an operator the evaluator does not implement; the statement compiler fails closed. */
export const UNKNOWN_OPERATOR = Symbol('unknown condition operator');

/** Resolves a template's variables into literal parts; undefined if one cannot be resolved. */
function resolveParts(t: Template, ctx: RequestContext, missing: MissingSink): TextPart[] | undefined {
  const out: TextPart[] = [];
  for (const p of t) {
    if (p.kind === 'variable') {
      const v = resolveVariable(p, ctx, missing);
      if (v === undefined) return undefined;
      out.push({ kind: 'literal', text: v });
    } else {
      out.push(p);
    }
  }
  return out;
}

/** The per-request test for values holding policy variables; substituted text is literal. */
function dynamicTest(base: string, spec: OperatorSpec, resolved: TextPart[][]): ValueTest {
  if (base === 'StringLike' || base === 'StringNotLike') {
    const res = resolved.map((parts) =>
      cachedRegex(parts.map((p) => (p.kind === 'pattern' ? globSource(p.text) : escapeRegex(p.text))).join('')),
    );
    return (v) => res.some((r) => r.test(v));
  }
  if (base.startsWith('Arn')) {
    const res = resolved.map((parts) => cachedRegex(arnPatternSource(parts)));
    return (v) => {
      if (!v.startsWith('arn:') || v.split(':', 6).length < 6) return null;
      return res.some((r) => r.test(v));
    };
  }
  return spec.build(resolved.map((parts) => parts.map((p) => p.text).join('')));
}

function compileNull(entry: ConditionEntry, keyLower: string): CompiledCondition {
  const wantAbsent = entry.values.some((v) => v.toLowerCase() === 'true');
  const wantPresent = entry.values.some((v) => v.toLowerCase() === 'false');
  return {
    key: entry.key,
    evaluate(ctx) {
      const e = ctx.getLower(keyLower);
      const present = e !== undefined && e.values.length > 0;
      return present ? wantPresent : wantAbsent;
    },
  };
}

export function compileCondition(
  entry: ConditionEntry,
  variablesEnabled: boolean,
  effect: Effect,
): CompiledCondition | typeof UNKNOWN_OPERATOR {
  const op = parseOperator(entry.operator);
  const keyLower = entry.key.toLowerCase();
  if (op.kind === 'unknown') return UNKNOWN_OPERATOR;
  if (op.kind === 'null') return compileNull(entry, keyLower);

  const spec = OPERATORS.get(op.base)!;
  const { negated } = spec;
  const { qualifier, ifExists, base } = op;
  const key = entry.key;
  const templates = variablesEnabled && spec.variables ? entry.values.map(parseTemplate) : [];
  const dynamic = templates.some((t) => t !== undefined);
  const staticTest = dynamic ? undefined : spec.build(entry.values);
  // What an unresolvable variable in a negated operator's values means is not documented;
  // dropping the value would widen a NotEquals, so the condition fails closed instead.
  const failClosed = effect === 'Deny';

  return {
    key,
    evaluate(ctx, missing) {
      const e = ctx.getLower(keyLower);
      if (e === undefined || e.values.length === 0) {
        if (ifExists) return true;
        missing(key);
        if (qualifier === 'ForAllValues') return true;
        if (qualifier === 'ForAnyValue') return false;
        return negated;
      }
      let test = staticTest;
      if (test === undefined) {
        const resolved: TextPart[][] = [];
        for (let i = 0; i < entry.values.length; i++) {
          const t = templates[i];
          if (t === undefined) {
            resolved.push([{ kind: 'pattern', text: entry.values[i]! }]);
            continue;
          }
          const parts = resolveParts(t, ctx, missing);
          if (parts) resolved.push(parts);
          else if (negated) return failClosed;
        }
        test = dynamicTest(base, spec, resolved);
      }
      const values = e.values;
      if (qualifier === 'ForAnyValue') {
        for (const v of values) if (test(v) === (negated ? false : true)) return true;
        return false;
      }
      if (qualifier === 'ForAllValues' || negated) {
        // Without a qualifier a negated operator holds when no value matches, which is the
        // same walk as ForAllValues over the negated test.
        for (const v of values) if (test(v) !== (negated ? false : true)) return false;
        return true;
      }
      for (const v of values) if (test(v) === true) return true;
      return false;
    },
  };
}
