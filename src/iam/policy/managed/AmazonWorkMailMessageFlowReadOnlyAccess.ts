// AWS managed policy, default version, as AWS publishes it.
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Action": [
        "workmailmessageflow:Get*"
      ],
      "Resource": "*",
      "Effect": "Allow"
    }
  ]
};

export const AmazonWorkMailMessageFlowReadOnlyAccess: AwsManagedPolicy = {
  name: 'AmazonWorkMailMessageFlowReadOnlyAccess',
  path: '/',
  description: "Read only access to WorkMail messages for the GetRawMessageContent API",
  arn: 'arn:aws:iam::aws:policy/AmazonWorkMailMessageFlowReadOnlyAccess',
  document: JSON.stringify(document, null, 4),
};
