// AWS managed policy, default version, as AWS publishes it.
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "iam:*",
        "organizations:DescribeAccount",
        "organizations:DescribeOrganization",
        "organizations:DescribeOrganizationalUnit",
        "organizations:DescribePolicy",
        "organizations:ListChildren",
        "organizations:ListParents",
        "organizations:ListPoliciesForTarget",
        "organizations:ListRoots",
        "organizations:ListPolicies",
        "organizations:ListTargetsForPolicy"
      ],
      "Resource": "*"
    }
  ]
};

export const IAMFullAccess: AwsManagedPolicy = {
  name: 'IAMFullAccess',
  path: '/',
  description: "Provides full access to IAM via the AWS Management Console.",
  arn: 'arn:aws:iam::aws:policy/IAMFullAccess',
  document: JSON.stringify(document, null, 4),
};
