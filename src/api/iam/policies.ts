import type { ApiOperation } from '../operation.ts';

export const policiesOperations: ApiOperation[] = [];
