import type { ApiOperation } from '../operation.ts';

export const availabilityOperations: ApiOperation[] = [];
