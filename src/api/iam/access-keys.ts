import type { ApiOperation } from '../operation.ts';

export const accessKeysOperations: ApiOperation[] = [];
