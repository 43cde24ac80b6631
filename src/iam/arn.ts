// ARNs as AWS writes them for IAM (a global service: no region in the ARN).

export const rootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;

export const iamArn = (accountId: string, type: 'user' | 'group' | 'policy', path: string, name: string): string =>
  `arn:aws:iam::${accountId}:${type}${path}${name}`;

export const AWS_MANAGED_POLICY_PREFIX = 'arn:aws:iam::aws:policy/';

/** Splits a policy ARN into owner ('aws' or an account id), path and name, or null if it is not one. */
export function parsePolicyArn(arn: string): { owner: string; path: string; name: string } | null {
  const match = /^arn:aws:iam::(aws|\d{12}):policy(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
  if (!match) return null;
  return { owner: match[1]!, path: match[2]!, name: match[3]! };
}
