// AWS managed policy, default version, as AWS publishes it.
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "iam:ChangePassword"
      ],
      "Resource": [
        "arn:aws:iam::*:user/${aws:username}",
        "arn:aws:iam::*:user/*/${aws:username}"
      ]
    },
    {
      "Effect": "Allow",
      "Action": [
        "iam:GetAccountPasswordPolicy"
      ],
      "Resource": "*"
    }
  ]
};

export const IAMUserChangePassword: AwsManagedPolicy = {
  name: 'IAMUserChangePassword',
  path: '/',
  description: "Provides the ability for an IAM user to change their own password.",
  arn: 'arn:aws:iam::aws:policy/IAMUserChangePassword',
  document: JSON.stringify(document, null, 4),
};
