import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isKnownConditionOperator } from '../../../src/iam/policy/index.ts';
import { decide, holds, run, single } from './helpers.ts';

test('StringEquals: exact, case-sensitive values; values ORed; key case-insensitive', () => {
  assert.equal(holds('StringEquals', 'aws:username', 'alice', { 'aws:username': 'alice' }), true);
  assert.equal(holds('StringEquals', 'aws:username', 'alice', { 'aws:username': 'Alice' }), false);
  assert.equal(holds('StringEquals', 'aws:username', ['bob', 'alice'], { 'aws:username': 'alice' }), true);
  assert.equal(holds('StringEquals', 'AWS:UserName', 'alice', { 'aws:username': 'alice' }), true);
  assert.equal(holds('StringEquals', 'aws:username', 'alice', { 'AWS:USERNAME': 'alice' }), true);
  assert.equal(holds('StringEquals', 'aws:username', 'al*', { 'aws:username': 'alice' }), false);
  assert.equal(holds('StringEquals', 's3:max-keys', 10, { 's3:max-keys': '10' }), true);
  assert.equal(holds('StringEquals', 'aws:username', 'alice', {}), false);
});

test('StringNotEquals: true when the value matches none; true on a missing key', () => {
  assert.equal(holds('StringNotEquals', 'aws:username', ['bob', 'carol'], { 'aws:username': 'alice' }), true);
  assert.equal(holds('StringNotEquals', 'aws:username', ['bob', 'alice'], { 'aws:username': 'alice' }), false);
  assert.equal(holds('StringNotEquals', 'aws:username', 'alice', { 'aws:username': 'ALICE' }), true);
  assert.equal(holds('StringNotEquals', 'aws:username', 'alice', {}), true);
});

test('StringEqualsIgnoreCase and StringNotEqualsIgnoreCase', () => {
  assert.equal(holds('StringEqualsIgnoreCase', 'aws:PrincipalTag/team', 'Eng', { 'aws:PrincipalTag/team': 'eNG' }), true);
  assert.equal(holds('StringEqualsIgnoreCase', 'aws:PrincipalTag/team', 'Eng', { 'aws:PrincipalTag/team': 'ops' }), false);
  assert.equal(holds('StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', 'Eng', { 'aws:PrincipalTag/team': 'ENG' }), false);
  assert.equal(holds('StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', 'Eng', { 'aws:PrincipalTag/team': 'ops' }), true);
  assert.equal(holds('StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', 'Eng', {}), true);
});

test('StringLike and StringNotLike: * and ? wildcards, case-sensitive, whole value', () => {
  assert.equal(holds('StringLike', 'iam:PassedToService', 'events.*.amazonaws.com', { 'iam:PassedToService': 'events.workmail.amazonaws.com' }), true);
  assert.equal(holds('StringLike', 'aws:username', 'a?ice', { 'aws:username': 'alice' }), true);
  assert.equal(holds('StringLike', 'aws:username', 'a?ice', { 'aws:username': 'allice' }), false);
  assert.equal(holds('StringLike', 'aws:username', 'A*', { 'aws:username': 'alice' }), false);
  assert.equal(holds('StringLike', 'aws:username', 'lic', { 'aws:username': 'alice' }), false);
  assert.equal(holds('StringLike', 'aws:username', ['x*', '*ce'], { 'aws:username': 'alice' }), true);
  assert.equal(holds('StringLike', 'aws:username', 'a.c', { 'aws:username': 'abc' }), false);
  assert.equal(holds('StringLike', 'x:y', 'a*', { 'x:y': 'a\nb' }), true);
  assert.equal(holds('StringNotLike', 'aws:username', 'a*', { 'aws:username': 'alice' }), false);
  assert.equal(holds('StringNotLike', 'aws:username', 'b*', { 'aws:username': 'alice' }), true);
  assert.equal(holds('StringNotLike', 'aws:username', 'b*', {}), true);
});

test('Numeric operators compare numbers, not text', () => {
  const ctx = { 's3:max-keys': '10' };
  assert.equal(holds('NumericEquals', 's3:max-keys', '10.0', ctx), true);
  assert.equal(holds('NumericEquals', 's3:max-keys', 10, ctx), true);
  assert.equal(holds('NumericEquals', 's3:max-keys', ['5', '11'], ctx), false);
  assert.equal(holds('NumericNotEquals', 's3:max-keys', ['5', '11'], ctx), true);
  assert.equal(holds('NumericNotEquals', 's3:max-keys', ['5', '10'], ctx), false);
  assert.equal(holds('NumericLessThan', 's3:max-keys', '10', ctx), false);
  assert.equal(holds('NumericLessThan', 's3:max-keys', '10.5', ctx), true);
  assert.equal(holds('NumericLessThanEquals', 's3:max-keys', '10', ctx), true);
  assert.equal(holds('NumericGreaterThan', 's3:max-keys', '9', ctx), true);
  assert.equal(holds('NumericGreaterThan', 's3:max-keys', '10', ctx), false);
  assert.equal(holds('NumericGreaterThanEquals', 's3:max-keys', '10', ctx), true);
  assert.equal(holds('NumericLessThan', 's3:max-keys', '-1', { 's3:max-keys': -5 }), true);
  assert.equal(holds('NumericGreaterThan', 's3:max-keys', '1e3', { 's3:max-keys': '1001' }), true);
});

test('Numeric operators: an unreadable context value satisfies neither form; a missing key only the negated one', () => {
  assert.equal(holds('NumericEquals', 's3:max-keys', '10', { 's3:max-keys': 'ten' }), false);
  assert.equal(holds('NumericNotEquals', 's3:max-keys', '10', { 's3:max-keys': 'ten' }), false);
  assert.equal(holds('NumericLessThan', 's3:max-keys', '10', {}), false);
  assert.equal(holds('NumericNotEquals', 's3:max-keys', '10', {}), true);
});

test('Date operators read ISO 8601 and epoch seconds on both sides', () => {
  const now = { 'aws:CurrentTime': '2024-06-01T12:00:00Z' };
  assert.equal(holds('DateLessThan', 'aws:CurrentTime', '2024-06-02T00:00:00Z', now), true);
  assert.equal(holds('DateLessThan', 'aws:CurrentTime', '2024-06-01', now), false);
  assert.equal(holds('DateGreaterThan', 'aws:CurrentTime', '2024-06-01', now), true);
  assert.equal(holds('DateEquals', 'aws:CurrentTime', '2024-06-01T14:00:00+02:00', now), true);
  assert.equal(holds('DateEquals', 'aws:CurrentTime', '1717243200', now), true);
  assert.equal(holds('DateEquals', 'aws:CurrentTime', '2024-06-01T12:00:00.000Z', now), true);
  assert.equal(holds('DateNotEquals', 'aws:CurrentTime', '2024-06-01T12:00:01Z', now), true);
  assert.equal(holds('DateNotEquals', 'aws:CurrentTime', '2024-06-01T12:00:00Z', now), false);
  assert.equal(holds('DateLessThanEquals', 'aws:CurrentTime', 1717243200, now), true);
  assert.equal(holds('DateGreaterThanEquals', 'aws:CurrentTime', '2024-06-01T12:00:00Z', now), true);
  assert.equal(holds('DateGreaterThanEquals', 'aws:CurrentTime', '2024-06-01T12:00:01Z', now), false);
  assert.equal(holds('DateLessThan', 'aws:EpochTime', '2024-06-01T12:00:01Z', { 'aws:EpochTime': 1717243200 }), true);
  assert.equal(holds('DateLessThan', 'aws:CurrentTime', '2030-01-01T00:00:00Z', { 'aws:CurrentTime': new Date('2024-01-01T00:00:00Z') }), true);
  // Without an offset a date-time is UTC, not the server's local time.
  assert.equal(holds('DateEquals', 'aws:CurrentTime', '2024-06-01T12:00:00', now), true);
  assert.equal(holds('DateLessThan', 'aws:CurrentTime', '2030-01-01', { 'aws:CurrentTime': 'yesterday' }), false);
  assert.equal(holds('DateLessThan', 'aws:CurrentTime', 'not-a-date', now), false);
});

test('Bool compares true/false, case-insensitively, and refuses other text', () => {
  assert.equal(holds('Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': true }), true);
  assert.equal(holds('Bool', 'aws:SecureTransport', true, { 'aws:SecureTransport': 'TRUE' }), true);
  assert.equal(holds('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': true }), false);
  assert.equal(holds('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': false }), true);
  assert.equal(holds('Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'yes' }), false);
  assert.equal(holds('Bool', 'aws:SecureTransport', 'false', {}), false);
});

test('BinaryEquals compares the decoded base64 bytes', () => {
  const v = Buffer.from('hello').toString('base64');
  assert.equal(holds('BinaryEquals', 'x:bin', v, { 'x:bin': v }), true);
  assert.equal(holds('BinaryEquals', 'x:bin', v, { 'x:bin': Buffer.from('hellp').toString('base64') }), false);
  assert.equal(holds('BinaryEquals', 'x:bin', ['AA==', v], { 'x:bin': v }), true);
  assert.equal(holds('BinaryEquals', 'x:bin', v, {}), false);
});

test('IpAddress / NotIpAddress with IPv4 and IPv6 blocks', () => {
  const v4 = ['203.0.113.0/24', '198.51.100.7'];
  assert.equal(holds('IpAddress', 'aws:SourceIp', v4, { 'aws:SourceIp': '203.0.113.255' }), true);
  assert.equal(holds('IpAddress', 'aws:SourceIp', v4, { 'aws:SourceIp': '203.0.114.0' }), false);
  assert.equal(holds('IpAddress', 'aws:SourceIp', v4, { 'aws:SourceIp': '198.51.100.7' }), true);
  assert.equal(holds('IpAddress', 'aws:SourceIp', v4, { 'aws:SourceIp': '198.51.100.8' }), false);
  assert.equal(holds('IpAddress', 'aws:SourceIp', '2001:DB8::/32', { 'aws:SourceIp': '2001:db8:ffff::1' }), true);
  assert.equal(holds('IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:SourceIp': '2001:db9::1' }), false);
  assert.equal(holds('NotIpAddress', 'aws:SourceIp', v4, { 'aws:SourceIp': '10.0.0.1' }), true);
  assert.equal(holds('NotIpAddress', 'aws:SourceIp', v4, { 'aws:SourceIp': '203.0.113.9' }), false);
  assert.equal(holds('NotIpAddress', 'aws:SourceIp', v4, {}), true);
  assert.equal(holds('IpAddress', 'aws:SourceIp', v4, {}), false);
  assert.equal(holds('IpAddress', 'aws:SourceIp', v4, { 'aws:SourceIp': 'localhost' }), false);
  assert.equal(holds('NotIpAddress', 'aws:SourceIp', v4, { 'aws:SourceIp': 'localhost' }), false);
});

test('Null tests presence: true means absent, false means present', () => {
  assert.equal(holds('Null', 'aws:TokenIssueTime', 'true', {}), true);
  assert.equal(holds('Null', 'aws:TokenIssueTime', 'true', { 'aws:TokenIssueTime': 'x' }), false);
  assert.equal(holds('Null', 'aws:TokenIssueTime', false, { 'aws:TokenIssueTime': 'x' }), true);
  assert.equal(holds('Null', 'aws:TokenIssueTime', 'false', {}), false);
  assert.equal(holds('Null', 'aws:TagKeys', 'true', { 'aws:TagKeys': [] }), true);
  const r = run(single({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Null: { 'aws:TokenIssueTime': 'true' } } }), 'iam:GetUser', '*');
  assert.deepEqual(r.missingContextValues, []);
});

test('ArnEquals / ArnLike match segment-wise with wildcards; the Not forms invert', () => {
  const src = { 'aws:SourceArn': 'arn:aws:workmail:us-east-1:123456789012:organization/m-1' };
  for (const op of ['ArnEquals', 'ArnLike']) {
    assert.equal(holds(op, 'aws:SourceArn', 'arn:aws:workmail:*:123456789012:organization/*', src), true, op);
    assert.equal(holds(op, 'aws:SourceArn', 'arn:aws:workmail:us-east-1:123456789012:organization/m-1', src), true, op);
    assert.equal(holds(op, 'aws:SourceArn', 'arn:aws:workmail:*:999999999999:organization/*', src), false, op);
    assert.equal(holds(op, 'aws:SourceArn', 'arn:aws:workmail:*:123456789012:organization/M-1', src), false, op);
    assert.equal(holds(op, 'aws:SourceArn', 'arn:aws:workmail:*:*', src), false, op);
    assert.equal(holds(op, 'aws:SourceArn', 'arn:aws:*', { 'aws:SourceArn': 'not-an-arn' }), false, op);
  }
  assert.equal(holds('ArnNotLike', 'aws:SourceArn', 'arn:aws:workmail:*:999999999999:*', src), true);
  assert.equal(holds('ArnNotEquals', 'aws:SourceArn', 'arn:aws:workmail:*:123456789012:*', src), false);
  assert.equal(holds('ArnNotLike', 'aws:SourceArn', 'arn:aws:workmail:*:123456789012:*', {}), true);
  assert.equal(holds('ArnLike', 'aws:SourceArn', 'arn:aws:workmail:*:123456789012:*', {}), false);
});

test('...IfExists: true when the key is missing, the operator otherwise', () => {
  assert.equal(holds('StringEqualsIfExists', 'aws:username', 'alice', {}), true);
  assert.equal(holds('StringEqualsIfExists', 'aws:username', 'alice', { 'aws:username': 'bob' }), false);
  assert.equal(holds('StringEqualsIfExists', 'aws:username', 'alice', { 'aws:username': 'alice' }), true);
  assert.equal(holds('NumericLessThanIfExists', 's3:max-keys', '10', {}), true);
  assert.equal(holds('BoolIfExists', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': true }), false);
  assert.equal(holds('IpAddressIfExists', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '10.9.9.9' }), true);
  assert.equal(holds('NotIpAddressIfExists', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '10.9.9.9' }), false);
  assert.equal(holds('ArnLikeIfExists', 'aws:SourceArn', 'arn:aws:s3:::x', {}), true);
  assert.equal(holds('DateLessThanIfExists', 'x:d', '2020-01-01', {}), true);
  const r = run(single({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:username': 'a' } } }), 'iam:GetUser', '*');
  assert.deepEqual(r.missingContextValues, []);
});

test('ForAnyValue: some request value satisfies the operator; false on a missing or empty key', () => {
  const tags = { 'aws:TagKeys': ['env', 'team'] };
  assert.equal(holds('ForAnyValue:StringEquals', 'aws:TagKeys', ['team', 'cost'], tags), true);
  assert.equal(holds('ForAnyValue:StringEquals', 'aws:TagKeys', ['cost'], tags), false);
  assert.equal(holds('ForAnyValue:StringLike', 'aws:TagKeys', 'te*', tags), true);
  assert.equal(holds('ForAnyValue:StringEquals', 'aws:TagKeys', 'team', {}), false);
  assert.equal(holds('ForAnyValue:StringEquals', 'aws:TagKeys', 'team', { 'aws:TagKeys': [] }), false);
  // Negated: some value is outside the list.
  assert.equal(holds('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['env', 'team'], tags), false);
  assert.equal(holds('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['env'], tags), true);
  assert.equal(holds('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['env'], {}), false);
  assert.equal(holds('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'x', {}), true);
});

test('ForAllValues: every request value satisfies the operator; true on a missing or empty key', () => {
  const tags = { 'aws:TagKeys': ['env', 'team'] };
  assert.equal(holds('ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team', 'cost'], tags), true);
  assert.equal(holds('ForAllValues:StringEquals', 'aws:TagKeys', ['env'], tags), false);
  assert.equal(holds('ForAllValues:StringEquals', 'aws:TagKeys', ['env'], {}), true);
  assert.equal(holds('ForAllValues:StringEquals', 'aws:TagKeys', ['env'], { 'aws:TagKeys': [] }), true);
  assert.equal(holds('ForAllValues:StringLike', 'aws:TagKeys', ['e*', 't*'], tags), true);
  // Negated: no value is in the list.
  assert.equal(holds('ForAllValues:StringNotEquals', 'aws:TagKeys', ['cost', 'owner'], tags), true);
  assert.equal(holds('ForAllValues:StringNotEquals', 'aws:TagKeys', ['cost', 'team'], tags), false);
  assert.equal(holds('ForAllValues:StringNotEquals', 'aws:TagKeys', ['cost'], {}), true);
  assert.equal(holds('ForAllValues:NumericLessThan', 'x:n', '10', { 'x:n': [1, 5, 9] }), true);
  assert.equal(holds('ForAllValues:NumericLessThan', 'x:n', '10', { 'x:n': [1, 50] }), false);
});

test('a multivalued key without a qualifier: positive operators need one value, negated ones none', () => {
  const tags = { 'aws:TagKeys': ['env', 'team'] };
  assert.equal(holds('StringEquals', 'aws:TagKeys', 'team', tags), true);
  assert.equal(holds('StringNotEquals', 'aws:TagKeys', 'team', tags), false);
  assert.equal(holds('StringNotEquals', 'aws:TagKeys', 'cost', tags), true);
});

test('several keys and several operators are ANDed', () => {
  const p = single({
    Effect: 'Allow', Action: '*', Resource: '*',
    Condition: {
      StringEquals: { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'eng' },
      IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
    },
  });
  const ctx = { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'eng', 'aws:SourceIp': '10.1.1.1' };
  assert.equal(decide(p, 'iam:GetUser', '*', ctx), 'allowed');
  assert.equal(decide(p, 'iam:GetUser', '*', { ...ctx, 'aws:PrincipalTag/team': 'ops' }), 'implicitDeny');
  assert.equal(decide(p, 'iam:GetUser', '*', { ...ctx, 'aws:SourceIp': '11.1.1.1' }), 'implicitDeny');
});

test('missing keys are reported once, as the policy spells them, for statements that otherwise apply', () => {
  const p = single({
    Effect: 'Allow', Action: 'iam:*', Resource: '*',
    Condition: { StringEquals: { 'aws:PrincipalTag/Team': 'eng' }, StringLike: { 'AWS:principaltag/team': 'e*' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  });
  const r = run(p, 'iam:GetUser', '*', { 'aws:MultiFactorAuthPresent': true });
  assert.equal(r.decision, 'implicitDeny');
  assert.deepEqual(r.missingContextValues, ['aws:PrincipalTag/Team']);
  assert.deepEqual(run(p, 'workmail:ListUsers', '*').missingContextValues, []);
});

test('an unknown operator fails closed: never matches in an Allow', () => {
  const p = single({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualsButDifferent: { 'aws:username': 'alice' } } });
  assert.equal(decide(p, 'iam:GetUser', '*', { 'aws:username': 'alice' }), 'implicitDeny');
  assert.equal(decide(p, 'iam:GetUser', '*', {}), 'implicitDeny');
  for (const op of ['stringequals', 'StringEqualsIfExistsIfExists', 'NullIfExists', 'ForAnyValue:Bogus']) {
    const q = single({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [op]: { 'aws:username': 'alice' } } });
    assert.equal(decide(q, 'iam:GetUser', '*', { 'aws:username': 'alice' }), 'implicitDeny', op);
  }
});

test('an unknown operator fails closed: always matches in a Deny', () => {
  const all = single({ Effect: 'Allow', Action: '*', Resource: '*' });
  const deny = single({ Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { StringFooBar: { 'aws:username': 'nobody' } } });
  assert.equal(decide([all, deny], 'iam:GetUser', '*', { 'aws:username': 'alice' }), 'explicitDeny');
  assert.equal(decide([all, deny], 'iam:GetUser', '*', {}), 'explicitDeny');
  assert.equal(decide([all, deny], 'workmail:ListUsers', '*'), 'allowed');
  // The Deny's other conditions still have to hold.
  const both = single({ Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { StringFooBar: { 'a:b': 'c' }, StringEquals: { 'aws:username': 'bob' } } });
  assert.equal(decide([all, both], 'iam:GetUser', '*', { 'aws:username': 'alice' }), 'allowed');
  assert.equal(decide([all, both], 'iam:GetUser', '*', { 'aws:username': 'bob' }), 'explicitDeny');
});

test('isKnownConditionOperator lets CreatePolicy refuse what the evaluator would fail closed on', () => {
  for (const op of ['StringEquals', 'ForAllValues:StringLikeIfExists', 'Null', 'ForAnyValue:ArnNotLike', 'BinaryEqualsIfExists', 'NotIpAddressIfExists']) {
    assert.equal(isKnownConditionOperator(op), true, op);
  }
  for (const op of ['StringFooBar', 'stringequals', 'NullIfExists', 'IfExists', 'ForAnyValue:']) {
    assert.equal(isKnownConditionOperator(op), false, op);
  }
});
