import type { ApiOperation } from '../operation.ts';

export const domainsOperations: ApiOperation[] = [];
