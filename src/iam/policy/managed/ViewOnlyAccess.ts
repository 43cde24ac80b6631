// AWS managed job-function policy ViewOnlyAccess, limited to the services Godwit serves. AWS's
// document lets a viewer list and describe resources of some 300 services without reading
// their content; this keeps its general statement with only the iam and workmail actions it
// lists (docs/managed-policies.md).
// AWS returns managed policy documents pretty-printed with four spaces; so do we.

import type { AwsManagedPolicy } from './types.ts';

const document = {
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "GeneralViewOnlyAccessStatement",
      "Effect": "Allow",
      "Action": [
        "iam:GetAccountSummary",
        "iam:GetLoginProfile",
        "iam:List*",
        "workmail:Describe*"
      ],
      "Resource": "*"
    }
  ]
};

export const ViewOnlyAccess: AwsManagedPolicy = {
  name: 'ViewOnlyAccess',
  path: '/job-function/',
  description: "This policy grants permissions to view resources and basic metadata across all AWS services",
  arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
  document: JSON.stringify(document, null, 4),
};
