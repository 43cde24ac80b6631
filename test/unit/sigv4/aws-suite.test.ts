// AWS's published SigV4 test suite: our canonicalisation must reproduce AWS's canonical
// request, string to sign and signature byte for byte, and verifySigV4 must accept each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { verifySigV4 } from '../../../src/aws/sigv4.ts';
import { canonicalRequest, stringToSign } from '../../../src/aws/sigv4/canonical.ts';
import { deriveSigningKey } from '../../../src/aws/sigv4/keys.ts';
import { SUITE, VECTORS } from './aws-suite-vectors.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const AMZ_DATE = '20150830T123600Z';
const SCOPE = `20150830/${SUITE.region}/${SUITE.service}/aws4_request`;

test('signing key derivation matches the example in the AWS documentation', () => {
  const key = deriveSigningKey(SUITE.secretAccessKey, '20150830', 'us-east-1', 'iam');
  assert.equal(key.toString('hex'), 'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
});

for (const v of VECTORS) {
  test(`aws suite: ${v.name}`, async () => {
    const creq = canonicalRequest({
      method: v.method,
      rawPath: v.path,
      rawQuery: v.query,
      presigned: false,
      headers: v.headers,
      signedHeaders: v.signedHeaders.split(';'),
      payloadHash: sha256(v.body),
    });
    assert.equal(creq, v.canonicalRequest);
    const sts = stringToSign(AMZ_DATE, SCOPE, sha256(creq));
    assert.equal(sts, v.stringToSign);
    const key = deriveSigningKey(SUITE.secretAccessKey, '20150830', SUITE.region, SUITE.service);
    assert.equal(createHmac('sha256', key).update(sts).digest('hex'), v.signature);

    const identity = await verifySigV4(
      {
        method: v.method,
        rawPath: v.path,
        rawQuery: v.query,
        headers: {
          ...v.headers,
          authorization:
            `AWS4-HMAC-SHA256 Credential=${SUITE.accessKeyId}/${SCOPE}, ` +
            `SignedHeaders=${v.signedHeaders}, Signature=${v.signature}`,
        },
        bodySha256Hex: sha256(v.body),
      },
      {
        now: SUITE.now,
        region: SUITE.region,
        services: [SUITE.service],
        lookupSecret: (id) => (id === SUITE.accessKeyId ? { secretAccessKey: SUITE.secretAccessKey } : null),
      },
    );
    assert.equal(identity.accessKeyId, SUITE.accessKeyId);
    assert.deepEqual(identity.signedHeaders, v.signedHeaders.split(';'));
  });
}
