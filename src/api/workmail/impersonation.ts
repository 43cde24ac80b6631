import type { ApiOperation } from '../operation.ts';

export const impersonationOperations: ApiOperation[] = [];
