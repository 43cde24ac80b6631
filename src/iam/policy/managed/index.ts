// The AWS managed policies Godwit knows: every account sees them under arn:aws:iam::aws:policy/.
// docs/managed-policies.md lists them, and says which are cut down to the services Godwit serves.

import { AdministratorAccess } from './AdministratorAccess.ts';
import { AmazonWorkMailFullAccess } from './AmazonWorkMailFullAccess.ts';
import { AmazonWorkMailMessageFlowFullAccess } from './AmazonWorkMailMessageFlowFullAccess.ts';
import { AmazonWorkMailMessageFlowReadOnlyAccess } from './AmazonWorkMailMessageFlowReadOnlyAccess.ts';
import { AmazonWorkMailReadOnlyAccess } from './AmazonWorkMailReadOnlyAccess.ts';
import { IAMFullAccess } from './IAMFullAccess.ts';
import { IAMReadOnlyAccess } from './IAMReadOnlyAccess.ts';
import { IAMUserChangePassword } from './IAMUserChangePassword.ts';
import { PowerUserAccess } from './PowerUserAccess.ts';
import { ReadOnlyAccess } from './ReadOnlyAccess.ts';
import { SecurityAudit } from './SecurityAudit.ts';
import { ViewOnlyAccess } from './ViewOnlyAccess.ts';
import type { AwsManagedPolicy } from './types.ts';

export type { AwsManagedPolicy } from './types.ts';

export const awsManagedPolicies: readonly AwsManagedPolicy[] = [
  AdministratorAccess,
  PowerUserAccess,
  ReadOnlyAccess,
  ViewOnlyAccess,
  SecurityAudit,
  IAMFullAccess,
  IAMReadOnlyAccess,
  IAMUserChangePassword,
  AmazonWorkMailFullAccess,
  AmazonWorkMailReadOnlyAccess,
  AmazonWorkMailMessageFlowFullAccess,
  AmazonWorkMailMessageFlowReadOnlyAccess,
];

const byArn = new Map(awsManagedPolicies.map((p) => [p.arn, p]));

export function findAwsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return byArn.get(arn);
}
