// WorkMail over AWS JSON 1.1. The administration API is not built yet: every operation of the
// model answers UnsupportedOperationException, WorkMail's own refusal, after authentication.
import { DomainError } from '../../errors.ts';
import { loadModel } from '../../aws/model.ts';
import { operation, type ApiOperation } from '../operation.ts';

export const workmailOperations: ApiOperation[] = Object.keys(loadModel('workmail').operations).map((name) =>
  operation(
    'workmail',
    name,
    () => '*',
    async () => {
      throw new DomainError('UnsupportedOperationException', 400, `${name} is not supported by this Godwit server yet.`);
    },
    { action: null },
  ),
);
