import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  awsManagedPolicies,
  compilePolicy,
  findAwsManagedPolicy,
  parsePolicyDocument,
  policyLengthWithoutWhitespace,
  type CompiledPolicy,
} from '../../../src/iam/policy/index.ts';
import { decide } from './helpers.ts';

const ORG = 'arn:aws:workmail:us-east-1:123456789012:organization/m-0123456789abcdef';

function managed(name: string): CompiledPolicy {
  const p = awsManagedPolicies.find((x) => x.name === name);
  assert.ok(p, name);
  return compilePolicy(parsePolicyDocument(p.document), { id: p.arn, type: 'AWS Managed Policy' });
}

test('the list holds the expected policies with AWS ARNs and paths', () => {
  assert.deepEqual(awsManagedPolicies.map((p) => p.name).sort(), [
    'AdministratorAccess',
    'AmazonWorkMailFullAccess',
    'AmazonWorkMailMessageFlowFullAccess',
    'AmazonWorkMailMessageFlowReadOnlyAccess',
    'AmazonWorkMailReadOnlyAccess',
    'IAMFullAccess',
    'IAMReadOnlyAccess',
    'IAMUserChangePassword',
    'PowerUserAccess',
    'ReadOnlyAccess',
    'SecurityAudit',
    'ViewOnlyAccess',
  ]);
  for (const p of awsManagedPolicies) {
    assert.equal(p.arn, `arn:aws:iam::aws:policy${p.path}${p.name}`);
    assert.match(p.path, /^\/([\w-]+\/)*$/);
    assert.ok(p.description.length > 0);
    assert.equal(findAwsManagedPolicy(p.arn), p);
  }
});

test('every managed policy parses with our parser and fits the 6,144-character quota', () => {
  for (const p of awsManagedPolicies) {
    const doc = parsePolicyDocument(p.document);
    assert.equal(doc.version, '2012-10-17', p.name);
    assert.ok(doc.statements.length > 0, p.name);
    assert.ok(policyLengthWithoutWhitespace(p.document) <= 6144, p.name);
  }
});

test('AmazonWorkMailReadOnlyAccess allows reads and denies writes', () => {
  const ro = managed('AmazonWorkMailReadOnlyAccess');
  for (const a of ['workmail:ListUsers', 'workmail:DescribeUser', 'workmail:GetMailboxDetails', 'workmail:SearchUsers', 'workmail:ListOrganizations', 'ses:GetIdentityVerificationAttributes', 'ses:DescribeActiveReceiptRuleSet']) {
    assert.equal(decide(ro, a, ORG), 'allowed', a);
  }
  for (const a of ['workmail:CreateUser', 'workmail:DeleteUser', 'workmail:ResetPassword', 'ses:SendEmail', 'iam:CreateUser']) {
    assert.equal(decide(ro, a, ORG), 'implicitDeny', a);
  }
});

test('AmazonWorkMailFullAccess allows workmail:* and its scoped IAM statements', () => {
  const full = managed('AmazonWorkMailFullAccess');
  assert.equal(decide(full, 'workmail:CreateUser', ORG), 'allowed');
  assert.equal(decide(full, 'kms:ListAliases', '*'), 'allowed');
  assert.equal(decide(full, 'kms:Decrypt', '*'), 'implicitDeny');
  assert.equal(decide(full, 'iam:CreateServiceLinkedRole', '*', { 'iam:AWSServiceName': 'events.workmail.amazonaws.com' }), 'allowed');
  assert.equal(decide(full, 'iam:CreateServiceLinkedRole', '*', { 'iam:AWSServiceName': 'ec2.amazonaws.com' }), 'implicitDeny');
  const role = 'arn:aws:iam::123456789012:role/my-workmail-events';
  assert.equal(decide(full, 'iam:PassRole', role, { 'iam:PassedToService': 'events.workmail.amazonaws.com' }), 'allowed');
  assert.equal(decide(full, 'iam:PassRole', role), 'implicitDeny');
  assert.equal(decide(full, 'iam:CreateUser', 'arn:aws:iam::123456789012:user/x'), 'implicitDeny');
});

test('IAM managed policies', () => {
  const user = 'arn:aws:iam::123456789012:user/alice';
  assert.equal(decide(managed('AdministratorAccess'), 'workmail:DeleteOrganization', ORG), 'allowed');
  assert.equal(decide(managed('IAMFullAccess'), 'iam:CreateUser', user), 'allowed');
  assert.equal(decide(managed('IAMFullAccess'), 'workmail:ListUsers', ORG), 'implicitDeny');
  const ro = managed('IAMReadOnlyAccess');
  assert.equal(decide(ro, 'iam:GetUser', user), 'allowed');
  assert.equal(decide(ro, 'iam:ListAttachedUserPolicies', user), 'allowed');
  assert.equal(decide(ro, 'iam:SimulatePrincipalPolicy', user), 'allowed');
  assert.equal(decide(ro, 'iam:CreateUser', user), 'implicitDeny');
  const pw = managed('IAMUserChangePassword');
  assert.equal(decide(pw, 'iam:ChangePassword', user, { 'aws:username': 'alice' }), 'allowed');
  assert.equal(decide(pw, 'iam:ChangePassword', user, { 'aws:username': 'bob' }), 'implicitDeny');
  const pathed = 'arn:aws:iam::123456789012:user/staff/mail/alice';
  assert.equal(decide(pw, 'iam:ChangePassword', pathed, { 'aws:username': 'alice' }), 'allowed', 'a user with a path');
  assert.equal(decide(pw, 'iam:ChangePassword', pathed, { 'aws:username': 'mail' }), 'implicitDeny');
  assert.equal(decide(pw, 'iam:GetAccountPasswordPolicy', '*'), 'allowed');
});

test('job-function and broad policies, cut down to iam, sts and workmail where AWS lists hundreds of services', () => {
  const user = 'arn:aws:iam::123456789012:user/alice';
  const table: [string, string, string, 'allowed' | 'implicitDeny'][] = [
    ['ReadOnlyAccess', 'iam:ListUsers', user, 'allowed'],
    ['ReadOnlyAccess', 'iam:GetAccountAuthorizationDetails', '*', 'allowed'],
    ['ReadOnlyAccess', 'iam:SimulatePrincipalPolicy', user, 'allowed'],
    ['ReadOnlyAccess', 'sts:GetCallerIdentity', '*', 'allowed'],
    ['ReadOnlyAccess', 'workmail:DescribeUser', ORG, 'allowed'],
    ['ReadOnlyAccess', 'workmail:ListUsers', ORG, 'allowed'],
    ['ReadOnlyAccess', 'iam:CreateUser', user, 'implicitDeny'],
    ['ReadOnlyAccess', 'iam:TagUser', user, 'implicitDeny'],
    ['ReadOnlyAccess', 'workmail:CreateUser', ORG, 'implicitDeny'],
    ['SecurityAudit', 'iam:GetAccountPasswordPolicy', '*', 'allowed'],
    ['SecurityAudit', 'iam:ListAttachedUserPolicies', user, 'allowed'],
    ['SecurityAudit', 'sts:GetAccessKeyInfo', '*', 'allowed'],
    ['SecurityAudit', 'iam:UpdateAccessKey', user, 'implicitDeny'],
    ['SecurityAudit', 'workmail:ListUsers', ORG, 'implicitDeny'],
    ['ViewOnlyAccess', 'iam:ListUsers', user, 'allowed'],
    ['ViewOnlyAccess', 'iam:GetAccountSummary', '*', 'allowed'],
    ['ViewOnlyAccess', 'workmail:DescribeOrganization', ORG, 'allowed'],
    ['ViewOnlyAccess', 'iam:GetUserPolicy', user, 'implicitDeny'],
    ['ViewOnlyAccess', 'workmail:ListUsers', ORG, 'implicitDeny'],
    ['PowerUserAccess', 'workmail:CreateUser', ORG, 'allowed'],
    ['PowerUserAccess', 'workmail:DeleteOrganization', ORG, 'allowed'],
    ['PowerUserAccess', 'sts:GetCallerIdentity', '*', 'allowed'],
    ['PowerUserAccess', 'iam:ListRoles', '*', 'allowed'],
    ['PowerUserAccess', 'iam:CreateUser', user, 'implicitDeny'],
    ['PowerUserAccess', 'iam:ListUsers', user, 'implicitDeny'],
    ['PowerUserAccess', 'iam:CreateAccessKey', user, 'implicitDeny'],
  ];
  for (const [name, action, resource, expected] of table) {
    assert.equal(decide(managed(name), action, resource), expected, `${name} ${action}`);
  }
});

test('WorkMail Message Flow managed policies', () => {
  const msg = 'arn:aws:workmailmessageflow:us-east-1:123456789012:message/m-1/abc';
  const full = managed('AmazonWorkMailMessageFlowFullAccess');
  const ro = managed('AmazonWorkMailMessageFlowReadOnlyAccess');
  assert.equal(decide(full, 'workmailmessageflow:PutRawMessageContent', msg), 'allowed');
  assert.equal(decide(ro, 'workmailmessageflow:GetRawMessageContent', msg), 'allowed');
  assert.equal(decide(ro, 'workmailmessageflow:PutRawMessageContent', msg), 'implicitDeny');
  assert.equal(decide(full, 'workmailmessageflow:GetRawMessageContent', ORG), 'allowed', 'AWS scopes them to every resource');
  assert.equal(decide(ro, 'workmailmessageflow:PutRawMessageContent', ORG), 'implicitDeny');
});
