// The AccessDenied message AWS writes since 2021, naming the policy type that denied:
//   User: arn:… is not authorized to perform: iam:CreateUser on resource: arn:… because no
//   identity-based policy allows the iam:CreateUser action
//   User: arn:… is not authorized to perform: iam:CreateUser on resource: arn:… with an
//   explicit deny in an identity-based policy

import type { Evaluation } from './evaluate.ts';

/**
 * How AWS names a policy type in the message. Our source types are free-form; these are the
 * ones with their own wording, everything else reads as an identity-based policy.
 */
function policyTypePhrase(sourceType: string | undefined): string {
  switch ((sourceType ?? '').toLowerCase()) {
    case 'resource':
    case 'resource policy':
    case 'resource-based':
      return 'resource-based policy';
    case 'permissionsboundary':
    case 'permissions boundary':
    case 'boundary':
      return 'permissions boundary';
    case 'scp':
    case 'service control policy':
      return 'service control policy';
    case 'session':
    case 'session policy':
      return 'session policy';
    default:
      return 'identity-based policy';
  }
}

function article(phrase: string): string {
  return /^[aeiou]/.test(phrase) ? 'an' : 'a';
}

export interface DenialOptions {
  /**
   * For an implicit deny, which policy type failed to allow (AWS says "no identity-based
   * policy" unless a boundary, SCP or session policy was the missing link).
   */
  readonly implicitDenyPolicyType?: string;
}

export function describeDenial(
  principalArn: string,
  action: string,
  resource: string,
  evaluation: Evaluation,
  opts: DenialOptions = {},
): string {
  const head = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`;
  if (evaluation.decision === 'explicitDeny') {
    const phrase = policyTypePhrase(evaluation.matchedStatements[0]?.sourcePolicyType);
    return `${head} with an explicit deny in ${article(phrase)} ${phrase}`;
  }
  if (evaluation.decision === 'implicitDeny') {
    return `${head} because no ${policyTypePhrase(opts.implicitDenyPolicyType)} allows the ${action} action`;
  }
  throw new TypeError('describeDenial called for an allowed request');
}
