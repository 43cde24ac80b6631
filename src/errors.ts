// Typed domain errors. Domain code throws these; each edge maps them to its own wire form
// (AWS Query XML <Code>, AWS JSON __type, later SMTP reply codes and IMAP NO).
// `code` is the IAM/STS wire code, which is the name AWS's own clients key on.

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

const kind = (code: string, status: number) =>
  class extends DomainError {
    constructor(message: string) {
      super(code, status, message);
    }
  };

export class NoSuchEntity extends kind('NoSuchEntity', 404) {}
export class EntityAlreadyExists extends kind('EntityAlreadyExists', 409) {}
export class LimitExceeded extends kind('LimitExceeded', 409) {}
export class DeleteConflict extends kind('DeleteConflict', 409) {}
export class MalformedPolicyDocument extends kind('MalformedPolicyDocument', 400) {}
export class InvalidInput extends kind('InvalidInput', 400) {}
export class ValidationError extends kind('ValidationError', 400) {}
export class PasswordPolicyViolation extends kind('PasswordPolicyViolation', 400) {}
export class EntityTemporarilyUnmodifiable extends kind('EntityTemporarilyUnmodifiable', 409) {}
export class InvalidUserType extends kind('InvalidUserType', 400) {}
export class AccessDenied extends kind('AccessDenied', 403) {}
export class InvalidAction extends kind('InvalidAction', 400) {}
export class PolicyEvaluationError extends kind('PolicyEvaluation', 500) {}
export class ServiceFailure extends kind('ServiceFailure', 500) {}
