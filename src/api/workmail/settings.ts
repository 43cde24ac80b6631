import type { ApiOperation } from '../operation.ts';

export const settingsOperations: ApiOperation[] = [];
