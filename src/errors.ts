// Typed domain errors. Domain code throws these with a protocol-neutral kind; each edge maps
// the kind (and, for AWS, the code) to its own wire form: src/aws/errors.ts for the AWS
// protocols, and the SMTP and IMAP doors their reply codes and NO responses.
// `code` is the name AWS's own clients key on (IAM's NoSuchEntity, WorkMail's
// EntityNotFoundException), since the domain errors mirror AWS's.

/** What went wrong, in terms every door can answer. */
export type ErrorKind =
  /** The thing named does not exist. */
  | 'notFound'
  /** It exists already, or something still depends on it. */
  | 'conflict'
  /** A count or size limit would be exceeded. */
  | 'limit'
  /** The request itself is malformed or names something unusable. */
  | 'invalid'
  /** The thing is in a state that does not allow this now (disabled, pending, deleted). */
  | 'state'
  /** The caller may not do this. */
  | 'denied'
  /** A dependency is unavailable; trying later may succeed. */
  | 'unavailable'
  /** A fault of the server. */
  | 'internal';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

const error = (kind: ErrorKind, code: string) =>
  class extends DomainError {
    constructor(message: string) {
      super(kind, code, message);
    }
  };

export class NoSuchEntity extends error('notFound', 'NoSuchEntity') {}
export class EntityAlreadyExists extends error('conflict', 'EntityAlreadyExists') {}
export class LimitExceeded extends error('limit', 'LimitExceeded') {}
export class DeleteConflict extends error('conflict', 'DeleteConflict') {}
export class MalformedPolicyDocument extends error('invalid', 'MalformedPolicyDocument') {}
export class InvalidInput extends error('invalid', 'InvalidInput') {}
export class ValidationError extends error('invalid', 'ValidationError') {}
export class PasswordPolicyViolation extends error('invalid', 'PasswordPolicyViolation') {}
export class EntityTemporarilyUnmodifiable extends error('state', 'EntityTemporarilyUnmodifiable') {}
export class InvalidUserType extends error('invalid', 'InvalidUserType') {}
export class AccessDenied extends error('denied', 'AccessDenied') {}
export class InvalidAction extends error('invalid', 'InvalidAction') {}
export class PolicyEvaluationError extends error('internal', 'PolicyEvaluation') {}
export class ServiceFailure extends error('internal', 'ServiceFailure') {}
