import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccountCache } from '../../src/iam/account-cache.ts';

test('a cached read is served until its account changes, then loaded again', async () => {
  const cache = new AccountCache();
  let loads = 0;
  const load = async () => ++loads;
  assert.equal(await cache.read('111111111111', 'user:alice', load), 1);
  assert.equal(await cache.read('111111111111', 'user:alice', load), 1);
  cache.invalidate('222222222222');
  assert.equal(await cache.read('111111111111', 'user:alice', load), 1, 'another account changing does not matter');
  cache.invalidate('111111111111');
  assert.equal(await cache.read('111111111111', 'user:alice', load), 2);
});

test('a load that races a change is never served afterwards', async () => {
  const cache = new AccountCache();
  let release!: () => void;
  const slow = cache.read('111111111111', 'key:AKIA', () => new Promise<string>((resolve) => (release = () => resolve('active'))));
  cache.invalidate('111111111111'); // the key was deactivated while the read was in flight
  release();
  assert.equal(await slow, 'active');
  assert.equal(await cache.read('111111111111', 'key:AKIA', async () => 'inactive'), 'inactive');
});

test('a failed load is not kept', async () => {
  const cache = new AccountCache();
  await assert.rejects(cache.read('111111111111', 'x', async () => Promise.reject(new Error('db down'))));
  assert.equal(await cache.read('111111111111', 'x', async () => 'ok'), 'ok');
});
