import type { ApiOperation } from '../operation.ts';

export const usersOperations: ApiOperation[] = [];
