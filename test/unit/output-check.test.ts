import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../src/aws/model.ts';
import { checkOutput } from '../../src/aws/output-check.ts';

const workmail = loadModel('workmail');
const iam = loadModel('iam');

test('a conforming result passes', () => {
  assert.deepEqual(checkOutput(workmail, 'DescribeOrganizationResponse', { OrganizationId: 'm-1', State: 'Active', CompletedDate: new Date() }), []);
});

test('a misspelt member, a wrong type, a bad enum and a missing required member are each reported', () => {
  const problems = checkOutput(workmail, 'DescribeUserResponse', { UserID: 'x', EnabledDate: '2026-01-01', UserRole: 'BOSS' });
  assert.ok(problems.some((p) => p.includes('member UserID is not in the model')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('DescribeUserResponse.EnabledDate: expected a valid Date')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('DescribeUserResponse.UserRole: not one of')), problems.join('\n'));
  const missing = checkOutput(iam, 'GetUserResponse', { User: { UserName: 'a', Path: '/', Arn: 'arn', CreateDate: new Date() } });
  assert.equal(missing.length, 1);
  assert.match(missing[0]!, /^GetUserResponse\.User: required member UserId is missing/);
});

test('list members are checked one by one', () => {
  const problems = checkOutput(iam, 'ListUsersResponse', { Users: [{ UserName: 'a', UserId: 'AIDA', Path: '/', Arn: 'arn', CreateDate: 'yesterday' }], IsTruncated: false });
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^ListUsersResponse\.Users\[0\]\.CreateDate: expected a valid Date/);
});
