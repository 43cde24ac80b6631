// AWS managed policy, default version, as AWS publishes it.
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
};

export const AdministratorAccess: AwsManagedPolicy = {
  name: 'AdministratorAccess',
  path: '/',
  description: "Provides full access to AWS services and resources.",
  arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
  document: JSON.stringify(document, null, 4),
};
