import type { ApiOperation } from '../operation.ts';

export const mobileOperations: ApiOperation[] = [];
