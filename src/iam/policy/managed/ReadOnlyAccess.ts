// AWS managed policy ReadOnlyAccess, limited to the services Godwit serves. AWS's document
// lists read actions of some 400 services in two statements; this keeps those statements and,
// in them, only the iam, sts and workmail actions, as AWS writes them (docs/managed-policies.md).
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadOnlyActionsGroup1",
      "Effect": "Allow",
      "Action": [
        "iam:Generate*",
        "iam:Get*",
        "iam:List*",
        "iam:Simulate*"
      ],
      "Resource": "*"
    },
    {
      "Sid": "ReadOnlyActionsGroup2",
      "Effect": "Allow",
      "Action": [
        "sts:GetAccessKeyInfo",
        "sts:GetCallerIdentity",
        "sts:GetSessionToken",
        "workmail:Describe*",
        "workmail:Get*",
        "workmail:List*",
        "workmail:Search*"
      ],
      "Resource": "*"
    }
  ]
};

export const ReadOnlyAccess: AwsManagedPolicy = {
  name: 'ReadOnlyAccess',
  path: '/',
  description: "Provides read-only access to AWS services and resources.",
  arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
  document: JSON.stringify(document, null, 4),
};
