// Requests signed by the AWS SDK v3 signer verify; changing any single signed byte does not,
// while unsigned headers may change freely.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SigV4Error, verifySigV4 } from '../../../src/aws/sigv4.ts';
import type { SignedRequest, SigV4ErrorCode } from '../../../src/aws/sigv4.ts';
import { REQUESTS, options, sha256Hex, signWithSmithy } from './helpers.ts';

// Replaces the character at i with a different one of the same kind, so the request stays
// well-formed and only its meaning changes.
function flip(s: string, i: number): string {
  const c = s[i]!;
  let r: string;
  if (c >= '0' && c <= '8') r = String.fromCharCode(c.charCodeAt(0) + 1);
  else if (c === '9') r = '0';
  else if (/[a-yA-Y]/.test(c)) r = String.fromCharCode(c.charCodeAt(0) + 1);
  else if (c === 'z' || c === 'Z') r = 'a';
  else r = c === 'x' ? 'y' : 'x';
  return s.slice(0, i) + r + s.slice(i + 1);
}

async function rejectsWith(req: SignedRequest, codes: readonly SigV4ErrorCode[], what: string): Promise<void> {
  await assert.rejects(verifySigV4(req, options()), (err: unknown) => {
    assert.ok(err instanceof SigV4Error, what);
    assert.ok(codes.includes(err.code), `${what}: got ${err.code} ${err.message}`);
    return true;
  });
}

const withHeader = (req: SignedRequest, name: string, value: string): SignedRequest => ({
  ...req,
  headers: { ...req.headers, [name]: value },
});

for (const [name, { service, req }] of Object.entries(REQUESTS)) {
  describe(`signed by @smithy/signature-v4: ${name}`, () => {
    test('verifies', async () => {
      const signed = await signWithSmithy(service, req);
      const identity = await verifySigV4(signed, options());
      assert.equal(identity.service, service);
      assert.equal(identity.presigned, false);
      assert.equal(identity.date, '20261129');
    });

    test('a flipped method or path fails', async () => {
      const signed = await signWithSmithy(service, req);
      await rejectsWith({ ...signed, method: signed.method === 'GET' ? 'PUT' : 'GET' }, ['SignatureDoesNotMatch'], 'method');
      await rejectsWith({ ...signed, rawPath: '/x' }, ['SignatureDoesNotMatch'], 'path');
      await rejectsWith({ ...signed, rawPath: '/%2F' }, ['SignatureDoesNotMatch'], 'path');
    });

    test('every byte of the query is signed', async () => {
      const signed = await signWithSmithy(service, req);
      for (let i = 0; i < signed.rawQuery.length; i++) {
        if ('&=%'.includes(signed.rawQuery[i]!)) continue;
        await rejectsWith({ ...signed, rawQuery: flip(signed.rawQuery, i) }, ['SignatureDoesNotMatch'], `query[${i}]`);
      }
      await rejectsWith({ ...signed, rawQuery: `${signed.rawQuery}&Extra=1` }, ['SignatureDoesNotMatch'], 'added param');
    });

    test('every byte of every signed header is signed', async () => {
      const signed = await signWithSmithy(service, req);
      const auth = signed.headers['authorization'] as string;
      const signedNames = /SignedHeaders=([^,]+)/.exec(auth)![1]!.split(';');
      assert.ok(signedNames.length >= 4);
      for (const header of signedNames) {
        const value = signed.headers[header] as string;
        // A changed date may also be malformed, outside the window, or off the scope's day.
        const codes: SigV4ErrorCode[] =
          header === 'x-amz-date' ? ['SignatureDoesNotMatch', 'IncompleteSignature', 'RequestExpired'] : ['SignatureDoesNotMatch'];
        for (let i = 0; i < value.length; i++) {
          await rejectsWith(withHeader(signed, header, flip(value, i)), codes, `${header}[${i}]`);
        }
        const { [header]: _removed, ...without } = signed.headers;
        await rejectsWith({ ...signed, headers: without }, ['SignatureDoesNotMatch', 'IncompleteSignature'], `${header} removed`);
      }
    });

    test('the body is signed', async () => {
      const signed = await signWithSmithy(service, req);
      const body = req.body ?? '';
      await rejectsWith({ ...signed, bodySha256Hex: sha256Hex(`${body} `) }, ['SignatureDoesNotMatch'], 'body');
      const { ['x-amz-content-sha256']: _dropped, ...headers } = signed.headers;
      await rejectsWith({ ...signed, headers, bodySha256Hex: sha256Hex(`${body}x`) }, ['SignatureDoesNotMatch'], 'body');
    });

    test('every byte of the Authorization header matters', async () => {
      const signed = await signWithSmithy(service, req);
      const auth = signed.headers['authorization'] as string;
      const akidEnd = auth.indexOf('/');
      for (let i = 0; i < auth.length; i++) {
        const codes: SigV4ErrorCode[] =
          i >= auth.indexOf('Credential=') + 11 && i < akidEnd ? ['InvalidClientTokenId'] : ['SignatureDoesNotMatch', 'IncompleteSignature', 'RequestExpired'];
        await rejectsWith(withHeader(signed, 'authorization', flip(auth, i)), codes, `authorization[${i}]`);
      }
    });

    test('unsigned headers may change freely', async () => {
      const signed = await signWithSmithy(service, req);
      const relaxed = {
        ...signed,
        headers: {
          ...signed.headers,
          'user-agent': 'aws-cli/2.17.0 Python/3.12',
          'x-amzn-trace-id': 'Root=1-abc',
          'x-forwarded-for': '192.0.2.1',
          accept: '*/*',
          connection: 'keep-alive',
        },
      };
      await verifySigV4(relaxed, options());
    });

    test('header values are compared after trimming and collapsing spaces', async () => {
      const signed = await signWithSmithy(service, req);
      const host = signed.headers['host'] as string;
      await verifySigV4(withHeader(signed, 'host', `  ${host}\t `), options());
    });
  });
}

test('a scope for another region, service or day fails with AWS messages', async () => {
  const { service, req } = REQUESTS['sts POST form']!;
  const wrongRegion = await signWithSmithy(service, req, { region: 'us-east-1' });
  await assert.rejects(verifySigV4(wrongRegion, options()), {
    code: 'SignatureDoesNotMatch',
    kind: 'denied',
    message: "Credential should be scoped to a valid region, not 'us-east-1'. ",
  });
  const wrongService = await signWithSmithy('s3', req);
  await assert.rejects(verifySigV4(wrongService, options({ services: ['iam'] })), {
    code: 'SignatureDoesNotMatch',
    message: "Credential should be scoped to correct service: 'iam'. ",
  });
  await assert.rejects(verifySigV4(await signWithSmithy(service, req), options({ services: ['iam'] })), {
    code: 'SignatureDoesNotMatch',
  });
  const signed = await signWithSmithy(service, req);
  const auth = (signed.headers['authorization'] as string).replace('/20261129/', '/20261128/');
  await assert.rejects(verifySigV4(withHeader(signed, 'authorization', auth), options()), {
    code: 'SignatureDoesNotMatch',
    message:
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261128' != '20261129', from '20261129T102500Z'.",
  });
});

test('an unknown access key fails with InvalidClientTokenId', async () => {
  const { service, req } = REQUESTS['workmail POST JSON']!;
  const signed = await signWithSmithy(service, req);
  await assert.rejects(verifySigV4(signed, options({ lookupSecret: () => null })), {
    code: 'InvalidClientTokenId',
    kind: 'denied',
    message: 'The security token included in the request is invalid.',
  });
  await assert.rejects(verifySigV4(signed, options({ lookupSecret: async () => null })), { code: 'InvalidClientTokenId' });
});

test('a wrong secret fails with SignatureDoesNotMatch and AWS message', async () => {
  const { service, req } = REQUESTS['iam GET with query']!;
  const signed = await signWithSmithy(service, req, { secret: 'not-the-secret' });
  await assert.rejects(verifySigV4(signed, options()), {
    code: 'SignatureDoesNotMatch',
    kind: 'denied',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  });
});
