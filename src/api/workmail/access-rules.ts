import type { ApiOperation } from '../operation.ts';

export const accessRulesOperations: ApiOperation[] = [];
