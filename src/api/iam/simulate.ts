import type { ApiOperation } from '../operation.ts';

export const simulateOperations: ApiOperation[] = [];
