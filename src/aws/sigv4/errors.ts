// The errors a SigV4 check can end in. `code` and `status` are what AWS's Query services
// (IAM, STS) answer; JSON services (WorkMail) use other names, see jsonProtocolErrorCode.
import { DomainError } from '../../errors.ts';

export type SigV4ErrorCode =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'InvalidClientTokenId'
  | 'SignatureDoesNotMatch'
  | 'RequestExpired'
  | 'AccessDenied';

// Statuses as AWS's Query services send them: IncompleteSignature is the only 400, clock
// skew comes back as 403 (STS answers it as SignatureDoesNotMatch, see queryProtocolErrorCode).
const STATUS: Record<SigV4ErrorCode, number> = {
  MissingAuthenticationToken: 403,
  IncompleteSignature: 400,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  RequestExpired: 403,
  AccessDenied: 403,
};

export class SigV4Error extends DomainError {
  declare readonly code: SigV4ErrorCode;

  constructor(code: SigV4ErrorCode, message: string) {
    super(code, STATUS[code], message);
  }
}

const JSON_CODE: Record<SigV4ErrorCode, string> = {
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  // AWS JSON services report clock skew as InvalidSignatureException "Signature expired: ...".
  RequestExpired: 'InvalidSignatureException',
  AccessDenied: 'AccessDeniedException',
};

/** The `__type` an AWS JSON-protocol service (WorkMail) sends for this error. */
export function jsonProtocolErrorCode(code: SigV4ErrorCode): string {
  return JSON_CODE[code];
}

/**
 * The `<Code>` IAM and STS send. Identical to `code` except for clock skew, which real STS/IAM
 * answer as SignatureDoesNotMatch "Signature expired: ..." (clients detect skew by that message).
 */
export function queryProtocolErrorCode(code: SigV4ErrorCode): string {
  return code === 'RequestExpired' ? 'SignatureDoesNotMatch' : code;
}

export const MESSAGES = {
  missingToken: 'Request is missing Authentication Token',
  unknownKey: 'The security token included in the request is invalid.',
  mismatch:
    'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
} as const;
