import type { ApiOperation } from '../operation.ts';

export const permissionsOperations: ApiOperation[] = [];
