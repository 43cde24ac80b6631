// The IAM operation table: every operation Godwit implements, by its Query Action name.
// An Action not in this table answers InvalidAction, as IAM does for unknown actions.
import type { ApiOperation } from '../operation.ts';
import { userOperations } from './users.ts';

export const iamOperations: ApiOperation[] = [...userOperations];
