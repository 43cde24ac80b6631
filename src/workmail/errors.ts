// WorkMail's errors, by the codes its model declares, each with its protocol-neutral kind.
import { errorClass } from '../errors.ts';

export class EntityNotFound extends errorClass('notFound', 'EntityNotFoundException') {}
export class EntityState extends errorClass('state', 'EntityStateException') {}
export class EntityAlreadyRegistered extends errorClass('conflict', 'EntityAlreadyRegisteredException') {}
export class EmailAddressInUse extends errorClass('conflict', 'EmailAddressInUseException') {}
export class InvalidConfiguration extends errorClass('invalid', 'InvalidConfigurationException') {}
export class InvalidCustomSesConfiguration extends errorClass('invalid', 'InvalidCustomSesConfigurationException') {}
export class InvalidParameter extends errorClass('invalid', 'InvalidParameterException') {}
export class InvalidPassword extends errorClass('invalid', 'InvalidPasswordException') {}
export class WorkMailLimitExceeded extends errorClass('limit', 'LimitExceededException') {}
export class MailDomainInUse extends errorClass('conflict', 'MailDomainInUseException') {}
export class MailDomainNotFound extends errorClass('notFound', 'MailDomainNotFoundException') {}
export class MailDomainState extends errorClass('state', 'MailDomainStateException') {}
export class NameAvailability extends errorClass('conflict', 'NameAvailabilityException') {}
export class OrganizationNotFound extends errorClass('notFound', 'OrganizationNotFoundException') {}
export class OrganizationState extends errorClass('state', 'OrganizationStateException') {}
export class ReservedName extends errorClass('invalid', 'ReservedNameException') {}
export class ResourceNotFound extends errorClass('notFound', 'ResourceNotFoundException') {}
export class TooManyTags extends errorClass('limit', 'TooManyTagsException') {}
export class UnsupportedOperation extends errorClass('invalid', 'UnsupportedOperationException') {}
