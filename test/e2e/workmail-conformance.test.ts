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

describe('WorkMail authorization table', () => {
  test('every built operation is authorized as workmail:<Operation>', async () => {
    const { workmailOperations } = await import('../../src/api/workmail/index.ts');
    for (const op of workmailOperations.filter((o) => implementedWorkmailOperations.has(o.name))) {
      assert.equal(op.action, `workmail:${op.name}`, op.name);
    }
  });

  test('AmazonWorkMailReadOnlyAccess allows exactly the Describe*, Get*, List* and Search* operations', async () => {
    const { compilePolicy, evaluate, findAwsManagedPolicy, parsePolicyDocument, RequestContext } = await import('../../src/iam/policy/index.ts');
    const readOnly = findAwsManagedPolicy('arn:aws:iam::aws:policy/AmazonWorkMailReadOnlyAccess')!;
    const compiled = compilePolicy(parsePolicyDocument(readOnly.document), { id: readOnly.name, type: 'aws-managed' });
    const resource = 'arn:aws:workmail:us-east-1:123456789012:organization/m-00000000000000000000000000000000';
    for (const name of Object.keys(model.operations)) {
      const decision = evaluate({ action: `workmail:${name}`, resource, context: new RequestContext() }, [compiled]).decision;
      assert.equal(decision, /^(Describe|Get|List|Search)/.test(name) ? 'allowed' : 'implicitDeny', name);
    }
  });

  test('every built operation is exercised by an end-to-end test (whose outputs the server checks against the model)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('./', import.meta.url);
    const sources = readdirSync(dir)
      .filter((file) => file.endsWith('.test.ts') && file !== 'workmail-conformance.test.ts')
      .map((file) => readFileSync(new URL(file, dir), 'utf8'))
      .join('\n');
    const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
    const missing = [...implementedWorkmailOperations].filter(
      (name) => !sources.includes(`${name}Command`) && !sources.includes(`'${kebab(name)}'`) && !sources.includes(`'${name}'`),
    );
    assert.deepEqual(missing, []);
  });
});
