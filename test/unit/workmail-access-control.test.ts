// WorkMail's access decisions as pure functions: access control rules (protocol, IP, user,
// impersonation role), impersonation role rules, and impersonation tokens in a real store.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessControlEffect, ruleMatches, type AccessControlRule, type AccessRequest } from '../../src/workmail/access-control.ts';
import { impersonationEffect, type ImpersonationRule } from '../../src/workmail/impersonation.ts';
import { assumeImpersonationRole, IMPERSONATION_TOKEN_LIFETIME_SECONDS, verifyImpersonationToken } from '../../src/workmail/impersonation-tokens.ts';
import { migrate, openStore } from '../../src/store/database.ts';

const allowAll: AccessControlRule = { name: 'default', effect: 'ALLOW' };
const request = (overrides: Partial<AccessRequest> = {}): AccessRequest => ({ ipAddress: '192.0.2.10', action: 'IMAP', userId: 'alice-id', ...overrides });

describe('access control rules', () => {
  test('with no rules at all, access is denied; the default allow-all rule admits everything', () => {
    assert.deepEqual(accessControlEffect([], request()), { effect: 'DENY', matchedRules: [] });
    assert.deepEqual(accessControlEffect([allowAll], request()), { effect: 'ALLOW', matchedRules: ['default'] });
    assert.deepEqual(accessControlEffect([allowAll], request({ userId: undefined, impersonationRoleId: 'role-1', action: 'EWS' })), {
      effect: 'ALLOW',
      matchedRules: ['default'],
    });
  });

  test('a matching DENY wins over any ALLOW, and only the deciding rules are reported', () => {
    const rules: AccessControlRule[] = [allowAll, { name: 'no-imap', effect: 'DENY', actions: ['IMAP'] }, { name: 'also-allow', effect: 'ALLOW', actions: ['IMAP'] }];
    assert.deepEqual(accessControlEffect(rules, request()), { effect: 'DENY', matchedRules: ['no-imap'] });
    assert.deepEqual(accessControlEffect(rules, request({ action: 'SMTP' })), { effect: 'ALLOW', matchedRules: ['default'] });
  });

  test('IPv4 ranges and not-ranges', () => {
    const office: AccessControlRule = { name: 'office', effect: 'ALLOW', ipRanges: ['192.0.2.0/24', '198.51.100.0/25'], notIpRanges: ['192.0.2.128/25'] };
    assert.equal(ruleMatches(office, request({ ipAddress: '192.0.2.0' })), true);
    assert.equal(ruleMatches(office, request({ ipAddress: '192.0.2.127' })), true);
    assert.equal(ruleMatches(office, request({ ipAddress: '192.0.2.128' })), false, 'excluded by NotIpRanges');
    assert.equal(ruleMatches(office, request({ ipAddress: '198.51.100.127' })), true);
    assert.equal(ruleMatches(office, request({ ipAddress: '198.51.100.128' })), false);
    assert.equal(ruleMatches(office, request({ ipAddress: '203.0.113.1' })), false);
    assert.equal(ruleMatches({ ipRanges: ['0.0.0.0/0'] }, request({ ipAddress: '255.255.255.255' })), true);
    assert.equal(ruleMatches({ ipRanges: ['10.1.2.3/32'] }, request({ ipAddress: '10.1.2.3' })), true);
    assert.equal(ruleMatches({ ipRanges: ['10.1.2.3/32'] }, request({ ipAddress: '10.1.2.4' })), false);
    assert.equal(ruleMatches({ notIpRanges: ['10.0.0.0/8'] }, request({ ipAddress: '11.0.0.1' })), true);
    assert.equal(ruleMatches({ notIpRanges: ['10.0.0.0/8'] }, request({ ipAddress: '10.200.0.1' })), false);
  });

  test('IPv6 clients: IPv6 ranges, IPv4-mapped addresses count as IPv4, families never mix', () => {
    assert.equal(ruleMatches({ ipRanges: ['2001:db8::/32'] }, request({ ipAddress: '2001:db8:1::5' })), true);
    assert.equal(ruleMatches({ ipRanges: ['2001:db8::/32'] }, request({ ipAddress: '2001:db9::1' })), false);
    assert.equal(ruleMatches({ ipRanges: ['2001:db8::/32'], notIpRanges: ['2001:db8:ffff::/48'] }, request({ ipAddress: '2001:db8:ffff::1' })), false);
    assert.equal(ruleMatches({ ipRanges: ['192.0.2.0/24'] }, request({ ipAddress: '::ffff:192.0.2.7' })), true, 'dual-stack sockets report IPv4 clients this way');
    assert.equal(ruleMatches({ ipRanges: ['::/0'] }, request({ ipAddress: '192.0.2.7' })), false);
    assert.equal(ruleMatches({ ipRanges: ['0.0.0.0/0'] }, request({ ipAddress: '2001:db8::1' })), false);
    assert.equal(ruleMatches({ ipRanges: ['192.0.2.0/24'] }, request({ ipAddress: 'not-an-ip' })), false, 'an unreadable address is in no range');
  });

  test('actions and not-actions', () => {
    const notWeb: AccessControlRule = { name: 'n', effect: 'DENY', notActions: ['WebMail', 'EWS'] };
    assert.equal(ruleMatches(notWeb, request({ action: 'IMAP' })), true);
    assert.equal(ruleMatches(notWeb, request({ action: 'WebMail' })), false);
    assert.equal(ruleMatches({ actions: ['SMTP', 'IMAP'] }, request({ action: 'SMTP' })), true);
    assert.equal(ruleMatches({ actions: ['SMTP', 'IMAP'] }, request({ action: 'ActiveSync' })), false);
    assert.equal(ruleMatches({ actions: [] }, request({ action: 'ActiveSync' })), true, 'an empty list is no condition');
  });

  test('users and impersonation roles: an absent principal is in no list', () => {
    assert.equal(ruleMatches({ userIds: ['alice-id'] }, request()), true);
    assert.equal(ruleMatches({ userIds: ['bob-id'] }, request()), false);
    assert.equal(ruleMatches({ notUserIds: ['alice-id'] }, request()), false);
    assert.equal(ruleMatches({ notUserIds: ['bob-id'] }, request()), true);
    const impersonated = request({ userId: undefined, impersonationRoleId: 'role-1', action: 'EWS' });
    assert.equal(ruleMatches({ userIds: ['alice-id'] }, impersonated), false);
    assert.equal(ruleMatches({ notUserIds: ['alice-id'] }, impersonated), true);
    assert.equal(ruleMatches({ impersonationRoleIds: ['role-1'] }, impersonated), true);
    assert.equal(ruleMatches({ impersonationRoleIds: ['role-2'] }, impersonated), false);
    assert.equal(ruleMatches({ notImpersonationRoleIds: ['role-1'] }, impersonated), false);
    assert.equal(ruleMatches({ impersonationRoleIds: ['role-1'] }, request()), false, 'a user request carries no role');
  });

  test('every condition of a rule must hold', () => {
    const rule: AccessControlRule = { name: 'strict', effect: 'DENY', ipRanges: ['192.0.2.0/24'], actions: ['IMAP'], userIds: ['alice-id'] };
    assert.equal(ruleMatches(rule, request()), true);
    assert.equal(ruleMatches(rule, request({ ipAddress: '203.0.113.9' })), false);
    assert.equal(ruleMatches(rule, request({ action: 'SMTP' })), false);
    assert.equal(ruleMatches(rule, request({ userId: 'bob-id' })), false);
    // A typical policy: IMAP only from the office, everything else allowed.
    const policy: AccessControlRule[] = [allowAll, { name: 'imap-office-only', effect: 'DENY', actions: ['IMAP'], notIpRanges: ['192.0.2.0/24'] }];
    assert.equal(accessControlEffect(policy, request({ ipAddress: '192.0.2.44' })).effect, 'ALLOW');
    assert.deepEqual(accessControlEffect(policy, request({ ipAddress: '203.0.113.9' })), { effect: 'DENY', matchedRules: ['imap-office-only'] });
    assert.equal(accessControlEffect(policy, request({ ipAddress: '203.0.113.9', action: 'SMTP' })).effect, 'ALLOW');
  });
});

describe('impersonation role rules', () => {
  const rules: ImpersonationRule[] = [
    { ImpersonationRuleId: 'all', Name: 'everyone', Effect: 'ALLOW' },
    { ImpersonationRuleId: 'ceo', Name: 'not the ceo', Effect: 'DENY', TargetUsers: ['ceo-id'] },
  ];

  test('no rule means no impersonation', () => {
    assert.deepEqual(impersonationEffect([], 'alice-id'), { effect: 'DENY', matchedRules: [] });
  });

  test('DENY beats ALLOW; an unconditioned rule matches everyone', () => {
    assert.deepEqual(impersonationEffect(rules, 'alice-id'), { effect: 'ALLOW', matchedRules: [{ ImpersonationRuleId: 'all', Name: 'everyone' }] });
    assert.deepEqual(impersonationEffect(rules, 'ceo-id'), { effect: 'DENY', matchedRules: [{ ImpersonationRuleId: 'ceo', Name: 'not the ceo' }] });
  });

  test('TargetUsers and NotTargetUsers', () => {
    const scoped: ImpersonationRule[] = [{ ImpersonationRuleId: 'r', Effect: 'ALLOW', TargetUsers: ['a', 'b'], NotTargetUsers: ['b'] }];
    assert.equal(impersonationEffect(scoped, 'a').effect, 'ALLOW');
    assert.equal(impersonationEffect(scoped, 'b').effect, 'DENY');
    assert.equal(impersonationEffect(scoped, 'c').effect, 'DENY');
    const allBut: ImpersonationRule[] = [{ ImpersonationRuleId: 'r', Effect: 'ALLOW', NotTargetUsers: ['b'] }];
    assert.equal(impersonationEffect(allBut, 'c').effect, 'ALLOW');
    assert.equal(impersonationEffect(allBut, 'b').effect, 'DENY');
  });
});

describe('impersonation tokens', () => {
  test('a token verifies until it expires or its role is deleted, and is stored only hashed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'godwit-impersonation-'));
    const store = openStore({ dataDir });
    try {
      await migrate(store.db);
      const now = new Date('2025-01-01T00:00:00Z');
      await store.db
        .insertInto('accounts')
        .values({ id: '111111111111', email: 'a@example.com', email_lower: 'a@example.com', root_password_hash: 'x', alias: null, password_policy: null, created_at: now.toISOString() })
        .execute();
      const orgId = 'm-' + 'a'.repeat(32);
      await store.db
        .insertInto('wm_organizations')
        .values({
          id: orgId,
          account_id: '111111111111',
          alias: 'acme',
          alias_lower: 'acme',
          state: 'Active',
          default_mail_domain: 'acme.example',
          directory_id: 'd-1',
          directory_type: 'WorkMail Directory',
          client_token: null,
          interoperability_enabled: 0,
          created_at: now.toISOString(),
          completed_at: now.toISOString(),
          deleted_at: null,
        })
        .execute();
      const rules = [{ ImpersonationRuleId: 'all', Effect: 'ALLOW' }];
      await store.db
        .insertInto('wm_impersonation_roles')
        .values({ id: 'role-1', org_id: orgId, name: 'reader', type: 'READ_ONLY', description: null, rules: JSON.stringify(rules), client_token: null, created_at: now.toISOString(), modified_at: now.toISOString() })
        .execute();

      const { token, expiresIn } = await assumeImpersonationRole(store.db, orgId, 'role-1', now);
      assert.equal(expiresIn, IMPERSONATION_TOKEN_LIFETIME_SECONDS);
      assert.match(token, /^[\x21-\x7e]{32,256}$/);
      const stored = await store.db.selectFrom('wm_impersonation_tokens').selectAll().execute();
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0]!.token_hash, token);
      assert.ok(!JSON.stringify(stored).includes(token), 'the token itself is nowhere in the store');

      const verified = await verifyImpersonationToken(store.db, token, new Date(now.getTime() + 60_000));
      assert.equal(verified?.roleId, 'role-1');
      assert.equal(verified?.orgId, orgId);
      assert.equal(verified?.type, 'READ_ONLY');
      assert.deepEqual(verified?.rules, rules);
      assert.equal(await verifyImpersonationToken(store.db, token + 'x', now), undefined, 'another string is not the token');
      assert.equal(await verifyImpersonationToken(store.db, token, new Date(now.getTime() + expiresIn * 1000)), undefined, 'expired at ExpiresIn');

      await store.db.deleteFrom('wm_impersonation_roles').where('id', '=', 'role-1').execute();
      assert.equal(await verifyImpersonationToken(store.db, token, now), undefined, 'a deleted role voids its tokens');
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
