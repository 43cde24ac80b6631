import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MalformedPolicyError,
  parsePolicyDocument,
  PolicyGrammarError,
  type ParsePolicyOptions,
  type PolicyDocument,
} from '../../../src/iam/policy/index.ts';

function grammarError(doc: object | string, opts?: ParsePolicyOptions): PolicyGrammarError {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
  try {
    parsePolicyDocument(text, opts);
  } catch (e) {
    assert.ok(e instanceof PolicyGrammarError, `expected PolicyGrammarError, got ${String(e)}`);
    assert.ok(e instanceof MalformedPolicyError);
    return e;
  }
  assert.fail(`expected ${text} to be refused`);
}

function ok(doc: object, opts?: ParsePolicyOptions): PolicyDocument {
  return parsePolicyDocument(JSON.stringify(doc), opts);
}

const allow = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
const v12 = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });

test('a minimal policy parses into statements with positions', () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": {"Sid": "A1", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}\n}';
  const doc = parsePolicyDocument(text);
  assert.equal(doc.version, '2012-10-17');
  assert.equal(doc.kind, 'identity');
  assert.equal(doc.statements.length, 1);
  const st = doc.statements[0]!;
  assert.equal(st.sid, 'A1');
  assert.deepEqual(st.action, ['s3:*']);
  assert.deepEqual(st.resource, ['*']);
  assert.equal(st.start.line, 3);
  assert.equal(st.start.column, 16);
  assert.equal(st.end.line, 3);
  assert.equal(st.end.column, 83);
});

test('Version is optional but only the two AWS versions are accepted', () => {
  assert.equal(ok({ Statement: allow }).version, undefined);
  assert.equal(ok({ Version: '2008-10-17', Statement: allow }).version, '2008-10-17');
  const e = grammarError('{"Version": "2012-10-18", "Statement": []}');
  assert.equal(e.column, 13);
  assert.match(e.message, /Policy version "2012-10-18" is not supported/);
});

test('Id is kept; unknown top-level keys are refused at the key', () => {
  assert.equal(ok({ Version: '2012-10-17', Id: 'x', Statement: allow }).id, 'x');
  const e = grammarError('{"Version": "2012-10-17", "Statment": []}');
  assert.deepEqual([e.line, e.column], [1, 27]);
  assert.match(e.message, /Unknown field "Statment"/);
});

test('Statement is required and must be an object or array of objects', () => {
  assert.match(grammarError({ Version: '2012-10-17' }).message, /line 1, column 1: Missing required field Statement/);
  assert.match(grammarError({ Statement: 'x' }).message, /Statement must be an object, found a string/);
  assert.match(grammarError({ Statement: [allow, 3] }).message, /Statement must be an object, found a number/);
  assert.equal(ok({ Statement: [] }).statements.length, 0);
});

test('Effect is required and is Allow or Deny exactly', () => {
  const e = grammarError('{"Statement": {"Action": "s3:*", "Resource": "*"}}');
  assert.deepEqual([e.column, e.reason], [15, 'Missing required field Effect']);
  const bad = grammarError('{"Statement": {"Effect": "allow", "Action": "s3:*", "Resource": "*"}}');
  assert.equal(bad.column, 26);
  assert.match(bad.message, /Invalid effect: allow/);
});

test('exactly one of Action and NotAction', () => {
  assert.match(grammarError(v12({ Effect: 'Allow', Resource: '*' })).message, /Policy statement must contain actions\./);
  assert.match(grammarError(v12({ ...allow, NotAction: 's3:*' })).message, /both Action and NotAction/);
  assert.deepEqual(ok(v12({ Effect: 'Deny', NotAction: ['iam:*'], Resource: '*' })).statements[0]!.notAction, ['iam:*']);
});

test('exactly one of Resource and NotResource in identity policies', () => {
  assert.match(grammarError(v12({ Effect: 'Allow', Action: 's3:*' })).message, /Policy statement must contain resources\./);
  assert.match(grammarError(v12({ ...allow, NotResource: '*' })).message, /both Resource and NotResource/);
  assert.deepEqual(ok(v12({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::x' })).statements[0]!.notResource, ['arn:aws:s3:::x']);
});

test('empty Action and Resource arrays are refused', () => {
  const e = grammarError('{"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}}');
  assert.deepEqual([e.column, e.reason], [45, 'Policy statement must contain actions.']);
  assert.match(grammarError(v12({ ...allow, Resource: [] })).message, /must contain resources/);
});

test('action values: service:action with wildcards, or * alone', () => {
  for (const a of ['*', 's3:*', 'iam:Get*', 'iam:*User', 'workmail:?escribeUser', 'IAM:GetUser', 'execute-api:Invoke', 'route53domains:ListDomains']) {
    assert.doesNotThrow(() => ok(v12({ ...allow, Action: a })), a);
  }
  assert.match(grammarError(v12({ ...allow, Action: 'GetUser' })).message, /must be prefaced by a vendor/);
  assert.match(grammarError(v12({ ...allow, Action: 's3*:GetObject' })).message, /Vendor "s3\*" is not valid: the prefix must be \[a-z0-9-\]\+/);
  assert.match(grammarError(v12({ ...allow, Action: 'my_svc:Get' })).message, /Vendor "my_svc" is not valid/);
  assert.match(grammarError(v12({ ...allow, Action: 'iam:' })).message, /Action "iam:" is not valid/);
  assert.match(grammarError(v12({ ...allow, Action: 'iam:Get User' })).message, /is not valid/);
  assert.match(grammarError(v12({ ...allow, Action: ['s3:GetObject', 7] })).message, /each Action entry must be a string, found a number/);
});

test('resource values: * or an ARN of at least six segments', () => {
  for (const r of ['*', 'arn:aws:s3:::bucket/*', 'arn:aws:iam::*:user/${aws:username}', 'arn:aws:logs:us-east-1:123456789012:log-group:x:*', 'arn:*:workmail:*:*:organization/*']) {
    assert.doesNotThrow(() => ok(v12({ ...allow, Resource: r })), r);
  }
  for (const r of ['bucket', 'arn:aws:s3', 'arn:aws:iam::123', 'arn::s3:::b', 'arn:aws::::x', 'ARN:aws:s3:::b', '']) {
    assert.match(grammarError(v12({ ...allow, Resource: r })).message, /must be in ARN format or "\*"\./, r);
  }
  const e = grammarError('{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": ["*", "nope"]}}');
  assert.equal(e.column, 71);
});

test('Principal and NotPrincipal are refused in identity policies', () => {
  const e = grammarError('{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}}');
  assert.equal(e.reason, 'Policy document should not specify a principal.');
  assert.equal(e.column, 35);
  assert.equal(grammarError(v12({ ...allow, NotPrincipal: { AWS: '123456789012' } })).reason, 'Policy document should not specify a principal.');
});

test('resource policies require a Principal and may omit Resource', () => {
  const doc = ok(v12({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::123456789012:root'], Service: 'ses.amazonaws.com' }, Action: 'sts:AssumeRole' }), { kind: 'resource' });
  assert.deepEqual(doc.statements[0]!.principal, { AWS: ['arn:aws:iam::123456789012:root'], Service: ['ses.amazonaws.com'] });
  assert.deepEqual(ok(v12({ ...allow, Principal: '*' }), { kind: 'resource' }).statements[0]!.principal, { '*': ['*'] });
  assert.match(grammarError(v12(allow), { kind: 'resource' }).message, /Missing required field Principal/);
  assert.match(grammarError(v12({ ...allow, Principal: 'someone' }), { kind: 'resource' }).message, /must be "\*"/);
  assert.match(grammarError(v12({ ...allow, Principal: { Users: 'x' } }), { kind: 'resource' }).message, /Invalid principal type "Users"/);
});

test('Sid is alphanumeric and unique within the policy', () => {
  assert.equal(ok(v12({ ...allow, Sid: 'Abc123' })).statements[0]!.sid, 'Abc123');
  assert.match(grammarError(v12({ ...allow, Sid: 'has space' })).message, /\[0-9A-Za-z\]\*/);
  assert.match(grammarError(v12({ ...allow, Sid: 'dash-ed' })).message, /must be alpha-numeric/);
  const e = grammarError('{"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n {"Sid": "A", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}');
  assert.deepEqual([e.line, e.column], [2, 10]);
  assert.match(e.message, /must be unique/);
});

test('unknown statement keys are refused at the key', () => {
  const e = grammarError('{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Conditions": {}}}');
  assert.equal(e.column, 70);
  assert.match(e.message, /Unknown field "Conditions"/);
});

test('conditions: operator -> key -> scalar or array of scalars', () => {
  const doc = ok(v12({ ...allow, Condition: { StringEquals: { 'aws:username': ['a', 'b'], 's3:max-keys': 10 }, Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 'x:y': 1.50 } } }));
  const c = doc.statements[0]!.conditions;
  assert.deepEqual(
    c.map((x) => [x.operator, x.key, x.values]),
    [
      ['StringEquals', 'aws:username', ['a', 'b']],
      ['StringEquals', 's3:max-keys', ['10']],
      ['Bool', 'aws:SecureTransport', ['true']],
      ['NumericLessThan', 'x:y', ['1.5']],
    ],
  );
  // Numbers keep their written form.
  const raw = parsePolicyDocument('{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NumericEquals": {"a:b": 1.0}}}}');
  assert.deepEqual(raw.statements[0]!.conditions[0]!.values, ['1.0']);
});

test('condition shapes AWS refuses are refused with positions', () => {
  assert.match(grammarError(v12({ ...allow, Condition: 'x' })).message, /Condition must be an object/);
  assert.match(grammarError(v12({ ...allow, Condition: { StringEquals: 'x' } })).message, /Condition operator StringEquals must be an object/);
  assert.match(grammarError(v12({ ...allow, Condition: { StringEquals: {} } })).message, /must name at least one condition key/);
  assert.match(grammarError(v12({ ...allow, Condition: { StringEquals: { 'a:b': null } } })).message, /must be a string, number or boolean, found a null/);
  assert.match(grammarError(v12({ ...allow, Condition: { StringEquals: { 'a:b': [{}] } } })).message, /found an object/);
  assert.match(grammarError(v12({ ...allow, Condition: { StringEquals: { 'a:b': [] } } })).message, /must not be an empty array/);
  const e = grammarError('{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"String Equals": {"a:b": "c"}}}}');
  assert.equal(e.column, 84);
  assert.equal(e.reason, 'Invalid Condition type : String Equals');
});

test('well-formed but unknown operators pass the grammar; malformed ones do not', () => {
  assert.doesNotThrow(() => ok(v12({ ...allow, Condition: { StringFooBar: { 'a:b': 'c' } } })));
  assert.doesNotThrow(() => ok(v12({ ...allow, Condition: { 'ForAnyValue:Whatever': { 'a:b': 'c' } } })));
  for (const op of ['ForSomeValues:StringEquals', 'String-Equals', 'StringEquals1', '', 'ForAnyValue:']) {
    assert.match(grammarError(v12({ ...allow, Condition: { [op]: { 'a:b': 'c' } } })).message, /Invalid Condition type/, op);
  }
});
