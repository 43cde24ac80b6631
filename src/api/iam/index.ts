// The IAM operation table: every operation Godwit implements, by its Query Action name.
// An Action not in this table answers InvalidAction, as IAM does for unknown actions.
import type { ApiOperation } from '../operation.ts';
import { accessKeysOperations } from './access-keys.ts';
import { accountOperations } from './account.ts';
import { attachmentsOperations } from './attachments.ts';
import { groupsOperations } from './groups.ts';
import { inlinePoliciesOperations } from './inline-policies.ts';
import { loginProfilesOperations } from './login-profiles.ts';
import { policiesOperations } from './policies.ts';
import { simulateOperations } from './simulate.ts';
import { userOperations } from './users.ts';

export const iamOperations: ApiOperation[] = [
  ...userOperations,
  ...groupsOperations,
  ...accessKeysOperations,
  ...loginProfilesOperations,
  ...accountOperations,
  ...policiesOperations,
  ...attachmentsOperations,
  ...inlinePoliciesOperations,
  ...simulateOperations,
];
