// AWS managed policy, default version, as AWS publishes it.
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "workmailmessageflow:*"
      ],
      "Resource": "*"
    }
  ]
};

export const AmazonWorkMailMessageFlowFullAccess: AwsManagedPolicy = {
  name: 'AmazonWorkMailMessageFlowFullAccess',
  path: '/',
  description: "Full access to the WorkMail Message Flow APIs",
  arn: 'arn:aws:iam::aws:policy/AmazonWorkMailMessageFlowFullAccess',
  document: JSON.stringify(document, null, 4),
};
