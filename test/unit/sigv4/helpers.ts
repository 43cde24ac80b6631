// Signs requests with @smithy/signature-v4 (the AWS SDK v3 signer) and turns them into what
// the HTTP router hands to verifySigV4.
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SignedRequest, VerifyOptions } from '../../../src/aws/sigv4.ts';

export const AKID = 'AKIAGODWITTEST000001';
export const SECRET = 'godwit/Secret+Key0123456789abcdefghijklmn';
export const REGION = 'eu-west-1';
export const NOW = new Date('2026-11-29T10:25:00Z');

export interface PlainRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: string;
}

export const sha256Hex = (body: string) => createHash('sha256').update(body).digest('hex');

const escape = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// As the SDK's query-string builder writes a query object onto the wire.
export function buildQuery(query: Record<string, string | string[]> = {}): string {
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key]!;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${escape(key)}=${escape(v)}`);
  }
  return parts.join('&');
}

function signer(service: string, secret = SECRET) {
  return new SignatureV4({
    service,
    region: REGION,
    sha256: Sha256,
    credentials: { accessKeyId: AKID, secretAccessKey: secret },
  });
}

function toHttpRequest(req: PlainRequest) {
  return {
    method: req.method,
    protocol: 'https:',
    hostname: 'godwit.example.com',
    path: req.path,
    query: req.query ?? {},
    headers: { host: 'godwit.example.com', ...req.headers },
    body: req.body,
  };
}

function received(signed: { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string> }, body: string): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return {
    method: signed.method,
    rawPath: signed.path,
    rawQuery: buildQuery(signed.query as Record<string, string | string[]> | undefined),
    headers,
    bodySha256Hex: sha256Hex(body),
  };
}

export async function signWithSmithy(
  service: string,
  req: PlainRequest,
  opts: { signingDate?: Date; secret?: string; region?: string } = {},
): Promise<SignedRequest> {
  const signed = await signer(service, opts.secret).sign(toHttpRequest(req), {
    signingDate: opts.signingDate ?? NOW,
    signingRegion: opts.region,
  });
  return received(signed as never, req.body ?? '');
}

export async function presignWithSmithy(
  service: string,
  req: PlainRequest,
  opts: { signingDate?: Date; expiresIn?: number } = {},
): Promise<SignedRequest> {
  const signed = await signer(service).presign(toHttpRequest(req), {
    signingDate: opts.signingDate ?? NOW,
    expiresIn: opts.expiresIn ?? 900,
  });
  return received(signed as never, req.body ?? '');
}

export function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    now: NOW,
    region: REGION,
    services: ['iam', 'sts', 'workmail'],
    lookupSecret: (id) => (id === AKID ? { secretAccessKey: SECRET } : null),
    ...overrides,
  };
}

/** Typical request shapes of the three APIs, as the SDK sends them. */
export const REQUESTS: Record<string, { service: string; req: PlainRequest }> = {
  'iam GET with query': {
    service: 'iam',
    req: {
      method: 'GET',
      path: '/',
      query: { Action: 'ListUsers', Version: '2010-05-08', PathPrefix: '/division_abc/sub división/', MaxItems: '10' },
      headers: { 'x-amz-user-agent': 'aws-sdk-js/3.0' },
    },
  },
  'sts POST form': {
    service: 'sts',
    req: {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': '78' },
      body: 'Action=AssumeRole&Version=2011-06-15&RoleSessionName=s%201&DurationSeconds=900',
    },
  },
  'workmail POST JSON': {
    service: 'workmail',
    req: {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'WorkMailService.ListUsers',
        'content-length': '41',
      },
      body: '{"OrganizationId":"m-0123456789abcdef01"}',
    },
  },
};
