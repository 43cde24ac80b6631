import type { ApiOperation } from '../operation.ts';

export const inlinePoliciesOperations: ApiOperation[] = [];
