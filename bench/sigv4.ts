// SigV4 verification throughput on one core, next to @smithy/signature-v4's signing throughput.
// Run: node --import tsx bench/sigv4.ts
import { createHash, createHmac } from 'node:crypto';
import { cpus } from 'node:os';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySigV4 } from '../src/aws/sigv4.ts';
import type { SignedRequest, VerifyOptions } from '../src/aws/sigv4.ts';
import { SigningKeyCache } from '../src/aws/sigv4/keys.ts';
import { verifyWithCache } from '../src/aws/sigv4/verify.ts';

const AKID = 'AKIAGODWITBENCH00001';
const SECRET = 'bench/SecretKey0123456789abcdefghijklmnopq';
const NOW = new Date('2026-11-29T10:25:00Z');
const BODY = 'Action=CreateUser&Version=2010-05-08&UserName=jane.doe&Path=%2Fengineering%2F';

// node:crypto behind the SDK's Checksum interface, so the peer is not slowed by pure-JS hashing.
class NodeSha256 {
  readonly #hash;
  constructor(secret?: Uint8Array | string) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: Uint8Array | string): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
  reset(): void {}
}

// An IAM CreateUser POST as the AWS SDK / CLI sends it, 6 signed headers.
const httpRequest = () => ({
  method: 'POST',
  protocol: 'https:',
  hostname: 'iam.godwit.example.com',
  path: '/',
  query: {},
  headers: {
    host: 'iam.godwit.example.com',
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'content-length': String(BODY.length),
    'x-amz-user-agent': 'aws-sdk-js/3.1169.0',
  },
  body: BODY,
});

const signerWith = (sha256: unknown) =>
  new SignatureV4({
    service: 'iam',
    region: 'us-east-1',
    sha256: sha256 as typeof Sha256,
    credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
  });

const signed = (await signerWith(Sha256).sign(httpRequest(), { signingDate: NOW })) as { headers: Record<string, string> };
const request: SignedRequest = {
  method: 'POST',
  rawPath: '/',
  rawQuery: '',
  headers: { ...signed.headers, 'user-agent': 'aws-cli/2.17.0 Python/3.12.6 Linux/6.1 exe/x86_64', accept: '*/*' },
  bodySha256Hex: createHash('sha256').update(BODY).digest('hex'),
};
const secret = { secretAccessKey: SECRET };
const opts: VerifyOptions = {
  now: NOW,
  region: 'us-east-1',
  services: ['iam', 'sts', 'workmail'],
  lookupSecret: (id) => (id === AKID ? secret : null),
};

async function rate(label: string, fn: () => Promise<unknown>, seconds = 3): Promise<number> {
  for (let i = 0; i < 20_000; i++) await fn();
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) await fn();
    n += 1000;
  }
  const perSecond = n / ((performance.now() - start) / 1000);
  console.log(`${label.padEnd(58)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} /s  ${(1e6 / perSecond).toFixed(2)} µs/op`);
  return perSecond;
}

console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one core (single thread)`);
console.log(`request: POST / IAM CreateUser, SignedHeaders=${/SignedHeaders=([^,]+)/.exec(signed.headers['authorization']!)![1]}`);
const noCache = new SigningKeyCache(0);
await rate('verifySigV4, signing-key cache', () => verifySigV4(request, opts));
await rate('verifySigV4, no signing-key cache (4 extra HMACs)', () => verifyWithCache(request, opts, noCache));
const smithyNode = signerWith(NodeSha256);
const smithyJs = signerWith(Sha256);
await rate('peer: @smithy/signature-v4 sign, node:crypto sha256', () => smithyNode.sign(httpRequest(), { signingDate: NOW }));
await rate('peer: @smithy/signature-v4 sign, @aws-crypto/sha256-js', () => smithyJs.sign(httpRequest(), { signingDate: NOW }), 2);
