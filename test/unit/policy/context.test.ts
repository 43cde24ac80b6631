import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGlobalContext, RequestContext } from '../../../src/iam/policy/index.ts';

const base = {
  sourceIp: '203.0.113.7',
  now: new Date('2024-06-01T12:34:56.789Z'),
  secureTransport: true,
  userId: 'AIDAEXAMPLE1234567890',
  principalArn: 'arn:aws:iam::123456789012:user/alice',
  principalAccount: '123456789012',
  principalType: 'User' as const,
  requestedRegion: 'us-east-1',
};

test('buildGlobalContext fills the global keys as AWS writes them', () => {
  const ctx = buildGlobalContext({ ...base, username: 'alice', principalTags: { team: 'eng', Cost: 'x' }, mfaPresent: false });
  const get = (k: string) => ctx.get(k)?.values;
  assert.deepEqual(get('aws:SourceIp'), ['203.0.113.7']);
  assert.deepEqual(get('aws:CurrentTime'), ['2024-06-01T12:34:56Z']);
  assert.deepEqual(get('aws:EpochTime'), ['1717245296']);
  assert.deepEqual(get('aws:SecureTransport'), ['true']);
  assert.deepEqual(get('aws:username'), ['alice']);
  assert.deepEqual(get('aws:userid'), ['AIDAEXAMPLE1234567890']);
  assert.deepEqual(get('aws:PrincipalArn'), ['arn:aws:iam::123456789012:user/alice']);
  assert.deepEqual(get('aws:PrincipalAccount'), ['123456789012']);
  assert.deepEqual(get('aws:PrincipalType'), ['User']);
  assert.deepEqual(get('aws:PrincipalTag/team'), ['eng']);
  assert.deepEqual(get('aws:principaltag/cost'), ['x']);
  assert.deepEqual(get('aws:RequestedRegion'), ['us-east-1']);
  assert.deepEqual(get('aws:MultiFactorAuthPresent'), ['false']);
});

test('username and MFA keys are absent when not given (root user, long-term keys)', () => {
  const ctx = buildGlobalContext({ ...base, principalType: 'Account', principalArn: 'arn:aws:iam::123456789012:root' });
  assert.equal(ctx.has('aws:username'), false);
  assert.equal(ctx.has('aws:MultiFactorAuthPresent'), false);
  assert.equal(ctx.get('aws:PrincipalType')?.values[0], 'Account');
});

test('RequestContext: case-insensitive keys, text values, multivalued arrays, clone', () => {
  const ctx = RequestContext.from({ 'aws:TagKeys': ['a', 'b'], 'x:n': 5, 'x:b': false, 'x:d': new Date('2020-01-01T00:00:00Z'), 'x:skip': undefined });
  assert.deepEqual(ctx.get('AWS:TAGKEYS'), { key: 'aws:TagKeys', values: ['a', 'b'], multivalued: true });
  assert.deepEqual(ctx.get('x:n')?.values, ['5']);
  assert.deepEqual(ctx.get('x:b')?.values, ['false']);
  assert.deepEqual(ctx.get('x:d')?.values, ['2020-01-01T00:00:00Z']);
  assert.equal(ctx.has('x:skip'), false);
  const copy = ctx.clone().set('iam:PassedToService', 'events.workmail.amazonaws.com');
  assert.equal(copy.has('iam:passedtoservice'), true);
  assert.equal(ctx.has('iam:passedtoservice'), false);
  assert.equal(copy.delete('X:N'), true);
  assert.equal(copy.has('x:n'), false);
  assert.equal([...ctx].length, 4);
});
