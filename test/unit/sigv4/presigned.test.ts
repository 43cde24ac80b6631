// Presigned URLs (query-string authentication): they verify, expire, and bound X-Amz-Expires.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifySigV4 } from '../../../src/aws/sigv4.ts';
import type { SignedRequest } from '../../../src/aws/sigv4.ts';
import { NOW, REQUESTS, options, presignWithSmithy, signWithSmithy } from './helpers.ts';

const getCallerIdentity = { method: 'GET', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: {} };
const at = (seconds: number) => options({ now: new Date(NOW.getTime() + seconds * 1000) });
const setParam = (req: SignedRequest, name: string, value: string): SignedRequest => ({
  ...req,
  rawQuery: req.rawQuery.replace(new RegExp(`${name}=[^&]*`), `${name}=${value}`),
});

test('a presigned STS GetCallerIdentity URL verifies', async () => {
  const url = await presignWithSmithy('sts', getCallerIdentity);
  const identity = await verifySigV4(url, options());
  assert.equal(identity.presigned, true);
  assert.deepEqual(identity.signedHeaders, ['host']);
  assert.equal(identity.service, 'sts');
});

test('presigned requests of every API verify; a changed query value does not', async () => {
  for (const { service, req } of Object.values(REQUESTS)) {
    const url = await presignWithSmithy(service, { ...req, method: 'GET', body: undefined });
    await verifySigV4(url, options());
    await assert.rejects(verifySigV4({ ...url, rawQuery: url.rawQuery.replace('X-Amz-Date=20261129T102500Z', 'X-Amz-Date=20261129T102501Z') }, options()), {
      code: 'SignatureDoesNotMatch',
    });
  }
  const url = await presignWithSmithy('sts', getCallerIdentity);
  await assert.rejects(verifySigV4(setParam(url, 'Action', 'AssumeRole'), options()), { code: 'SignatureDoesNotMatch' });
  await assert.rejects(verifySigV4(setParam(url, 'X-Amz-Expires', '901'), options()), { code: 'SignatureDoesNotMatch' });
  await assert.rejects(verifySigV4({ ...url, headers: { host: 'evil.example.com' } }, options()), { code: 'SignatureDoesNotMatch' });
});

test('a presigned URL is valid until X-Amz-Date + X-Amz-Expires, inclusive', async () => {
  const url = await presignWithSmithy('sts', getCallerIdentity, { expiresIn: 3600 });
  await verifySigV4(url, at(3600));
  await assert.rejects(verifySigV4(url, at(3601)), { code: 'RequestExpired', kind: 'denied' });
  // Longer than the clock window: still valid, X-Amz-Expires governs.
  await verifySigV4(url, at(1800));
});

test('a presigned URL dated beyond the clock skew is not yet valid', async () => {
  const url = await presignWithSmithy('sts', getCallerIdentity);
  await verifySigV4(url, at(-900));
  await assert.rejects(verifySigV4(url, at(-901)), {
    code: 'SignatureDoesNotMatch',
    message: /^Signature not yet current: 20261129T102500Z is still later than 20261129T102459Z/,
  });
});

test('X-Amz-Expires must be 1..604800', async () => {
  const url = await presignWithSmithy('sts', getCallerIdentity);
  await assert.rejects(verifySigV4(setParam(url, 'X-Amz-Expires', '604801'), options()), {
    code: 'AccessDenied',
    kind: 'denied',
    message: 'X-Amz-Expires must be less than a week (in seconds) that is 604800',
  });
  await assert.rejects(verifySigV4(setParam(url, 'X-Amz-Expires', '0'), options()), { code: 'AccessDenied' });
  await assert.rejects(verifySigV4(setParam(url, 'X-Amz-Expires', '-5'), options()), { code: 'IncompleteSignature' });
  await assert.rejects(verifySigV4(setParam(url, 'X-Amz-Expires', 'soon'), options()), { code: 'IncompleteSignature' });
  // The largest allowed value reaches the signature check (and fails it only because it was changed).
  await assert.rejects(verifySigV4(setParam(url, 'X-Amz-Expires', '604800'), options()), { code: 'SignatureDoesNotMatch' });
  const week = await presignWithSmithy('sts', getCallerIdentity, { expiresIn: 604800 });
  await verifySigV4(week, at(604800));
});

test('missing presign parameters are listed as AWS lists them', async () => {
  const url = await presignWithSmithy('sts', getCallerIdentity);
  const without = url.rawQuery
    .split('&')
    .filter((p) => !p.startsWith('X-Amz-SignedHeaders=') && !p.startsWith('X-Amz-Date='))
    .join('&');
  await assert.rejects(verifySigV4({ ...url, rawQuery: without }, options()), {
    code: 'IncompleteSignature',
    kind: 'invalid',
    message:
      "AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
  });
  await assert.rejects(verifySigV4(setParam(url, 'X-Amz-Algorithm', 'AWS4-HMAC-SHA512'), options()), { code: 'IncompleteSignature' });
});

test('an Authorization header and a presigned query together are refused', async () => {
  const url = await presignWithSmithy('sts', getCallerIdentity);
  const signed = await signWithSmithy('sts', getCallerIdentity);
  await assert.rejects(verifySigV4({ ...url, headers: signed.headers }, options()), { code: 'IncompleteSignature' });
});

test('UNSIGNED-PAYLOAD is accepted only on presigned requests', async () => {
  const url = await presignWithSmithy('sts', { ...getCallerIdentity, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  assert.match(url.rawQuery, /x-amz-content-sha256=UNSIGNED-PAYLOAD/i);
  await verifySigV4(url, options());
  const signed = await signWithSmithy('sts', { ...getCallerIdentity, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  await assert.rejects(verifySigV4(signed, options()), { code: 'SignatureDoesNotMatch' });
});
