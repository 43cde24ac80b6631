// AWS managed policy, default version, as AWS publishes it: everything but managing IAM,
// Organizations and the account, with the few reads of those that a power user needs back.
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "NotAction": [
        "iam:*",
        "organizations:*",
        "account:*"
      ],
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": [
        "account:GetAccountInformation",
        "account:GetGovCloudAccountInformation",
        "account:GetPrimaryEmail",
        "account:ListRegions",
        "iam:CreateServiceLinkedRole",
        "iam:DeleteServiceLinkedRole",
        "iam:ListRoles",
        "organizations:DescribeEffectivePolicy",
        "organizations:DescribeOrganization"
      ],
      "Resource": "*"
    }
  ]
};

export const PowerUserAccess: AwsManagedPolicy = {
  name: 'PowerUserAccess',
  path: '/',
  description: "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
  arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
  document: JSON.stringify(document, null, 4),
};
