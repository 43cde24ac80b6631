import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDenial } from '../../../src/iam/policy/index.ts';
import { policy, run, single } from './helpers.ts';

const ALICE = 'arn:aws:iam::123456789012:user/alice';
const BOB = 'arn:aws:iam::123456789012:user/bob';

test('implicit deny names the missing identity-based allow', () => {
  const e = run([], 'iam:CreateUser', BOB);
  assert.equal(
    describeDenial(ALICE, 'iam:CreateUser', BOB, e),
    'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/bob because no identity-based policy allows the iam:CreateUser action',
  );
  assert.match(describeDenial(ALICE, 'iam:CreateUser', BOB, e, { implicitDenyPolicyType: 'permissions boundary' }), /because no permissions boundary allows/);
});

test('explicit deny names the policy type that denied', () => {
  const deny = single({ Effect: 'Deny', Action: 'iam:*', Resource: '*' });
  assert.equal(
    describeDenial(ALICE, 'iam:CreateUser', BOB, run(deny, 'iam:CreateUser', BOB)),
    'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/bob with an explicit deny in an identity-based policy',
  );
  const resourceDeny = policy({ Statement: { Effect: 'Deny', Principal: '*', Action: 'iam:*', Resource: '*' } }, 'r', 'resource');
  assert.match(describeDenial(ALICE, 'iam:CreateUser', BOB, run(resourceDeny, 'iam:CreateUser', BOB)), /with an explicit deny in a resource-based policy$/);
});

test('describing an allowed request is a programming error', () => {
  const e = run(single({ Effect: 'Allow', Action: '*', Resource: '*' }), 'iam:CreateUser', BOB);
  assert.throws(() => describeDenial(ALICE, 'iam:CreateUser', BOB, e), TypeError);
});
