import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, holds, run, single } from './helpers.ts';

const ME = 'arn:aws:iam::123456789012:user/alice';
const OTHER = 'arn:aws:iam::123456789012:user/bob';
const selfOnly = (version: string | null = '2012-10-17') =>
  single({ Effect: 'Allow', Action: 'iam:ChangePassword', Resource: 'arn:aws:iam::*:user/${aws:username}' }, version);

test('${aws:username} in Resource is replaced by the caller name (2012-10-17)', () => {
  assert.equal(decide(selfOnly(), 'iam:ChangePassword', ME, { 'aws:username': 'alice' }), 'allowed');
  assert.equal(decide(selfOnly(), 'iam:ChangePassword', OTHER, { 'aws:username': 'alice' }), 'implicitDeny');
});

test('a variable whose key is missing makes the resource not match, and is reported', () => {
  const r = run(selfOnly(), 'iam:ChangePassword', ME);
  assert.equal(r.decision, 'implicitDeny');
  assert.deepEqual(r.missingContextValues, ['aws:username']);
});

test('under 2008-10-17 or without Version the variable is literal text', () => {
  for (const v of ['2008-10-17', null]) {
    assert.equal(decide(selfOnly(v), 'iam:ChangePassword', ME, { 'aws:username': 'alice' }), 'implicitDeny', String(v));
    assert.equal(
      decide(selfOnly(v), 'iam:ChangePassword', 'arn:aws:iam::123456789012:user/${aws:username}', { 'aws:username': 'alice' }),
      'allowed',
      String(v),
    );
  }
  assert.equal(holds('StringEquals', 'x:y', '${aws:username}', { 'x:y': '${aws:username}', 'aws:username': 'a' }), false);
  const old = single({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'x:y': '${aws:username}' } } }, '2008-10-17');
  assert.equal(decide(old, 'iam:GetUser', '*', { 'x:y': '${aws:username}', 'aws:username': 'a' }), 'allowed');
});

test('default values apply when the key is missing', () => {
  const p = single({ Effect: 'Allow', Action: 's3:GetObject', Resource: "arn:aws:s3:::home/${aws:username, 'anon'}/*" });
  assert.equal(decide(p, 's3:GetObject', 'arn:aws:s3:::home/anon/x'), 'allowed');
  assert.equal(decide(p, 's3:GetObject', 'arn:aws:s3:::home/alice/x'), 'implicitDeny');
  assert.equal(decide(p, 's3:GetObject', 'arn:aws:s3:::home/alice/x', { 'aws:username': 'alice' }), 'allowed');
  assert.equal(decide(p, 's3:GetObject', 'arn:aws:s3:::home/anon/x', { 'aws:username': 'alice' }), 'implicitDeny');
  assert.deepEqual(run(p, 's3:GetObject', 'arn:aws:s3:::home/anon/x').missingContextValues, []);
});

test('${aws:PrincipalTag/team} and keys are looked up case-insensitively', () => {
  const p = single({ Effect: 'Allow', Action: 'workmail:*', Resource: 'arn:aws:workmail:*:*:organization/${aws:PrincipalTag/team}' });
  const org = 'arn:aws:workmail:us-east-1:1:organization/eng';
  assert.equal(decide(p, 'workmail:ListUsers', org, { 'AWS:PRINCIPALTAG/TEAM': 'eng' }), 'allowed');
  assert.equal(decide(p, 'workmail:ListUsers', org, { 'aws:PrincipalTag/team': 'ops' }), 'implicitDeny');
});

test('substituted values are literal: wildcards in them do not widen the match', () => {
  const p = single({ Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::*:user/${aws:PrincipalTag/home}' });
  assert.equal(decide(p, 'iam:GetUser', OTHER, { 'aws:PrincipalTag/home': '*' }), 'implicitDeny');
  assert.equal(decide(p, 'iam:GetUser', 'arn:aws:iam::123456789012:user/*', { 'aws:PrincipalTag/home': '*' }), 'allowed');
  assert.equal(holds('StringLike', 'x:path', 'home/${aws:PrincipalTag/home}/*', { 'x:path': 'home/other/a', 'aws:PrincipalTag/home': '*' }), false);
  assert.equal(holds('StringLike', 'x:path', 'home/${aws:PrincipalTag/home}/*', { 'x:path': 'home/a.b/c', 'aws:PrincipalTag/home': 'a.b' }), true);
});

test('${*}, ${?} and ${$} are the literal characters', () => {
  const p = single({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${*}${?}${$}' });
  assert.equal(decide(p, 's3:GetObject', 'arn:aws:s3:::b/*?$'), 'allowed');
  assert.equal(decide(p, 's3:GetObject', 'arn:aws:s3:::b/xy$'), 'implicitDeny');
  assert.equal(holds('StringLike', 'x:y', 'a${*}', { 'x:y': 'a*' }), true);
  assert.equal(holds('StringLike', 'x:y', 'a${*}', { 'x:y': 'ab' }), false);
  assert.equal(holds('StringEquals', 'x:y', 'cost${$}', { 'x:y': 'cost$' }), true);
});

test('variables in condition values', () => {
  const ctx = { 'aws:username': 'alice', 's3:prefix': 'home/alice/docs' };
  assert.equal(holds('StringLike', 's3:prefix', 'home/${aws:username}/*', ctx), true);
  assert.equal(holds('StringLike', 's3:prefix', 'home/${aws:username}/*', { ...ctx, 'aws:username': 'bob' }), false);
  assert.equal(holds('StringEquals', 'aws:PrincipalTag/owner', '${aws:username}', { 'aws:PrincipalTag/owner': 'alice', 'aws:username': 'alice' }), true);
  assert.equal(holds('StringEquals', 'x:y', ["${aws:username, 'anon'}"], { 'x:y': 'anon' }), true);
  assert.equal(holds('ArnLike', 'aws:SourceArn', 'arn:aws:iam::${aws:PrincipalAccount}:*', { 'aws:SourceArn': 'arn:aws:iam::123456789012:user/a', 'aws:PrincipalAccount': '123456789012' }), true);
  // A value whose variable cannot be resolved does not match; the others still can.
  assert.equal(holds('StringEquals', 'x:y', ['${aws:username}', 'fixed'], { 'x:y': 'fixed' }), true);
  assert.equal(holds('StringEquals', 'x:y', ['${aws:username}'], { 'x:y': '' }), false);
});

test('an unresolvable variable in a negated operator fails closed', () => {
  assert.equal(holds('StringNotEquals', 'x:y', '${aws:username}', { 'x:y': 'a' }), false);
  assert.equal(holds('StringNotEquals', 'x:y', '${aws:username}', { 'x:y': 'a' }, 'Deny'), true);
});

test('an unresolvable variable in NotResource: an Allow does not apply, a Deny does', () => {
  const allow = single({ Effect: 'Allow', Action: 'iam:*', NotResource: 'arn:aws:iam::*:user/${aws:username}' });
  assert.equal(decide(allow, 'iam:GetUser', OTHER, { 'aws:username': 'alice' }), 'allowed');
  assert.equal(decide(allow, 'iam:GetUser', OTHER), 'implicitDeny');
  const all = single({ Effect: 'Allow', Action: '*', Resource: '*' });
  const deny = single({ Effect: 'Deny', Action: 'iam:*', NotResource: 'arn:aws:iam::*:user/${aws:username}' });
  assert.equal(decide([all, deny], 'iam:GetUser', ME, { 'aws:username': 'alice' }), 'allowed');
  assert.equal(decide([all, deny], 'iam:GetUser', ME), 'explicitDeny');
});

test('a multivalued key used as a variable resolves to nothing', () => {
  const p = single({ Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::*:user/${x:names}' });
  assert.equal(decide(p, 'iam:GetUser', ME, { 'x:names': ['alice', 'bob'] }), 'implicitDeny');
  assert.equal(decide(p, 'iam:GetUser', ME, { 'x:names': ['alice'] }), 'allowed');
});

test('text that only looks like a variable stays literal', () => {
  const p = single({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${not a var}/${' });
  assert.equal(decide(p, 's3:GetObject', 'arn:aws:s3:::b/${not a var}/${'), 'allowed');
});
