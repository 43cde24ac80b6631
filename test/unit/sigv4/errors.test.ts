// Malformed and missing authentication, and the error names each protocol uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigV4Error, jsonProtocolErrorCode, verifySigV4 } from '../../../src/aws/sigv4.ts';
import type { SignedRequest } from '../../../src/aws/sigv4.ts';
import { DomainError } from '../../../src/errors.ts';
import { awsWireError } from '../../../src/aws/errors.ts';
import { loadModel } from '../../../src/aws/model.ts';

const iamModel = loadModel('iam');
const queryStatus = (err: DomainError) => awsWireError(err, { protocol: 'query', model: iamModel }).status;
import { REQUESTS, options, sha256Hex, signWithSmithy } from './helpers.ts';

const bare: SignedRequest = { method: 'GET', rawPath: '/', rawQuery: 'Action=ListUsers', headers: { host: 'h' }, bodySha256Hex: sha256Hex('') };
const withAuth = (authorization: string, extra: Record<string, string> = { 'x-amz-date': '20261129T102500Z' }): SignedRequest => ({
  ...bare,
  headers: { ...bare.headers, ...extra, authorization },
});

test('no authentication at all is MissingAuthenticationToken', async () => {
  await assert.rejects(verifySigV4(bare, options()), (err: unknown) => {
    assert.ok(err instanceof SigV4Error && err instanceof DomainError);
    assert.equal(err.code, 'MissingAuthenticationToken');
    assert.equal(queryStatus(err), 403);
    assert.equal(err.message, 'Request is missing Authentication Token');
    return true;
  });
});

test('missing Authorization parts are listed as AWS lists them', async () => {
  const header = 'AWS4-HMAC-SHA256 Credential=AKID/20261129/eu-west-1/iam/aws4_request';
  await assert.rejects(verifySigV4(withAuth(header, {}), options()), {
    code: 'IncompleteSignature',
    kind: 'invalid',
    message:
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
      `Authorization=${header}`,
  });
  await assert.rejects(verifySigV4(withAuth('AWS4-HMAC-SHA256 '), options()), {
    message: /^Authorization header requires 'Credential' parameter\. Authorization header requires 'Signature' parameter\./,
  });
});

test('malformed Authorization headers are IncompleteSignature', async () => {
  const cases = [
    'AWS4-HMAC-SHA512 Credential=A/20261129/eu-west-1/iam/aws4_request, SignedHeaders=host, Signature=00',
    'AWS AKID:c2lnbmF0dXJl',
    'AWS4-HMAC-SHA256 Credential=A/20261129/eu-west-1/iam, SignedHeaders=host, Signature=00',
    'AWS4-HMAC-SHA256 Credential=A/20261129/eu-west-1/iam/aws4_request, SignedHeaders, Signature=00',
  ];
  for (const header of cases) await assert.rejects(verifySigV4(withAuth(header), options()), { code: 'IncompleteSignature' }, header);
  const good = 'AWS4-HMAC-SHA256 Credential=A/20261129/eu-west-1/iam/aws4_request, SignedHeaders=host, Signature=00';
  for (const date of ['2026-11-29T10:25:00Z', '20261329T102500Z', '20261131T102500Z', '20261129T102500']) {
    await assert.rejects(verifySigV4(withAuth(good, { 'x-amz-date': date }), options()), {
      code: 'IncompleteSignature',
      message: `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    });
  }
});

test('Host must be signed; an unsupported terminator is refused', async () => {
  const base = 'AWS4-HMAC-SHA256 Credential=AKIAGODWITTEST000001/20261129/eu-west-1/iam/';
  await assert.rejects(verifySigV4(withAuth(`${base}aws4_request, SignedHeaders=x-amz-date, Signature=00`), options()), {
    code: 'SignatureDoesNotMatch',
    message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  });
  await assert.rejects(verifySigV4(withAuth(`${base}aws5_request, SignedHeaders=host, Signature=00`), options()), {
    code: 'SignatureDoesNotMatch',
  });
});

test('x-amz-content-sha256 must describe the body received', async () => {
  const { service, req } = REQUESTS['workmail POST JSON']!;
  const signed = await signWithSmithy(service, req);
  await assert.rejects(verifySigV4({ ...signed, bodySha256Hex: sha256Hex('{}') }, options()), {
    code: 'SignatureDoesNotMatch',
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  });
});

test('signatures of the wrong length or case fail without throwing anything else', async () => {
  const { service, req } = REQUESTS['sts POST form']!;
  const signed = await signWithSmithy(service, req);
  const auth = signed.headers['authorization'] as string;
  const sig = /Signature=([0-9a-f]+)/.exec(auth)![1]!;
  for (const bad of [sig.slice(0, 63), `${sig}0`, sig.toUpperCase(), '', 'zz']) {
    await assert.rejects(
      verifySigV4({ ...signed, headers: { ...signed.headers, authorization: auth.replace(sig, bad) } }, options()),
      { code: bad === '' ? 'IncompleteSignature' : 'SignatureDoesNotMatch' },
    );
  }
});

test('JSON protocol error names', () => {
  assert.equal(jsonProtocolErrorCode('MissingAuthenticationToken'), 'MissingAuthenticationTokenException');
  assert.equal(jsonProtocolErrorCode('IncompleteSignature'), 'IncompleteSignatureException');
  assert.equal(jsonProtocolErrorCode('InvalidClientTokenId'), 'UnrecognizedClientException');
  assert.equal(jsonProtocolErrorCode('SignatureDoesNotMatch'), 'InvalidSignatureException');
  assert.equal(jsonProtocolErrorCode('RequestExpired'), 'InvalidSignatureException');
  assert.equal(jsonProtocolErrorCode('AccessDenied'), 'AccessDeniedException');
});
