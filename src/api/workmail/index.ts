// WorkMail over AWS JSON 1.1. The administration API is not built yet: every operation of the
// model answers UnsupportedOperationException, WorkMail's own refusal, after authentication.
import { DomainError } from '../../errors.ts';
import { loadModel } from '../../aws/model.ts';
import { operation, type ApiOperation } from '../operation.ts';

/** WorkMail operations that are built; every other operation of the model answers UnsupportedOperationException. */
export const implementedWorkmailOperations: ReadonlySet<string> = new Set();

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
