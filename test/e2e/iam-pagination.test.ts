// IAM Marker/MaxItems through @aws-sdk/client-iam: markers walk a list without repeats or gaps,
// and a marker Godwit did not issue (garbage, edited, truncated) is refused as IAM refuses it,
// InvalidInput 'Invalid Marker.', on every paginated operation, never answered as page one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as sdk from '@aws-sdk/client-iam';
import { CreateGroupCommand, CreatePolicyCommand, CreateUserCommand, ListUserTagsCommand, ListUsersCommand, type IAMClient } from '@aws-sdk/client-iam';
import { iamOperations } from '../../src/api/iam/index.ts';
import { loadModel } from '../../src/aws/model.ts';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWith } from '../helpers/assertions.ts';

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IAM pagination through @aws-sdk/client-iam (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let iam: IAMClient;
    let policyArn: string;
    before(async () => {
      t = await startTestServer({ engine });
      iam = t.iam();
      await iam.send(
        new CreateUserCommand({
          UserName: 'tagged',
          Tags: ['a', 'b', 'c', 'd', 'e'].map((key) => ({ Key: key, Value: key.toUpperCase() })),
        }),
      );
      await iam.send(new CreateGroupCommand({ GroupName: 'paged-group' }));
      policyArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'paged-policy', PolicyDocument: POLICY }))).Policy!.Arn!;
    });
    after(() => t.stop());

    const invalidMarker = (promise: Promise<unknown>) => rejectsWith(promise, 'InvalidInput', 400, 'Invalid Marker.');

    test('ListUsers: a garbage, edited or truncated Marker is refused, a real one continues', async () => {
      for (const name of ['m1', 'm2', 'm3']) await iam.send(new CreateUserCommand({ UserName: name, Path: '/marker/' }));
      const first = await iam.send(new ListUsersCommand({ PathPrefix: '/marker/', MaxItems: 1 }));
      const marker = first.Marker!;
      assert.equal(first.IsTruncated, true);
      const edited = marker.slice(0, 2) + (marker[2] === 'A' ? 'B' : 'A') + marker.slice(3);
      for (const bad of ['garbage', 'AAAA', '0', edited, marker.slice(0, -2), Buffer.from('k:m1').toString('base64url')]) {
        await invalidMarker(iam.send(new ListUsersCommand({ PathPrefix: '/marker/', MaxItems: 1, Marker: bad })));
      }
      const second = await iam.send(new ListUsersCommand({ PathPrefix: '/marker/', MaxItems: 1, Marker: marker }));
      assert.deepEqual(second.Users?.map((u) => u.UserName), ['m2']);
    });

    test('ListUserTags pages in the order the tags were set, and refuses a garbage Marker', async () => {
      const seen: string[] = [];
      let marker: string | undefined;
      do {
        const page = await iam.send(new ListUserTagsCommand({ UserName: 'tagged', MaxItems: 2, Marker: marker }));
        assert.ok(page.Tags!.length <= 2);
        seen.push(...page.Tags!.map((tag) => `${tag.Key}=${tag.Value}`));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      assert.deepEqual(seen, ['a=A', 'b=B', 'c=C', 'd=D', 'e=E']);
      // The old hand-rolled marker was a base64 offset, and garbage used to mean "from the start".
      for (const bad of ['garbage', Buffer.from('2').toString('base64url'), 'Mg']) {
        await invalidMarker(iam.send(new ListUserTagsCommand({ UserName: 'tagged', MaxItems: 2, Marker: bad })));
      }
    });

    test('every paginated operation Godwit serves refuses a garbage Marker', async () => {
      const model = loadModel('iam');
      // Values for the required members of the paginated operations, naming what `before` made.
      const required: Record<string, unknown> = {
        UserName: 'tagged',
        GroupName: 'paged-group',
        PolicyArn: policyArn,
        PolicySourceArn: `arn:aws:iam::${t.admin.accountId}:user/tagged`,
        ActionNames: ['iam:GetUser'],
        PolicyInputList: [POLICY],
      };
      const inputOf = (name: string) => model.shapes[model.operations[name]?.input?.shape ?? ''];
      const paginated = iamOperations.filter((op) => inputOf(op.name)?.members?.Marker);
      assert.ok(paginated.length >= 18, `only ${paginated.length} paginated operations found`);
      for (const op of paginated) {
        const shape = inputOf(op.name)!;
        const input: Record<string, unknown> = { Marker: 'garbage' };
        for (const member of shape.required ?? []) {
          assert.ok(member in required, `${op.name} needs a value for ${member}`);
          input[member] = required[member];
        }
        const Command = (sdk as unknown as Record<string, new (input: object) => sdk.ListUsersCommand>)[`${op.name}Command`];
        assert.ok(Command, `the SDK has no ${op.name}Command`);
        await assert.rejects(iam.send(new Command(input)), (error: Error & { Code?: string }) => {
          assert.equal(`${op.name}: ${error.Code} ${error.message}`, `${op.name}: InvalidInput Invalid Marker.`);
          return true;
        });
      }
    });
  });
}
