// The statements published in the Amazon WorkMail Administrator Guide (Prerequisites), whose
// printed text lacks a comma after "ses:Describe*" and ends with a stray '}'; mended here.
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ses:Describe*",
        "ses:Get*",
        "workmail:Describe*",
        "workmail:Get*",
        "workmail:List*",
        "workmail:Search*",
        "lambda:ListFunctions",
        "iam:ListRoles",
        "logs:DescribeLogGroups",
        "cloudwatch:GetMetricData"
      ],
      "Resource": "*"
    }
  ]
};

export const AmazonWorkMailReadOnlyAccess: AwsManagedPolicy = {
  name: 'AmazonWorkMailReadOnlyAccess',
  path: '/',
  description: "Provides read only access to WorkMail and SES.",
  arn: 'arn:aws:iam::aws:policy/AmazonWorkMailReadOnlyAccess',
  document: JSON.stringify(document, null, 4),
};
