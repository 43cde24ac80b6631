// The errors a SigV4 check can end in. `code` is what AWS's Query services (IAM, STS) answer;
// JSON services (WorkMail) use other names, see jsonProtocolErrorCode. Their HTTP statuses are
// in the AWS edge's table (src/aws/errors.ts): IncompleteSignature is the only 400.
import { DomainError } from '../../errors.ts';

export type SigV4ErrorCode =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'InvalidClientTokenId'
  | 'SignatureDoesNotMatch'
  | 'RequestExpired'
  | 'AccessDenied';

export class SigV4Error extends DomainError {
  declare readonly code: SigV4ErrorCode;

  constructor(code: SigV4ErrorCode, message: string) {
    super(code === 'IncompleteSignature' ? 'invalid' : 'denied', code, message);
  }
}

const JSON_CODE: Record<SigV4ErrorCode, string> = {
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  // An expired presigned request; JSON services report every signature-time problem this way.
  RequestExpired: 'InvalidSignatureException',
  AccessDenied: 'AccessDeniedException',
};

/** The `__type` an AWS JSON-protocol service (WorkMail) sends for this error. */
export function jsonProtocolErrorCode(code: SigV4ErrorCode): string {
  return JSON_CODE[code];
}

export const MESSAGES = {
  missingToken: 'Request is missing Authentication Token',
  unknownKey: 'The security token included in the request is invalid.',
  mismatch:
    'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
} as const;
