// The login throttle and the verified-password memory keep their bounds and their clocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoginThrottle } from '../../src/security/login-throttle.ts';
import { VerifiedPasswords } from '../../src/security/verified-passwords.ts';

test('the throttle tracks at most maxTracked addresses, forgetting the stalest first, and forgets an address after its window', () => {
  const throttle = new LoginThrottle({ baseDelayMs: 10, maxDelayMs: 80, maxFailures: 3, windowMs: 1000, maxTracked: 3 });
  const at = (ms: number) => new Date(1_000_000 + ms);
  for (const [i, address] of ['a', 'b', 'c', 'd'].entries()) throttle.failed(address, at(i));
  assert.equal(throttle.size, 3);
  assert.equal(throttle.failed('a', at(10)), 10, "'a' was forgotten: its next failure is a first one");
  for (let i = 0; i < 3; i++) throttle.failed('z', at(20));
  assert.equal(throttle.lockedFor('z', at(20)), 1000);
  assert.equal(throttle.lockedFor('z', at(1019)), 1);
  assert.equal(throttle.lockedFor('z', at(1020)), 0);
  throttle.succeeded('a');
  assert.equal(throttle.failed('a', at(30)), 10, 'success clears the address');
});

test('verified passwords expire, are bounded, and never match another stored hash or password', () => {
  const memory = new VerifiedPasswords(1000, 2);
  const now = new Date(5_000_000);
  memory.remember('u1', '$scrypt$h1', 'pw', now);
  assert.equal(memory.has('u1', '$scrypt$h1', 'pw', now), true);
  assert.equal(memory.has('u1', '$scrypt$h2', 'pw', now), false, 'a new stored hash (password changed) does not match');
  assert.equal(memory.has('u1', '$scrypt$h1', 'pw2', now), false);
  assert.equal(memory.has('u2', '$scrypt$h1', 'pw', now), false);
  assert.equal(memory.has('u1', '$scrypt$h1', 'pw', new Date(now.getTime() + 1000)), false, 'expired');
  memory.remember('a', 'h', 'p', now);
  memory.remember('b', 'h', 'p', now);
  memory.remember('c', 'h', 'p', now);
  assert.equal(memory.size, 2);
  assert.equal(memory.has('a', 'h', 'p', now), false, 'the oldest was dropped');
});
