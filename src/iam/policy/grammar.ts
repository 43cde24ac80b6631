// The IAM policy grammar, checked on the positioned JSON tree so that every refusal says
// where. Wording follows IAM's own MalformedPolicyDocument messages where we know them.

import { PolicyGrammarError, type SourcePosition } from './errors.ts';
import { parseJson, type JsonArray, type JsonMember, type JsonObject, type JsonValue } from './json.ts';
import type {
  ConditionEntry,
  Effect,
  PolicyDocument,
  PolicyKind,
  PolicyStatement,
  PolicyVersion,
  PrincipalMap,
} from './types.ts';

export interface ParsePolicyOptions {
  /** Identity policies refuse Principal; resource policies require it. Default: identity. */
  readonly kind?: PolicyKind;
}

const VERSIONS: ReadonlySet<string> = new Set(['2008-10-17', '2012-10-17']);
const TOP_LEVEL_KEYS: ReadonlySet<string> = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS: ReadonlySet<string> = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);
const PRINCIPAL_TYPES: ReadonlySet<string> = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

const SID = /^[0-9A-Za-z]*$/;
// IAM documents action prefixes and names as case-insensitive, so "IAM:GetUser" is as valid
// as "iam:GetUser"; the vendor itself may not hold wildcards.
const VENDOR = /^[A-Za-z0-9-]+$/;
const ACTION_NAME = /^[A-Za-z0-9_*?-]+$/;
// Qualifier, then a name made of letters only; whether the name is an operator we implement
// is the evaluator's question (it fails closed on the ones it does not know).
const OPERATOR = /^(?:(?:ForAllValues|ForAnyValue):)?[A-Za-z]+$/;
const CONDITION_KEY = /^[^\s]+$/;

function fail(reason: string, at: SourcePosition): never {
  throw new PolicyGrammarError(reason, at);
}

function describeKind(v: JsonValue): string {
  return v.kind === 'array' ? 'an array' : v.kind === 'object' ? 'an object' : `a ${v.kind}`;
}

function expectObject(v: JsonValue, what: string): JsonObject {
  if (v.kind !== 'object') fail(`${what} must be an object, found ${describeKind(v)}`, v.start);
  return v;
}

function expectString(v: JsonValue, what: string): string {
  if (v.kind !== 'string') fail(`${what} must be a string, found ${describeKind(v)}`, v.start);
  return v.value;
}

/** A string or a non-empty array of strings, the shape of Action, Resource and friends. */
function stringList(v: JsonValue, what: string, emptyReason: string): { value: string; start: SourcePosition }[] {
  if (v.kind === 'string') return [{ value: v.value, start: v.start }];
  if (v.kind !== 'array') fail(`${what} must be a string or an array of strings, found ${describeKind(v)}`, v.start);
  if (v.items.length === 0) fail(emptyReason, v.start);
  return v.items.map((item) => ({ value: expectString(item, `each ${what} entry`), start: item.start }));
}

function checkAction(action: string, at: SourcePosition): void {
  if (action === '*') return;
  const colon = action.indexOf(':');
  if (colon < 0) fail('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.', at);
  const vendor = action.slice(0, colon);
  const name = action.slice(colon + 1);
  if (!VENDOR.test(vendor)) fail(`Vendor ${JSON.stringify(vendor)} is not valid: the prefix must be [a-z0-9-]+`, at);
  if (!ACTION_NAME.test(name)) fail(`Action ${JSON.stringify(action)} is not valid: expected vendor:ActionName`, at);
}

function checkResource(resource: string, at: SourcePosition): void {
  if (resource === '*') return;
  const parts = resource.split(':', 6);
  if (parts.length < 6 || parts[0] !== 'arn') fail(`Resource ${resource} must be in ARN format or "*".`, at);
  if (parts[1] === '' || parts[2] === '') fail(`Resource ${resource} must be in ARN format or "*".`, at);
}

function parsePrincipal(v: JsonValue, what: string): PrincipalMap {
  if (v.kind === 'string') {
    if (v.value !== '*') fail(`${what} must be "*" or an object such as {"AWS": "arn:aws:iam::123456789012:root"}`, v.start);
    return { '*': ['*'] };
  }
  const obj = expectObject(v, what);
  if (obj.members.length === 0) fail(`${what} must name at least one principal`, obj.start);
  const out: Record<string, readonly string[]> = {};
  for (const m of obj.members) {
    if (!PRINCIPAL_TYPES.has(m.key)) fail(`Invalid principal type ${JSON.stringify(m.key)} in ${what}`, m.keyStart);
    out[m.key] = stringList(m.value, `${what} ${m.key}`, `${what} ${m.key} must not be empty`).map((x) => x.value);
  }
  return out;
}

function conditionValue(v: JsonValue, key: string): string {
  switch (v.kind) {
    case 'string':
      return v.value;
    case 'number':
      return v.raw;
    case 'boolean':
      return v.value ? 'true' : 'false';
    default:
      return fail(`Condition value for ${key} must be a string, number or boolean, found ${describeKind(v)}`, v.start);
  }
}

function parseConditions(v: JsonValue): ConditionEntry[] {
  const block = expectObject(v, 'Condition');
  const out: ConditionEntry[] = [];
  for (const op of block.members) {
    if (!OPERATOR.test(op.key)) fail(`Invalid Condition type : ${op.key}`, op.keyStart);
    const keys = expectObject(op.value, `Condition operator ${op.key}`);
    if (keys.members.length === 0) fail(`Condition operator ${op.key} must name at least one condition key`, keys.start);
    for (const k of keys.members) {
      if (!CONDITION_KEY.test(k.key)) fail(`Condition key ${JSON.stringify(k.key)} is not valid`, k.keyStart);
      let values: string[];
      if (k.value.kind === 'array') {
        // An empty list would make the condition's meaning depend on operator corner cases;
        // refusing it is the conservative reading.
        if (k.value.items.length === 0) fail(`Condition values for ${k.key} must not be an empty array`, k.value.start);
        values = (k.value as JsonArray).items.map((item) => conditionValue(item, k.key));
      } else {
        values = [conditionValue(k.value, k.key)];
      }
      out.push({ operator: op.key, key: k.key, values, start: k.keyStart });
    }
  }
  return out;
}

function parseStatement(node: JsonValue, index: number, kind: PolicyKind, sids: Map<string, JsonMember>): PolicyStatement {
  const obj = expectObject(node, 'Statement');
  const byKey = new Map<string, JsonMember>();
  for (const m of obj.members) {
    if (!STATEMENT_KEYS.has(m.key)) fail(`Unknown field ${JSON.stringify(m.key)} in policy statement`, m.keyStart);
    byKey.set(m.key, m);
  }

  let sid: string | undefined;
  const sidMember = byKey.get('Sid');
  if (sidMember) {
    sid = expectString(sidMember.value, 'Sid');
    if (!SID.test(sid)) {
      fail('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*', sidMember.value.start);
    }
    const first = sids.get(sid);
    if (first && sid !== '') fail(`Statement IDs (SID) in a single policy must be unique: ${JSON.stringify(sid)} is used twice`, sidMember.value.start);
    sids.set(sid, sidMember);
  }

  const effectMember = byKey.get('Effect');
  if (!effectMember) fail('Missing required field Effect', obj.start);
  const effect = expectString(effectMember.value, 'Effect');
  if (effect !== 'Allow' && effect !== 'Deny') fail(`Invalid effect: ${effect} (expected "Allow" or "Deny")`, effectMember.value.start);

  const actionMember = byKey.get('Action');
  const notActionMember = byKey.get('NotAction');
  if (actionMember && notActionMember) fail('A statement must not contain both Action and NotAction', notActionMember.keyStart);
  const anyAction = actionMember ?? notActionMember;
  if (!anyAction) fail('Policy statement must contain actions.', obj.start);
  const actions = stringList(anyAction.value, anyAction.key, 'Policy statement must contain actions.');
  for (const a of actions) checkAction(a.value, a.start);

  const resourceMember = byKey.get('Resource');
  const notResourceMember = byKey.get('NotResource');
  if (resourceMember && notResourceMember) fail('A statement must not contain both Resource and NotResource', notResourceMember.keyStart);
  const anyResource = resourceMember ?? notResourceMember;
  if (!anyResource && kind === 'identity') fail('Policy statement must contain resources.', obj.start);
  const resources = anyResource
    ? stringList(anyResource.value, anyResource.key, 'Policy statement must contain resources.')
    : undefined;
  if (resources) for (const r of resources) checkResource(r.value, r.start);

  const principalMember = byKey.get('Principal');
  const notPrincipalMember = byKey.get('NotPrincipal');
  let principal: PrincipalMap | undefined;
  let notPrincipal: PrincipalMap | undefined;
  if (kind === 'identity') {
    const p = principalMember ?? notPrincipalMember;
    if (p) fail('Policy document should not specify a principal.', p.keyStart);
  } else {
    if (principalMember && notPrincipalMember) fail('A statement must not contain both Principal and NotPrincipal', notPrincipalMember.keyStart);
    if (!principalMember && !notPrincipalMember) fail('Missing required field Principal', obj.start);
    if (principalMember) principal = parsePrincipal(principalMember.value, 'Principal');
    if (notPrincipalMember) notPrincipal = parsePrincipal(notPrincipalMember.value, 'NotPrincipal');
  }

  const conditionMember = byKey.get('Condition');
  const conditions = conditionMember ? parseConditions(conditionMember.value) : [];

  const actionList = actions.map((a) => a.value);
  const resourceList = resources?.map((r) => r.value);
  return {
    index,
    ...(sid !== undefined ? { sid } : {}),
    effect: effect as Effect,
    ...(actionMember ? { action: actionList } : { notAction: actionList }),
    ...(resourceList ? (resourceMember ? { resource: resourceList } : { notResource: resourceList }) : {}),
    ...(principal ? { principal } : {}),
    ...(notPrincipal ? { notPrincipal } : {}),
    conditions,
    start: obj.start,
    end: obj.end,
  };
}

/** Checks the IAM grammar on an already parsed JSON tree. */
export function validatePolicy(root: JsonValue, opts: ParsePolicyOptions = {}): PolicyDocument {
  const kind = opts.kind ?? 'identity';
  const doc = expectObject(root, 'The policy document');
  let version: PolicyVersion | undefined;
  let id: string | undefined;
  let statementMember: JsonMember | undefined;
  for (const m of doc.members) {
    if (!TOP_LEVEL_KEYS.has(m.key)) fail(`Unknown field ${JSON.stringify(m.key)} at the top of the policy document`, m.keyStart);
    if (m.key === 'Version') {
      const v = expectString(m.value, 'Version');
      if (!VERSIONS.has(v)) fail(`Policy version ${JSON.stringify(v)} is not supported: use "2012-10-17" or "2008-10-17"`, m.value.start);
      version = v as PolicyVersion;
    } else if (m.key === 'Id') {
      id = expectString(m.value, 'Id');
    } else {
      statementMember = m;
    }
  }
  if (!statementMember) fail('Missing required field Statement', doc.start);
  const list = statementMember.value.kind === 'array' ? statementMember.value.items : [statementMember.value];
  const sids = new Map<string, JsonMember>();
  const statements = list.map((s, i) => parseStatement(s, i, kind, sids));
  return {
    kind,
    ...(version ? { version } : {}),
    ...(id !== undefined ? { id } : {}),
    statements,
  };
}

/** Parses and validates a policy document, throwing a MalformedPolicyError subclass. */
export function parsePolicyDocument(text: string, opts: ParsePolicyOptions = {}): PolicyDocument {
  return validatePolicy(parseJson(text), opts);
}
