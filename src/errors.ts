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

/** A DomainError class of one kind and code, constructed with just its message. */
export const errorClass = (kind: ErrorKind, code: string) =>
  class extends DomainError {
    constructor(message: string) {
      super(kind, code, message);
    }
  };

export class NoSuchEntity extends errorClass('notFound', 'NoSuchEntity') {}
export class EntityAlreadyExists extends errorClass('conflict', 'EntityAlreadyExists') {}
export class LimitExceeded extends errorClass('limit', 'LimitExceeded') {}
export class DeleteConflict extends errorClass('conflict', 'DeleteConflict') {}
export class MalformedPolicyDocument extends errorClass('invalid', 'MalformedPolicyDocument') {}
export class InvalidInput extends errorClass('invalid', 'InvalidInput') {}
export class ValidationError extends errorClass('invalid', 'ValidationError') {}
export class PasswordPolicyViolation extends errorClass('invalid', 'PasswordPolicyViolation') {}
export class EntityTemporarilyUnmodifiable extends errorClass('state', 'EntityTemporarilyUnmodifiable') {}
export class InvalidUserType extends errorClass('invalid', 'InvalidUserType') {}
export class AccessDenied extends errorClass('denied', 'AccessDenied') {}
export class InvalidAction extends errorClass('invalid', 'InvalidAction') {}
export class PolicyEvaluationError extends errorClass('internal', 'PolicyEvaluation') {}
export class ServiceFailure extends errorClass('internal', 'ServiceFailure') {}
