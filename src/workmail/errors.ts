// WorkMail's errors, by the codes its model declares, each with its protocol-neutral kind.
import { DomainError, type ErrorKind } from '../errors.ts';

const error = (kind: ErrorKind, code: string) =>
  class extends DomainError {
    constructor(message: string) {
      super(kind, code, message);
    }
  };

export class EntityNotFound extends error('notFound', 'EntityNotFoundException') {}
export class EntityState extends error('state', 'EntityStateException') {}
export class EntityAlreadyRegistered extends error('conflict', 'EntityAlreadyRegisteredException') {}
export class EmailAddressInUse extends error('conflict', 'EmailAddressInUseException') {}
export class InvalidConfiguration extends error('invalid', 'InvalidConfigurationException') {}
export class InvalidCustomSesConfiguration extends error('invalid', 'InvalidCustomSesConfigurationException') {}
export class InvalidParameter extends error('invalid', 'InvalidParameterException') {}
export class InvalidPassword extends error('invalid', 'InvalidPasswordException') {}
export class WorkMailLimitExceeded extends error('limit', 'LimitExceededException') {}
export class MailDomainInUse extends error('conflict', 'MailDomainInUseException') {}
export class MailDomainNotFound extends error('notFound', 'MailDomainNotFoundException') {}
export class MailDomainState extends error('state', 'MailDomainStateException') {}
export class NameAvailability extends error('conflict', 'NameAvailabilityException') {}
export class OrganizationNotFound extends error('notFound', 'OrganizationNotFoundException') {}
export class OrganizationState extends error('state', 'OrganizationStateException') {}
export class ReservedName extends error('invalid', 'ReservedNameException') {}
export class ResourceNotFound extends error('notFound', 'ResourceNotFoundException') {}
export class TooManyTags extends error('limit', 'TooManyTagsException') {}
export class UnsupportedOperation extends error('invalid', 'UnsupportedOperationException') {}
