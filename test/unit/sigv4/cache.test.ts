// The signing-key cache must never let a changed secret meet a key derived from the old one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigningKeyCache, deriveSigningKey } from '../../../src/aws/sigv4/keys.ts';
import { verifySigV4 } from '../../../src/aws/sigv4.ts';
import { AKID, REQUESTS, SECRET, options, signWithSmithy } from './helpers.ts';

test('a rotated secret is used at once, never the cached key of the old one', async () => {
  const { service, req } = REQUESTS['sts POST form']!;
  const oldSigned = await signWithSmithy(service, req);
  let secret = SECRET;
  const opts = options({ lookupSecret: () => ({ secretAccessKey: secret }) });
  await verifySigV4(oldSigned, opts);
  secret = 'rotated/SecretKeyabcdefghijklmnopqrstuvwx';
  await assert.rejects(verifySigV4(oldSigned, opts), { code: 'SignatureDoesNotMatch' });
  await verifySigV4(await signWithSmithy(service, req, { secret }), opts);
});

test('the cache is bounded and returns the same keys as derivation', () => {
  const cache = new SigningKeyCache(3);
  for (let day = 1; day <= 10; day++) {
    const date = `202611${String(day).padStart(2, '0')}`;
    assert.deepEqual(cache.get(AKID, SECRET, date, 'eu-west-1', 'iam'), deriveSigningKey(SECRET, date, 'eu-west-1', 'iam'));
  }
  assert.equal(cache.size, 3);
  const uncached = new SigningKeyCache(0);
  assert.deepEqual(uncached.get(AKID, SECRET, '20261129', 'eu-west-1', 'iam'), deriveSigningKey(SECRET, '20261129', 'eu-west-1', 'iam'));
  assert.equal(uncached.size, 0);
});
