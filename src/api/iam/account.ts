import type { ApiOperation } from '../operation.ts';

export const accountOperations: ApiOperation[] = [];
