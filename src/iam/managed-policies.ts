// The AWS managed policies Godwit ships (arn:aws:iam::aws:policy/…), looked up by ARN.
import { awsManagedPolicies } from './policy/index.ts';

type AwsManagedPolicy = (typeof awsManagedPolicies)[number];

const byArn = new Map<string, AwsManagedPolicy>(awsManagedPolicies.map((policy) => [policy.arn, policy]));

export function awsManagedPolicyByArn(arn: string): AwsManagedPolicy | undefined {
  return byArn.get(arn);
}

export function listAwsManagedPolicies(): readonly AwsManagedPolicy[] {
  return awsManagedPolicies;
}
