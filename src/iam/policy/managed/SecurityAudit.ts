// AWS managed policy SecurityAudit, limited to the services Godwit serves. AWS's document reads
// the security configuration of hundreds of services; this keeps its base statement with only
// the iam and sts actions it lists (it lists no workmail action), and drops the statements for
// other services (docs/managed-policies.md).
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "BaseSecurityAuditStatement",
      "Effect": "Allow",
      "Action": [
        "iam:GenerateCredentialReport",
        "iam:GenerateServiceLastAccessedDetails",
        "iam:Get*",
        "iam:List*",
        "iam:SimulateCustomPolicy",
        "iam:SimulatePrincipalPolicy",
        "sts:GetAccessKeyInfo"
      ],
      "Resource": "*"
    }
  ]
};

export const SecurityAudit: AwsManagedPolicy = {
  name: 'SecurityAudit',
  path: '/',
  description: "The security audit template grants access to read security configuration metadata. It is useful for software that audits the configuration of an AWS account.",
  arn: 'arn:aws:iam::aws:policy/SecurityAudit',
  document: JSON.stringify(document, null, 4),
};
