// WorkMail's errors, by the codes its model declares. All are client errors (400), as WorkMail
// sends them; the JSON edge writes `code` as `__type`.
import { DomainError } from '../errors.ts';

const kind = (code: string) =>
  class extends DomainError {
    constructor(message: string) {
      super(code, 400, message);
    }
  };

export class EntityNotFound extends kind('EntityNotFoundException') {}
export class EntityState extends kind('EntityStateException') {}
export class EntityAlreadyRegistered extends kind('EntityAlreadyRegisteredException') {}
export class EmailAddressInUse extends kind('EmailAddressInUseException') {}
export class InvalidConfiguration extends kind('InvalidConfigurationException') {}
export class InvalidCustomSesConfiguration extends kind('InvalidCustomSesConfigurationException') {}
export class InvalidParameter extends kind('InvalidParameterException') {}
export class InvalidPassword extends kind('InvalidPasswordException') {}
export class WorkMailLimitExceeded extends kind('LimitExceededException') {}
export class MailDomainInUse extends kind('MailDomainInUseException') {}
export class MailDomainNotFound extends kind('MailDomainNotFoundException') {}
export class MailDomainState extends kind('MailDomainStateException') {}
export class NameAvailability extends kind('NameAvailabilityException') {}
export class OrganizationNotFound extends kind('OrganizationNotFoundException') {}
export class OrganizationState extends kind('OrganizationStateException') {}
export class ReservedName extends kind('ReservedNameException') {}
export class ResourceNotFound extends kind('ResourceNotFoundException') {}
export class TooManyTags extends kind('TooManyTagsException') {}
export class UnsupportedOperation extends kind('UnsupportedOperationException') {}
