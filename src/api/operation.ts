// An API operation as the router sees it: the IAM action it needs, the resource ARN it acts
// on (computed from the decoded input), and the handler. The router authorizes every call
// through Identity.authorize with these before the handler runs, so handlers never check
// permissions themselves.
import type { Config } from '../config/config.ts';
import type { Db } from '../store/database.ts';
import type { Identity, RequestFacts } from '../iam/identity.ts';
import type { Principal } from '../iam/principal.ts';
import type { SecretBox } from '../security/secret-box.ts';

export interface ApiContext {
  db: Db;
  box: SecretBox;
  identity: Identity;
  principal: Principal;
  facts: RequestFacts;
  requestId: string;
  /** The server's configured region (IAM ARNs carry none; STS and WorkMail ones do). */
  region: string;
  config: Config;
}

// Inputs arrive decoded from the model and already validated against it, so handlers may
// rely on required members being present and on their types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Input = Record<string, any>;

export interface ApiOperation {
  name: string;
  /** `service:Operation`; null for the few calls AWS lets any authenticated caller make. */
  action: string | null;
  resource(input: Input, ctx: ApiContext): string | Promise<string>;
  run(input: Input, ctx: ApiContext): Promise<unknown>;
  /**
   * An account-level grant that allows the call when no policy does (an explicit Deny still
   * wins), e.g. the password policy's AllowUsersToChangePassword.
   */
  implicitAllow?(ctx: ApiContext): Promise<boolean>;
}

export function operation(
  service: string,
  name: string,
  resource: ApiOperation['resource'],
  run: ApiOperation['run'],
  options: { action?: string | null; implicitAllow?: ApiOperation['implicitAllow'] } = {},
): ApiOperation {
  return {
    name,
    action: options.action === undefined ? `${service}:${name}` : options.action,
    resource,
    run,
    implicitAllow: options.implicitAllow,
  };
}
