import type { ApiOperation } from '../operation.ts';

export const attachmentsOperations: ApiOperation[] = [];
