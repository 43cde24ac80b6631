// Server-side AWS Signature Version 4 verification for requests from the AWS CLI and SDKs
// (IAM, STS, WorkMail). What is checked, and how, is described in docs/sigv4.md.
import { SigningKeyCache } from './sigv4/keys.ts';
import { verifyWithCache } from './sigv4/verify.ts';

export { SigV4Error, jsonProtocolErrorCode } from './sigv4/errors.ts';
export type { SigV4ErrorCode } from './sigv4/errors.ts';

export interface SignedRequest {
  method: string;
  /** Path exactly as received, before decoding (e.g. '/' or '/a%20b/'). */
  rawPath: string;
  /** Query string without '?', as received ('' if none). */
  rawQuery: string;
  /**
   * Lower-cased header names. IncomingMessage.headersDistinct gives AWS's exact handling of
   * repeated headers; IncomingMessage.headers works for everything AWS clients send.
   */
  headers: Record<string, string | string[] | undefined>;
  /** sha256 hex of the body the server actually received. */
  bodySha256Hex: string;
}

export interface SigningSecret {
  secretAccessKey: string;
}

export interface VerifyOptions {
  now: Date;
  /** Default 900 (15 minutes), as AWS. */
  clockSkewSeconds?: number;
  /** The scope's region must equal it. */
  region: string;
  /** Services the endpoint accepts; the scope's must be one. */
  services: readonly string[];
  /** null: unknown, inactive or deleted key. */
  lookupSecret: (accessKeyId: string) => SigningSecret | null | Promise<SigningSecret | null>;
}

export interface VerifiedIdentity {
  accessKeyId: string;
  region: string;
  service: string;
  /** yyyymmdd */
  date: string;
  signedHeaders: string[];
  presigned: boolean;
  requestTime: Date;
}

// Holds keys for up to this many (access key, day, region, service) scopes.
const sharedKeys = new SigningKeyCache(4096);

/** Verifies a SigV4-signed request; rejects with SigV4Error when it is not valid. */
export function verifySigV4(req: SignedRequest, opts: VerifyOptions): Promise<VerifiedIdentity> {
  return verifyWithCache(req, opts, sharedKeys);
}
