// Wildcard matching as IAM does it. `*` is any run of characters and `?` any one character.
// ARNs match segment by segment: in partition, service, region and account a wildcard stays
// inside its segment (it never crosses a ':'); in the resource part it may cross '/' and ':'.
// Patterns are turned into a regular expression once; literal patterns into a string compare.

/** Text where wildcards are active ('pattern') or must match as written ('literal'). */
export interface TextPart {
  readonly kind: 'pattern' | 'literal';
  readonly text: string;
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

export function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

const SPECIAL_CHARS: ReadonlySet<string> = new Set('\\^$.*+?()[]{}|/');

/** escapeRegex for one character, without a regex run per character. */
function escapeChar(ch: string): string {
  return SPECIAL_CHARS.has(ch) ? `\\${ch}` : ch;
}

export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/** Regex source for a plain glob over the whole string. */
export function globSource(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += escapeChar(ch);
  }
  return out;
}

/** A compiled whole-string glob, e.g. for StringLike; `ignoreCase` for action names. */
export function compileGlob(pattern: string, ignoreCase = false): (value: string) => boolean {
  if (!hasWildcard(pattern)) {
    if (!ignoreCase) return (v) => v === pattern;
    const lower = pattern.toLowerCase();
    return (v) => v.toLowerCase() === lower;
  }
  const re = new RegExp(`^${globSource(pattern)}$`, ignoreCase ? 'is' : 's');
  return (v) => re.test(v);
}

const ARN_HEADER_COLONS = 5;

/**
 * Regex source for an ARN pattern given as parts (text around policy variables is pattern,
 * substituted values literal). Colons inside substituted values do not count as separators.
 */
export function arnPatternSource(parts: readonly TextPart[]): string {
  let colons = 0;
  for (const p of parts) if (p.kind === 'pattern') for (const ch of p.text) if (ch === ':') colons++;
  // Fewer than six segments is no ARN pattern; it matches nothing rather than guessing how
  // its wildcards line up (a bare "*" is handled by the callers before this point).
  if (colons < ARN_HEADER_COLONS) return '(?!)';
  let seen = 0;
  let out = '';
  for (const p of parts) {
    if (p.kind === 'literal') {
      out += escapeRegex(p.text);
      continue;
    }
    for (const ch of p.text) {
      const inHeader = seen < ARN_HEADER_COLONS;
      if (ch === ':') {
        seen++;
        out += ':';
      } else if (ch === '*') {
        out += inHeader ? '[^:]*' : '.*';
      } else if (ch === '?') {
        out += inHeader ? '[^:]' : '.';
      } else {
        out += escapeChar(ch);
      }
    }
  }
  return out;
}

/** A compiled ARN pattern without variables. */
export function compileArnPattern(pattern: string): (arn: string) => boolean {
  if (pattern === '*') return () => true;
  if (!hasWildcard(pattern)) return (arn) => arn === pattern;
  const firstWildcard = Math.min(...['*', '?'].map((w) => pattern.indexOf(w)).filter((i) => i >= 0));
  const prefix = pattern.slice(0, firstWildcard);
  const headerColons = prefix.split(':').length - 1;
  // "arn:…:user/team-a/*": one trailing '*' past the header is a prefix test, no regex.
  if (firstWildcard === pattern.length - 1 && pattern.endsWith('*') && headerColons >= ARN_HEADER_COLONS) {
    return (arn) => arn.startsWith(prefix);
  }
  const re = new RegExp(`^${arnPatternSource([{ kind: 'pattern', text: pattern }])}$`, 's');
  // Most requests differ from most patterns in their first characters (service, account):
  // a prefix compare rejects them before the regex runs.
  return (arn) => arn.startsWith(prefix) && re.test(arn);
}

/**
 * Regexes built per request (patterns holding policy variables) are cached by source; the
 * cache is dropped wholesale when full, which is cheap and bounds memory.
 */
const dynamicCache = new Map<string, RegExp>();
const DYNAMIC_CACHE_LIMIT = 4096;

export function cachedRegex(source: string): RegExp {
  let re = dynamicCache.get(source);
  if (!re) {
    if (dynamicCache.size >= DYNAMIC_CACHE_LIMIT) dynamicCache.clear();
    re = new RegExp(`^${source}$`, 's');
    dynamicCache.set(source, re);
  }
  return re;
}

/**
 * Matches lower-cased action names against a statement's Action list. Most patterns are
 * either exact names or `service:Prefix*`, which need no regex at all.
 */
export class ActionMatcher {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];
  private readonly suffixes: [vendorColon: string, ending: string][] = [];
  private readonly regexes: RegExp[] = [];
  /** Vendors named by the patterns: a cheap first filter, vendors hold no wildcards. */
  private readonly services = new Set<string>();
  private readonly matchAll: boolean;

  constructor(patterns: readonly string[]) {
    let all = false;
    for (const raw of patterns) {
      const p = raw.toLowerCase();
      if (p === '*') {
        all = true;
        continue;
      }
      const colon = p.indexOf(':');
      this.services.add(p.slice(0, colon));
      const star = p.indexOf('*');
      const name = p.slice(colon + 1);
      if (!hasWildcard(p)) this.exact.add(p);
      else if (star === p.length - 1 && !p.includes('?')) this.prefixes.push(p.slice(0, -1));
      // "iam:*User": the vendor is already known to match, so only the ending is left.
      else if (star === colon + 1 && !hasWildcard(name.slice(1))) this.suffixes.push([p.slice(0, colon + 1), name.slice(1)]);
      else this.regexes.push(new RegExp(`^${globSource(p)}$`, 's'));
    }
    this.matchAll = all;
  }

  matches(lowerAction: string, lowerService: string): boolean {
    if (this.matchAll) return true;
    if (!this.services.has(lowerService)) return false;
    if (this.exact.has(lowerAction)) return true;
    for (const p of this.prefixes) if (lowerAction.startsWith(p)) return true;
    for (const [head, ending] of this.suffixes) {
      if (lowerAction.endsWith(ending) && lowerAction.length >= head.length + ending.length && lowerAction.startsWith(head)) return true;
    }
    for (const r of this.regexes) if (r.test(lowerAction)) return true;
    return false;
  }
}
