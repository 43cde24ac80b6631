import type { ApiOperation } from '../operation.ts';

export const groupsOperations: ApiOperation[] = [];
