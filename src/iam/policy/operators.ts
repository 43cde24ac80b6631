// The condition operators: for each, how to turn the policy's values into a test of one
// context value. A test answers true, false, or null when the context value cannot be read
// as the operator's type (a NumericEquals on "abc"): null never satisfies a condition,
// negated or not. Set qualifiers, IfExists and missing keys are handled in condition.ts.

import { cidrContains, parseCidr, parseIp, type Cidr, type IpAddress } from '../../net/cidr.ts';
import { compileArnPattern, compileGlob } from './wildcard.ts';

export type ValueTest = (contextValue: string) => boolean | null;

export interface OperatorSpec {
  /** Negated operators (StringNotEquals, NotIpAddress …): the test is the positive form, inverted by the caller. */
  readonly negated: boolean;
  /** Whether policy variables are expanded in this operator's values (string and ARN families). */
  readonly variables: boolean;
  build(policyValues: readonly string[]): ValueTest;
}

function stringEquals(values: readonly string[]): ValueTest {
  if (values.length === 1) {
    const only = values[0];
    return (v) => v === only;
  }
  const set = new Set(values);
  return (v) => set.has(v);
}

function stringEqualsIgnoreCase(values: readonly string[]): ValueTest {
  const set = new Set(values.map((x) => x.toLowerCase()));
  return (v) => set.has(v.toLowerCase());
}

function anyOf<T>(compiled: readonly T[], test: (c: T, v: string) => boolean): ValueTest {
  return (v) => {
    for (const c of compiled) if (test(c, v)) return true;
    return false;
  };
}

function stringLike(values: readonly string[]): ValueTest {
  return anyOf(values.map((p) => compileGlob(p)), (m, v) => m(v));
}

/** ARN operators only compare ARNs; anything else in the context is not comparable. */
function arnLike(values: readonly string[]): ValueTest {
  const matchers = values.map(compileArnPattern);
  return (v) => {
    if (!v.startsWith('arn:') || v.split(':', 6).length < 6) return null;
    for (const m of matchers) if (m(v)) return true;
    return false;
  };
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

const EPOCH = /^-?\d+(?:\.\d+)?$/;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds since the epoch from ISO 8601 (UTC unless an offset is given) or epoch seconds. */
export function parseDate(text: string): number | undefined {
  if (EPOCH.test(text)) return Math.round(Number(text) * 1000);
  const m = ISO_8601.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), frac ? Math.round(Number(frac) * 1000) : 0);
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

function ordered(parse: (t: string) => number | undefined, compare: (a: number, b: number) => boolean): OperatorSpec['build'] {
  return (values) => {
    const limits = values.map(parse).filter((x): x is number => x !== undefined);
    return (v) => {
      const n = parse(v);
      if (n === undefined) return null;
      for (const l of limits) if (compare(n, l)) return true;
      return false;
    };
  };
}

function bool(values: readonly string[]): ValueTest {
  const wanted = new Set(values.map((x) => x.toLowerCase()));
  return (v) => {
    const lower = v.toLowerCase();
    if (lower !== 'true' && lower !== 'false') return null;
    return wanted.has(lower);
  };
}

function binaryEquals(values: readonly string[]): ValueTest {
  const wanted = values.map((x) => Buffer.from(x, 'base64'));
  return (v) => {
    const got = Buffer.from(v, 'base64');
    for (const w of wanted) if (w.equals(got)) return true;
    return false;
  };
}

// The same few source addresses are tested against many statements: parse each once.
const ipCache = new Map<string, IpAddress | null>();
const IP_CACHE_LIMIT = 8192;

function parseIpCached(text: string): IpAddress | null {
  let ip = ipCache.get(text);
  if (ip === undefined) {
    if (ipCache.size >= IP_CACHE_LIMIT) ipCache.clear();
    ip = parseIp(text) ?? null;
    ipCache.set(text, ip);
  }
  return ip;
}

function ipAddress(values: readonly string[]): ValueTest {
  const blocks = values.map(parseCidr).filter((x): x is Cidr => x !== undefined);
  return (v) => {
    const ip = parseIpCached(v);
    if (!ip) return null;
    for (const b of blocks) if (cidrContains(b, ip)) return true;
    return false;
  };
}

const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

function spec(build: OperatorSpec['build'], negated = false, variables = false): OperatorSpec {
  return { build, negated, variables };
}

/** Every operator we implement, by its exact (case-sensitive) name without IfExists. */
export const OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map([
  ['StringEquals', spec(stringEquals, false, true)],
  ['StringNotEquals', spec(stringEquals, true, true)],
  ['StringEqualsIgnoreCase', spec(stringEqualsIgnoreCase, false, true)],
  ['StringNotEqualsIgnoreCase', spec(stringEqualsIgnoreCase, true, true)],
  ['StringLike', spec(stringLike, false, true)],
  ['StringNotLike', spec(stringLike, true, true)],
  ['NumericEquals', spec(ordered(parseNumber, eq))],
  ['NumericNotEquals', spec(ordered(parseNumber, eq), true)],
  ['NumericLessThan', spec(ordered(parseNumber, lt))],
  ['NumericLessThanEquals', spec(ordered(parseNumber, le))],
  ['NumericGreaterThan', spec(ordered(parseNumber, gt))],
  ['NumericGreaterThanEquals', spec(ordered(parseNumber, ge))],
  ['DateEquals', spec(ordered(parseDate, eq))],
  ['DateNotEquals', spec(ordered(parseDate, eq), true)],
  ['DateLessThan', spec(ordered(parseDate, lt))],
  ['DateLessThanEquals', spec(ordered(parseDate, le))],
  ['DateGreaterThan', spec(ordered(parseDate, gt))],
  ['DateGreaterThanEquals', spec(ordered(parseDate, ge))],
  ['Bool', spec(bool)],
  ['BinaryEquals', spec(binaryEquals)],
  ['IpAddress', spec(ipAddress)],
  ['NotIpAddress', spec(ipAddress, true)],
  ['ArnEquals', spec(arnLike, false, true)],
  ['ArnLike', spec(arnLike, false, true)],
  ['ArnNotEquals', spec(arnLike, true, true)],
  ['ArnNotLike', spec(arnLike, true, true)],
]);

export type SetQualifier = 'none' | 'ForAnyValue' | 'ForAllValues';

export interface ParsedOperator {
  readonly qualifier: SetQualifier;
  /** Name without qualifier and IfExists, e.g. StringLike. */
  readonly base: string;
  readonly ifExists: boolean;
  /** Null is not in OPERATORS: it tests presence, not values. */
  readonly kind: 'value' | 'null' | 'unknown';
}

export function parseOperator(name: string): ParsedOperator {
  let qualifier: SetQualifier = 'none';
  let rest = name;
  if (rest.startsWith('ForAnyValue:')) {
    qualifier = 'ForAnyValue';
    rest = rest.slice('ForAnyValue:'.length);
  } else if (rest.startsWith('ForAllValues:')) {
    qualifier = 'ForAllValues';
    rest = rest.slice('ForAllValues:'.length);
  }
  if (rest === 'Null') return { qualifier, base: rest, ifExists: false, kind: 'null' };
  if (OPERATORS.has(rest)) return { qualifier, base: rest, ifExists: false, kind: 'value' };
  if (rest.endsWith('IfExists')) {
    const base = rest.slice(0, -'IfExists'.length);
    if (OPERATORS.has(base)) return { qualifier, base, ifExists: true, kind: 'value' };
  }
  return { qualifier, base: rest, ifExists: false, kind: 'unknown' };
}

/** True for operator names the evaluator implements (callers may refuse others up front). */
export function isKnownConditionOperator(name: string): boolean {
  return parseOperator(name).kind !== 'unknown';
}
