// A raw AWS JSON 1.1 call to Godwit, signed with SigV4 as the SDKs sign it, for tests that need
// to see the wire (status, headers, body) or send what an SDK would refuse to send.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials, TestServer } from './server.ts';

export async function workmailCall(t: TestServer, operation: string, input: object, credentials: Credentials = t.admin): Promise<Response> {
  const url = new URL(t.endpoint);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ service: 'workmail', region: t.region, credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `WorkMailService.${operation}`,
    },
    body,
  });
  return fetch(t.endpoint + '/', { method: 'POST', headers: signed.headers as Record<string, string>, body });
}
