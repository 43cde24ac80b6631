import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, policy, run, single } from './helpers.ts';

const ORG = 'arn:aws:workmail:us-east-1:123456789012:organization/m-1234';

test('no policy, no statement, no match: implicit deny', () => {
  assert.equal(decide([], 'iam:GetUser', '*'), 'implicitDeny');
  assert.equal(decide(policy({ Statement: [] }), 'iam:GetUser', '*'), 'implicitDeny');
  assert.equal(decide(single({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }), 'iam:ListUsers', '*'), 'implicitDeny');
});

test('actions match case-insensitively, with * and ?', () => {
  const p = single({ Effect: 'Allow', Action: ['IAM:get*', 'workmail:?escribeUser', 'ses:*Identity*'], Resource: '*' });
  assert.equal(decide(p, 'iam:GetUser', '*'), 'allowed');
  assert.equal(decide(p, 'IAM:GETROLE', '*'), 'allowed');
  assert.equal(decide(p, 'iam:ListUsers', '*'), 'implicitDeny');
  assert.equal(decide(p, 'workmail:DescribeUser', '*'), 'allowed');
  assert.equal(decide(p, 'workmail:describeuser', '*'), 'allowed');
  assert.equal(decide(p, 'workmail:XXDescribeUser', '*'), 'implicitDeny');
  assert.equal(decide(p, 'ses:GetIdentityPolicies', '*'), 'allowed');
  assert.equal(decide(p, 'ses:VerifyDomainIdentity', '*'), 'allowed');
  assert.equal(decide(p, 'ses:SendEmail', '*'), 'implicitDeny');
});

test('an action wildcard stays within its vendor', () => {
  const p = single({ Effect: 'Allow', Action: ['iam:*', 'workmail:*User'], Resource: '*' });
  assert.equal(decide(p, 'iam:CreateUser', '*'), 'allowed');
  assert.equal(decide(p, 'iamx:CreateUser', '*'), 'implicitDeny');
  assert.equal(decide(p, 'sts:GetCallerIdentity', '*'), 'implicitDeny');
  assert.equal(decide(p, 'workmail:CreateUser', '*'), 'allowed');
  assert.equal(decide(p, 'workmail:User', '*'), 'allowed');
  assert.equal(decide(p, 'workmail:CreateUsers', '*'), 'implicitDeny');
  assert.equal(decide(p, 'iam:User', '*'), 'allowed');
});

test('"*" as the action matches every action of every service', () => {
  const p = single({ Effect: 'Allow', Action: '*', Resource: '*' });
  for (const a of ['iam:CreateUser', 'workmail:DeleteOrganization', 'sts:AssumeRole']) assert.equal(decide(p, a, '*'), 'allowed');
});

test('resource ARNs match case-sensitively', () => {
  const p = single({ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::123456789012:user/Alice' });
  assert.equal(decide(p, 'iam:GetUser', 'arn:aws:iam::123456789012:user/Alice'), 'allowed');
  assert.equal(decide(p, 'iam:GetUser', 'arn:aws:iam::123456789012:user/alice'), 'implicitDeny');
  assert.equal(decide(p, 'iam:GetUser', 'ARN:aws:iam::123456789012:user/Alice'), 'implicitDeny');
});

test('a * in the region or account segment does not cross a colon', () => {
  const p = single({ Effect: 'Allow', Action: 'workmail:*', Resource: 'arn:aws:workmail:*:123456789012:organization/*' });
  assert.equal(decide(p, 'workmail:ListUsers', ORG), 'allowed');
  assert.equal(decide(p, 'workmail:ListUsers', 'arn:aws:workmail::123456789012:organization/m-1'), 'allowed');
  // The region '*' may not swallow "us-east-1:999999999999" to reach the account.
  assert.equal(decide(p, 'workmail:ListUsers', 'arn:aws:workmail:us-east-1:999999999999:123456789012:organization/m-1'), 'implicitDeny');
  const acct = single({ Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::*:user/bob' });
  assert.equal(decide(acct, 'iam:GetUser', 'arn:aws:iam::123456789012:user/bob'), 'allowed');
  assert.equal(decide(acct, 'iam:GetUser', 'arn:aws:iam::1:2:user/bob'), 'implicitDeny');
  const q = single({ Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::12345678901?:user/bob' });
  assert.equal(decide(q, 'iam:GetUser', 'arn:aws:iam::123456789012:user/bob'), 'allowed');
  assert.equal(decide(q, 'iam:GetUser', 'arn:aws:iam::12345678901:user/bob'), 'implicitDeny');
});

test('a * in the resource part crosses "/" and ":"', () => {
  const p = single({ Effect: 'Allow', Action: '*', Resource: ['arn:aws:iam::123456789012:user/*', 'arn:aws:logs:us-east-1:123456789012:log-group:*'] });
  assert.equal(decide(p, 'iam:GetUser', 'arn:aws:iam::123456789012:user/division/team/alice'), 'allowed');
  assert.equal(decide(p, 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:x'), 'allowed');
  assert.equal(decide(p, 'iam:GetRole', 'arn:aws:iam::123456789012:role/alice'), 'implicitDeny');
  const mid = single({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:iam::*:role/*workmail*' });
  assert.equal(decide(mid, 'iam:PassRole', 'arn:aws:iam::123456789012:role/path/my-workmail-role'), 'allowed');
  assert.equal(decide(mid, 'iam:PassRole', 'arn:aws:iam::123456789012:role/other'), 'implicitDeny');
});

test('Resource "*" matches any resource, including "*"; an ARN pattern does not match "*"', () => {
  assert.equal(decide(single({ Effect: 'Allow', Action: '*', Resource: '*' }), 'iam:ListUsers', '*'), 'allowed');
  assert.equal(decide(single({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:iam::*:*' }), 'iam:ListUsers', '*'), 'implicitDeny');
});

test('the partition and service segments take wildcards too', () => {
  const p = single({ Effect: 'Allow', Action: '*', Resource: 'arn:*:work*:*:*:organization/m-1234' });
  assert.equal(decide(p, 'workmail:ListUsers', ORG), 'allowed');
  assert.equal(decide(p, 'workmail:ListUsers', ORG.replace('arn:aws:', 'arn:aws-cn:')), 'allowed');
  assert.equal(decide(p, 'workmail:ListUsers', ORG.replace('workmail', 'workmailmessageflow')), 'allowed');
  assert.equal(decide(p, 'workmail:ListUsers', ORG.replace('workmail', 'ses')), 'implicitDeny');
});

test('NotAction applies to every action except those listed', () => {
  const p = single({ Effect: 'Allow', NotAction: ['iam:*', 'workmail:Delete*'], Resource: '*' });
  assert.equal(decide(p, 'workmail:ListUsers', ORG), 'allowed');
  assert.equal(decide(p, 'workmail:DeleteUser', ORG), 'implicitDeny');
  assert.equal(decide(p, 'IAM:CreateUser', '*'), 'implicitDeny');
  assert.equal(decide(p, 'sts:GetCallerIdentity', '*'), 'allowed');
});

test('NotResource applies to every resource except those listed', () => {
  const p = single({ Effect: 'Deny', Action: 'iam:*', NotResource: 'arn:aws:iam::123456789012:user/${aws:username}' });
  const all = single({ Effect: 'Allow', Action: '*', Resource: '*' });
  const ctx = { 'aws:username': 'alice' };
  assert.equal(decide([all, p], 'iam:ChangePassword', 'arn:aws:iam::123456789012:user/alice', ctx), 'allowed');
  assert.equal(decide([all, p], 'iam:ChangePassword', 'arn:aws:iam::123456789012:user/bob', ctx), 'explicitDeny');
  assert.equal(decide([all, p], 'workmail:ListUsers', ORG, ctx), 'allowed');
});

test('NotAction with NotResource in a Deny: the classic "deny everything outside"', () => {
  const deny = single({ Effect: 'Deny', NotAction: 'iam:ChangePassword', NotResource: 'arn:aws:iam::*:user/x' });
  const all = single({ Effect: 'Allow', Action: '*', Resource: '*' });
  assert.equal(decide([all, deny], 'iam:ChangePassword', 'arn:aws:iam::1:user/y'), 'allowed');
  assert.equal(decide([all, deny], 'iam:GetUser', 'arn:aws:iam::1:user/x'), 'allowed');
  assert.equal(decide([all, deny], 'iam:GetUser', 'arn:aws:iam::1:user/y'), 'explicitDeny');
});

test('an explicit deny in any policy wins over allows in others', () => {
  const allowAll = policy({ Version: '2012-10-17', Statement: [{ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' }] }, 'admin');
  const denyDelete = policy({ Version: '2012-10-17', Statement: [{ Sid: 'NoDelete', Effect: 'Deny', Action: 'workmail:Delete*', Resource: '*' }] }, 'guard');
  const r = run([allowAll, denyDelete], 'workmail:DeleteUser', ORG);
  assert.equal(r.decision, 'explicitDeny');
  assert.deepEqual(r.matchedStatements.map((m) => [m.sourcePolicyId, m.sid, m.effect]), [['guard', 'NoDelete', 'Deny']]);
  const ok = run([denyDelete, allowAll], 'workmail:ListUsers', ORG);
  assert.equal(ok.decision, 'allowed');
  assert.deepEqual(ok.matchedStatements.map((m) => m.sid), ['All']);
});

test('matched statements report every applicable statement with its source position', () => {
  const text = '{"Version": "2012-10-17", "Statement": [\n  {"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"},\n  {"Sid": "B", "Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}\n]}';
  const r = run(policy(text, 'p1'), 'iam:GetUser', 'arn:aws:iam::1:user/a');
  assert.equal(r.decision, 'allowed');
  assert.deepEqual(r.matchedStatements, [
    { sourcePolicyId: 'p1', sourcePolicyType: 'IAM Policy', effect: 'Allow', start: { line: 2, column: 3 }, end: { line: 2, column: 61 } },
    { sourcePolicyId: 'p1', sourcePolicyType: 'IAM Policy', sid: 'B', effect: 'Allow', start: { line: 3, column: 3 }, end: { line: 3, column: 76 } },
  ]);
  assert.deepEqual(run(policy(text), 'iam:ListUsers', '*').matchedStatements, []);
});

test('resource policies: Principal and NotPrincipal restrict who a statement applies to', () => {
  const p = policy(
    { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:user/alice', '444455556666'] }, Action: 'sts:AssumeRole' },
      { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' },
    ] },
    'trust',
    'resource',
  );
  assert.equal(run(p, 'sts:AssumeRole', '*', {}, 'arn:aws:iam::111122223333:user/alice').decision, 'allowed');
  assert.equal(run(p, 'sts:AssumeRole', '*', {}, 'arn:aws:iam::111122223333:user/bob').decision, 'implicitDeny');
  // 444455556666 is allowed by the first statement but not exempted by the NotPrincipal.
  assert.equal(run(p, 'sts:AssumeRole', '*', {}, 'arn:aws:iam::444455556666:user/x').decision, 'explicitDeny');
  assert.equal(run(p, 'sts:AssumeRole', '*').decision, 'explicitDeny');
  const anyone = policy({ Statement: { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' } }, 'b', 'resource');
  assert.equal(run(anyone, 's3:GetObject', 'arn:aws:s3:::b/k').decision, 'allowed');
});
