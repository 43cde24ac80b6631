// AWS managed policy, default version, as AWS publishes it.
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "iam:GenerateCredentialReport",
        "iam:GenerateServiceLastAccessedDetails",
        "iam:Get*",
        "iam:List*",
        "iam:SimulateCustomPolicy",
        "iam:SimulatePrincipalPolicy"
      ],
      "Resource": "*"
    }
  ]
};

export const IAMReadOnlyAccess: AwsManagedPolicy = {
  name: 'IAMReadOnlyAccess',
  path: '/',
  description: "Provides read only access to IAM via the AWS Management Console.",
  arn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess',
  document: JSON.stringify(document, null, 4),
};
