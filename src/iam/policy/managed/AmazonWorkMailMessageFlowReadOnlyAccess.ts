// AWS managed policy, default version, as AWS publishes it.
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "workmailmessageflow:Get*"
      ],
      "Resource": "arn:aws:workmailmessageflow:*:*:message/*"
    }
  ]
};

export const AmazonWorkMailMessageFlowReadOnlyAccess: AwsManagedPolicy = {
  name: 'AmazonWorkMailMessageFlowReadOnlyAccess',
  path: '/',
  description: "This policy grants read-only access to the WorkMail Message Flow APIs: read email content in transit.",
  arn: 'arn:aws:iam::aws:policy/AmazonWorkMailMessageFlowReadOnlyAccess',
  document: JSON.stringify(document, null, 4),
};
