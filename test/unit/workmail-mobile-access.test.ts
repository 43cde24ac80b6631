// WorkMail's mobile device access decision as a pure function: device conditions, DENY over
// ALLOW, deny when nothing matches, and per-device overrides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceRuleMatches, mobileDeviceAccessDecision, mobileDeviceAccessEffect, type Device, type MobileDeviceAccessRule } from '../../src/workmail/mobile-access.ts';

const iphone: Device = { deviceType: 'iPhone', deviceModel: 'iPhone10C1', deviceOperatingSystem: 'iOS 12.3.1 16F203', deviceUserAgent: 'iOS/14.2 (18B92) exchangesyncd/1.0' };
const android: Device = { deviceType: 'Android', deviceModel: 'HTCOneX', deviceOperatingSystem: 'Android 8.1.0', deviceUserAgent: 'Android-Mail/7.7.16' };
const allowAll: MobileDeviceAccessRule = { id: 'r-default', name: 'default', effect: 'ALLOW' };

test('no rules deny every device; the default allow-all rule admits any', () => {
  assert.deepEqual(mobileDeviceAccessEffect([], iphone), { effect: 'DENY', matchedRules: [], overridden: false });
  assert.deepEqual(mobileDeviceAccessEffect([allowAll], {}), { effect: 'ALLOW', matchedRules: [{ id: 'r-default', name: 'default' }], overridden: false });
});

test('a matching DENY wins, and names only the denying rules', () => {
  const rules: MobileDeviceAccessRule[] = [allowAll, { id: 'r-android', name: 'no android', effect: 'DENY', deviceTypes: ['Android'] }];
  assert.deepEqual(mobileDeviceAccessEffect(rules, android), { effect: 'DENY', matchedRules: [{ id: 'r-android', name: 'no android' }], overridden: false });
  assert.equal(mobileDeviceAccessEffect(rules, iphone).effect, 'ALLOW');
});

test('each property: in the list, not in the Not list, exactly', () => {
  assert.equal(deviceRuleMatches({ deviceTypes: ['iPhone', 'iPad'] }, iphone), true);
  assert.equal(deviceRuleMatches({ deviceTypes: ['iphone'] }, iphone), false, 'values compare exactly');
  assert.equal(deviceRuleMatches({ notDeviceTypes: ['iPhone'] }, iphone), false);
  assert.equal(deviceRuleMatches({ notDeviceTypes: ['iPhone'] }, android), true);
  assert.equal(deviceRuleMatches({ deviceModels: ['iPhone10C1'] }, iphone), true);
  assert.equal(deviceRuleMatches({ notDeviceModels: ['iPhone10C1'] }, iphone), false);
  assert.equal(deviceRuleMatches({ deviceOperatingSystems: ['Android 8.1.0'] }, android), true);
  assert.equal(deviceRuleMatches({ notDeviceOperatingSystems: ['Android 8.1.0'] }, android), false);
  assert.equal(deviceRuleMatches({ deviceUserAgents: ['Android-Mail/7.7.16'] }, android), true);
  assert.equal(deviceRuleMatches({ notDeviceUserAgents: ['Android-Mail/7.7.16'] }, android), false);
});

test('all conditions of a rule must hold', () => {
  const oldIos: MobileDeviceAccessRule = { id: 'r1', name: 'old ios', effect: 'DENY', deviceTypes: ['iPhone'], deviceOperatingSystems: ['iOS 12.3.1 16F203'] };
  assert.equal(deviceRuleMatches(oldIos, iphone), true);
  assert.equal(deviceRuleMatches(oldIos, { ...iphone, deviceOperatingSystem: 'iOS 17.0' }), false);
  assert.equal(deviceRuleMatches(oldIos, { ...android, deviceOperatingSystem: 'iOS 12.3.1 16F203' }), false);
});

test('a property the device did not report matches only Not conditions', () => {
  const noModel: Device = { deviceType: 'iPhone' };
  assert.equal(deviceRuleMatches({ deviceModels: ['iPhone10C1'] }, noModel), false);
  assert.equal(deviceRuleMatches({ notDeviceModels: ['iPhone10C1'] }, noModel), true);
});

test('an override replaces the rules\' verdict for its user and device', () => {
  const denyAll: MobileDeviceAccessRule[] = [{ id: 'r', name: 'DefaultDenyAll', effect: 'DENY' }];
  assert.equal(mobileDeviceAccessDecision(denyAll, iphone, undefined).effect, 'DENY');
  assert.deepEqual(mobileDeviceAccessDecision(denyAll, iphone, { effect: 'ALLOW' }), { effect: 'ALLOW', matchedRules: [], overridden: true });
  assert.equal(mobileDeviceAccessDecision([allowAll], iphone, { effect: 'DENY' }).effect, 'DENY');
});
