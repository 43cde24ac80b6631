// The SigV4 check itself, in the order AWS reports problems: form of the request, credential
// scope, clock, payload hash, access key, and only then the signature.
import { hash, createHmac } from 'node:crypto';
import type { SignedRequest, VerifiedIdentity, VerifyOptions } from '../sigv4.ts';
import { canonicalRequest, stringToSign } from './canonical.ts';
import { signaturesEqual } from './compare.ts';
import { MESSAGES, SigV4Error } from './errors.ts';
import { fingerprintOfSecret, type SigningKeyCache } from './keys.ts';
import { first, readAuth } from './parse.ts';
import type { AuthParams } from './parse.ts';
import { checkClockWindow, checkPresignedExpiry } from './time.ts';

const DEFAULT_SKEW_SECONDS = 900;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

const mismatch = (message: string = MESSAGES.mismatch) => new SigV4Error('SignatureDoesNotMatch', message);

function checkScope(auth: AuthParams, opts: VerifyOptions): void {
  const { credential, amzDate } = auth;
  if (!auth.signedHeaders.includes('host')) {
    throw mismatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (credential.terminator !== 'aws4_request') {
    throw mismatch(`Credential should be scoped with a valid terminator: 'aws4_request', not '${credential.terminator}'. `);
  }
  if (credential.region !== opts.region) {
    throw mismatch(`Credential should be scoped to a valid region, not '${credential.region}'. `);
  }
  if (!opts.services.includes(credential.service)) {
    throw mismatch(`Credential should be scoped to correct service: '${opts.services.join("' or '")}'. `);
  }
  if (credential.date !== amzDate.slice(0, 8)) {
    throw mismatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
        `'${credential.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
}

function checkTime(auth: AuthParams, opts: VerifyOptions): void {
  const skew = opts.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS;
  if (auth.presigned && auth.expiresSeconds !== undefined) {
    checkClockWindow(auth.requestTime, opts.now, skew, false);
    checkPresignedExpiry(auth.requestTime, auth.expiresSeconds, opts.now);
  } else {
    checkClockWindow(auth.requestTime, opts.now, skew, true);
  }
}

// The payload hash to sign: what the client declared (it must be true of the body we got),
// else the hash of the body we got.
function payloadHash(auth: AuthParams, req: SignedRequest): string {
  const declared = first(req.headers['x-amz-content-sha256']) ?? auth.queryContentSha256;
  if (declared === undefined) return req.bodySha256Hex;
  if (declared === UNSIGNED_PAYLOAD) {
    if (auth.presigned) return declared;
    throw mismatch('UNSIGNED-PAYLOAD is only accepted for presigned requests.');
  }
  if (declared.toLowerCase() !== req.bodySha256Hex.toLowerCase()) {
    throw mismatch("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return declared;
}

export async function verifyWithCache(
  req: SignedRequest,
  opts: VerifyOptions,
  keys: SigningKeyCache,
): Promise<VerifiedIdentity> {
  const auth = readAuth(req.headers, req.rawQuery);
  checkScope(auth, opts);
  checkTime(auth, opts);
  const payload = payloadHash(auth, req);

  const { credential } = auth;
  const found = opts.lookupSecret(credential.accessKeyId);
  const secret = found instanceof Promise ? await found : found;
  if (secret === null) throw new SigV4Error('InvalidClientTokenId', MESSAGES.unknownKey);

  const creq = canonicalRequest({
    method: req.method,
    rawPath: req.rawPath,
    rawQuery: req.rawQuery,
    presigned: auth.presigned,
    headers: req.headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: payload,
  });
  const sts = stringToSign(auth.amzDate, credential.scope, hash('sha256', creq, 'hex'));
  const key = keys.get(
    credential.accessKeyId,
    secret.secretAccessKey,
    credential.date,
    credential.region,
    credential.service,
    fingerprintOfSecret(secret),
  );
  const expected = createHmac('sha256', key).update(sts).digest('hex');
  if (!signaturesEqual(expected, auth.signature)) throw mismatch();

  return {
    accessKeyId: credential.accessKeyId,
    region: credential.region,
    service: credential.service,
    date: credential.date,
    signedHeaders: auth.signedHeaders,
    presigned: auth.presigned,
    requestTime: auth.requestTime,
  };
}
