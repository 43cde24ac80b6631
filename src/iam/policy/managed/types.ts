export interface AwsManagedPolicy {
  readonly name: string;
  /** The IAM path AWS files the policy under: '/', '/job-function/', '/service-role/' … */
  readonly path: string;
  readonly description: string;
  /** The policy document text (JSON), as GetPolicyVersion returns it before URL-encoding. */
  readonly document: string;
  readonly arn: string;
}
