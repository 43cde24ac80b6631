import type { ApiOperation } from '../operation.ts';

export const resourcesOperations: ApiOperation[] = [];
