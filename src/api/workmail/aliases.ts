import type { ApiOperation } from '../operation.ts';

export const aliasesOperations: ApiOperation[] = [];
