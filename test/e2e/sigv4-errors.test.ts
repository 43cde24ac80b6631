// SigV4 failures as IAM/STS clients see them over HTTP: codes, statuses and wording.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { XMLParser } from 'fast-xml-parser';
import { fixedClock } from '../../src/clock.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const xml = new XMLParser();

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = xml.parse(await response.text()) as { ErrorResponse: { Error: { Code: string; Message: string } } };
  return { status: response.status, code: body.ErrorResponse.Error.Code, message: body.ErrorResponse.Error.Message };
}

describe('SigV4 errors over HTTP', () => {
  const clock = fixedClock(new Date());
  let t: TestServer;
  let signer: SignatureV4;
  before(async () => {
    t = await startTestServer({ clock });
    signer = new SignatureV4({
      service: 'sts',
      region: t.region,
      credentials: { accessKeyId: t.admin.accessKeyId, secretAccessKey: t.admin.secretAccessKey },
      sha256: Sha256,
    });
  });
  after(() => t.stop());

  const presignedUrl = async (signingDate: Date, expiresIn: number) => {
    const url = new URL(t.endpoint);
    const request = await signer.presign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: url.host },
      },
      { signingDate, expiresIn },
    );
    const query = new URLSearchParams(request.query as Record<string, string>).toString();
    return `${t.endpoint}/?${query}`;
  };

  test('a request signed outside the clock window: SignatureDoesNotMatch "Signature expired"', async () => {
    clock.advance(16 * 60 * 1000);
    try {
      await assert.rejects(t.sts().send(new GetCallerIdentityCommand({})), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'SignatureDoesNotMatch');
        assert.match(error.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
        assert.equal(error.$metadata?.httpStatusCode, 403);
        return true;
      });
    } finally {
      clock.set(new Date());
    }
  });

  test('a presigned URL works until it expires, then answers RequestExpired', async () => {
    const now = clock.now();
    const fresh = await fetch(await presignedUrl(now, 300));
    assert.equal(fresh.status, 200);
    assert.match(await fresh.text(), new RegExp(`<Account>${t.admin.accountId}</Account>`));
    const stale = await errorOf(await fetch(await presignedUrl(new Date(now.getTime() - 120_000), 60)));
    assert.deepEqual({ status: stale.status, code: stale.code }, { status: 403, code: 'RequestExpired' });
    assert.match(stale.message, /^Request has expired/);
  });

  test('no signature at all: MissingAuthenticationToken', async () => {
    const missing = await errorOf(await fetch(`${t.endpoint}/?Action=GetCallerIdentity&Version=2011-06-15`));
    assert.deepEqual(missing, { status: 403, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' });
  });

  test('a malformed Authorization header: IncompleteSignature (400)', async () => {
    const response = await fetch(`${t.endpoint}/?Action=GetCallerIdentity&Version=2011-06-15`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/sts/aws4_request', 'x-amz-date': '20260101T000000Z' },
    });
    const error = await errorOf(response);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'IncompleteSignature');
    assert.match(error.message, /Authorization header requires 'Signature' parameter\./);
  });
});
