// How the AWS door answers a domain error: the HTTP status and the error code each AWS
// protocol uses. This is the one table; the domain never names an HTTP status.
//
// Status: what the service model declares for the code (IAM's models carry httpStatusCode);
// else a status per kind. Query services (IAM, STS) use REST-like statuses; WorkMail, a JSON
// service, sends every client error as 400, as the real one does.
import { DomainError, type ErrorKind } from '../errors.ts';
import type { ServiceModel } from './model.ts';
import { jsonProtocolErrorCode, SigV4Error } from './sigv4.ts';

export type AwsProtocol = 'query' | 'json';

const QUERY_STATUS: Record<ErrorKind, number> = {
  notFound: 404,
  conflict: 409,
  limit: 409,
  invalid: 400,
  state: 409,
  denied: 403,
  unavailable: 503,
  internal: 500,
};

const JSON_STATUS: Record<ErrorKind, number> = {
  notFound: 400,
  conflict: 400,
  limit: 400,
  invalid: 400,
  state: 400,
  denied: 403,
  unavailable: 503,
  internal: 500,
};

/** Codes whose status is the HTTP layer's own, whatever the service. */
const CODE_STATUS: Record<string, number> = {
  RequestEntityTooLarge: 413,
};

/** Domain codes that JSON services spell their own way. */
const JSON_CODE: Record<string, (validationErrorCode: string) => string> = {
  AccessDenied: () => 'AccessDeniedException',
  ValidationError: (validationErrorCode) => validationErrorCode,
  ServiceFailure: () => 'InternalFailure',
};

export interface AwsErrorTarget {
  protocol: AwsProtocol;
  model: ServiceModel;
  /** The code the service answers a model-validation failure with (WorkMail: InvalidParameterException). */
  validationErrorCode?: string;
}

export interface AwsWireError {
  status: number;
  code: string;
  message: string;
}

/** An unexpected failure, as AWS reports one: no detail leaves the server. */
export const internalFailure = () => new DomainError('internal', 'ServiceFailure', 'We encountered an internal error. Please try again.');

export function awsWireError(error: DomainError, target: AwsErrorTarget): AwsWireError {
  let code = error.code;
  if (target.protocol === 'json') {
    code = error instanceof SigV4Error ? jsonProtocolErrorCode(error.code) : (JSON_CODE[code]?.(target.validationErrorCode ?? 'ValidationException') ?? code);
  }
  const declared = declaredStatus(target.model, error.code);
  const status = declared ?? CODE_STATUS[error.code] ?? (target.protocol === 'json' ? JSON_STATUS : QUERY_STATUS)[error.kind];
  return { status, code, message: error.message };
}

const declaredStatuses = new WeakMap<ServiceModel, Map<string, number>>();

/** The status the model declares for an error code, if any (IAM declares them; WorkMail does not). */
function declaredStatus(model: ServiceModel, code: string): number | undefined {
  let statuses = declaredStatuses.get(model);
  if (!statuses) {
    statuses = new Map();
    for (const [name, shape] of Object.entries(model.shapes)) {
      if (shape.exception && shape.error?.httpStatusCode) statuses.set(shape.error.code ?? name, shape.error.httpStatusCode);
    }
    declaredStatuses.set(model, statuses);
  }
  return statuses.get(code);
}
