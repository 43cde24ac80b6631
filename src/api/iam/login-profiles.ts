import type { ApiOperation } from '../operation.ts';

export const loginProfilesOperations: ApiOperation[] = [];
