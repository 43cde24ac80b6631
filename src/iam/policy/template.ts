// Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}` …) in
// Resource and condition values. AWS only expands them in documents whose Version is
// 2012-10-17; older documents keep the text as written, so the compiler asks us only then.
//
// A template is split into parts so the matchers can treat the text around variables as a
// pattern (wildcards active) and the substituted values as literal text: a tag value holding
// `*` must not widen a Resource.

import type { RequestContext } from './context.ts';

export type TemplatePart =
  | { readonly kind: 'pattern'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'variable'; readonly key: string; readonly keyLower: string; readonly fallback?: string };

export type Template = readonly TemplatePart[];

// Inside `${…}`: a key, then optionally `, 'default'`.
const VARIABLE = /^\s*([^\s,'}]+)\s*(?:,\s*'([^']*)'\s*)?$/;
const SPECIAL: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/** Splits `text` into parts; returns undefined when it holds no variable at all. */
export function parseTemplate(text: string): Template | undefined {
  if (!text.includes('${')) return undefined;
  const parts: TemplatePart[] = [];
  let rest = 0;
  let found = false;
  for (let open = text.indexOf('${'); open >= 0; open = text.indexOf('${', open + 2)) {
    const close = text.indexOf('}', open + 2);
    if (close < 0) break;
    const inner = text.slice(open + 2, close);
    const special = SPECIAL[inner];
    const m = special === undefined ? VARIABLE.exec(inner) : null;
    // Text that only looks like the start of a variable stays as written.
    if (special === undefined && !m) continue;
    if (open > rest) parts.push({ kind: 'pattern', text: text.slice(rest, open) });
    if (special !== undefined) {
      parts.push({ kind: 'literal', text: special });
    } else {
      const key = m![1]!;
      const fallback = m![2];
      parts.push({ kind: 'variable', key, keyLower: key.toLowerCase(), ...(fallback !== undefined ? { fallback } : {}) });
    }
    rest = close + 1;
    open = close - 1;
    found = true;
  }
  if (!found) return undefined;
  if (rest < text.length) parts.push({ kind: 'pattern', text: text.slice(rest) });
  return parts;
}

/** The keys a template reads, as written. */
export function templateKeys(t: Template): string[] {
  const out: string[] = [];
  for (const p of t) if (p.kind === 'variable') out.push(p.key);
  return out;
}

/**
 * The value of one variable, or undefined when it cannot be resolved: key absent without a
 * default, or a multivalued key with several values (AWS gives those no single meaning, so
 * we do not guess). Absent keys are reported to `missing`.
 */
export function resolveVariable(
  part: Extract<TemplatePart, { kind: 'variable' }>,
  ctx: RequestContext,
  missing: (key: string) => void,
): string | undefined {
  const entry = ctx.getLower(part.keyLower);
  if (!entry || entry.values.length === 0) {
    if (part.fallback !== undefined) return part.fallback;
    missing(part.key);
    return undefined;
  }
  if (entry.values.length > 1) return undefined;
  return entry.values[0];
}

/**
 * Expands a template into text where every part is literal (for the equality operators).
 * Returns undefined when a variable cannot be resolved.
 */
export function expandLiteral(t: Template, ctx: RequestContext, missing: (key: string) => void): string | undefined {
  let out = '';
  for (const p of t) {
    if (p.kind === 'variable') {
      const v = resolveVariable(p, ctx, missing);
      if (v === undefined) return undefined;
      out += v;
    } else {
      out += p.text;
    }
  }
  return out;
}
