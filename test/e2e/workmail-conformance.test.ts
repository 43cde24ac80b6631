// Conformance driven by the WorkMail model: for every operation Godwit has built, leaving out
// any required member is refused with InvalidParameterException naming that member.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../src/aws/model.ts';
import { implementedWorkmailOperations } from '../../src/api/workmail/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { workmailCall } from '../helpers/json-call.ts';

const model = loadModel('workmail');
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

describe('WorkMail model conformance', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  test('every required member left out yields the validation error naming it', async () => {
    let checked = 0;
    for (const name of [...implementedWorkmailOperations].sort()) {
      const inputShape = model.operations[name]!.input?.shape;
      const required = inputShape ? (model.shapes[inputShape]!.required ?? []) : [];
      if (!required.length) continue;
      const response = await workmailCall(t, name, {});
      assert.equal(response.status, 400, `${name} without its required members`);
      assert.equal(response.headers.get('x-amzn-errortype'), 'InvalidParameterException', name);
      const body = (await response.json()) as { message: string };
      assert.match(body.message, new RegExp(`^${required.length} validation errors? detected: `), name);
      for (const member of required) {
        assert.ok(body.message.includes(`Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`), `${name}: ${member} named`);
      }
      checked++;
    }
    assert.ok(checked >= 4, `checked ${checked} operations`);
  });
});
