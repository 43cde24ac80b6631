import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateGroupCommand,
  CreateUserCommand,
  DeleteGroupPolicyCommand,
  DeleteUserPolicyCommand,
  GetGroupPolicyCommand,
  GetUserPolicyCommand,
  ListGroupPoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWith } from '../helpers/assertions.ts';

const policyText = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] }, null, 4);

/** A valid policy of exactly `length` characters once whitespace is left out. */
function policyOfLength(length: number): string {
  const base = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
  const sid = 'S'.repeat(length - base.length);
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }, null, 6);
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IAM inline policies through @aws-sdk/client-iam (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let iam: IAMClient;
    before(async () => {
      t = await startTestServer({ engine });
      iam = t.iam();
      await iam.send(new CreateUserCommand({ UserName: 'dora' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'Editors' }));
    });
    after(() => t.stop());

    test('put, get, list, replace and delete a user policy; the document comes back URL-encoded', async () => {
      await iam.send(new PutUserPolicyCommand({ UserName: 'dora', PolicyName: 'ReadSelf', PolicyDocument: policyText('iam:GetUser') }));
      const got = await iam.send(new GetUserPolicyCommand({ UserName: 'DORA', PolicyName: 'readself' }));
      assert.equal(got.UserName, 'dora');
      assert.equal(got.PolicyName, 'ReadSelf');
      assert.match(got.PolicyDocument!, /^%7B%0A%20%20%20%20%22Version%22/);
      assert.equal(decodeURIComponent(got.PolicyDocument!), policyText('iam:GetUser'));

      await iam.send(new PutUserPolicyCommand({ UserName: 'dora', PolicyName: 'ReadSelf', PolicyDocument: policyText('iam:ListUsers') }));
      const replaced = await iam.send(new GetUserPolicyCommand({ UserName: 'dora', PolicyName: 'ReadSelf' }));
      assert.equal(decodeURIComponent(replaced.PolicyDocument!), policyText('iam:ListUsers'));

      for (const name of ['Beta', 'alpha', 'Gamma']) {
        await iam.send(new PutUserPolicyCommand({ UserName: 'dora', PolicyName: name, PolicyDocument: policyText('iam:GetUser') }));
      }
      const listed = await iam.send(new ListUserPoliciesCommand({ UserName: 'dora' }));
      assert.deepEqual(listed.PolicyNames, ['alpha', 'Beta', 'Gamma', 'ReadSelf']);
      assert.equal(listed.IsTruncated, false);
      const paged: string[] = [];
      let marker: string | undefined;
      do {
        const page = await iam.send(new ListUserPoliciesCommand({ UserName: 'dora', MaxItems: 3, Marker: marker }));
        paged.push(...page.PolicyNames!);
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      assert.deepEqual(paged, ['alpha', 'Beta', 'Gamma', 'ReadSelf']);

      await iam.send(new DeleteUserPolicyCommand({ UserName: 'dora', PolicyName: 'beta' }));
      await rejectsWith(
        iam.send(new GetUserPolicyCommand({ UserName: 'dora', PolicyName: 'Beta' })),
        'NoSuchEntity',
        404,
        'The user policy with name Beta cannot be found.',
      );
      await rejectsWith(iam.send(new DeleteUserPolicyCommand({ UserName: 'dora', PolicyName: 'Beta' })), 'NoSuchEntity', 404);
      await rejectsWith(
        iam.send(new PutUserPolicyCommand({ UserName: 'nobody', PolicyName: 'P', PolicyDocument: policyText('iam:GetUser') })),
        'NoSuchEntity',
        404,
        'The user with name nobody cannot be found.',
      );
    });

    test('user policies hold 2,048 characters and group policies 5,120, whitespace not counted', async () => {
      await iam.send(new PutUserPolicyCommand({ UserName: 'dora', PolicyName: 'Big', PolicyDocument: policyOfLength(2048) }));
      await rejectsWith(
        iam.send(new PutUserPolicyCommand({ UserName: 'dora', PolicyName: 'Big', PolicyDocument: policyOfLength(2049) })),
        'LimitExceeded',
        409,
        'Maximum policy size of 2048 bytes exceeded for user dora',
      );
      await iam.send(new PutGroupPolicyCommand({ GroupName: 'Editors', PolicyName: 'Big', PolicyDocument: policyOfLength(5120) }));
      await rejectsWith(
        iam.send(new PutGroupPolicyCommand({ GroupName: 'Editors', PolicyName: 'Big', PolicyDocument: policyOfLength(5121) })),
        'LimitExceeded',
        409,
        'Maximum policy size of 5120 bytes exceeded for group Editors',
      );
    });

    test('a malformed document is refused naming where and what', async () => {
      const broken = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow" "Action": "iam:GetUser", "Resource": "*"}\n  ]\n}';
      await rejectsWith(
        iam.send(new PutUserPolicyCommand({ UserName: 'dora', PolicyName: 'Broken', PolicyDocument: broken })),
        'MalformedPolicyDocument',
        400,
        /^line 4, column 24: expected ','/,
      );
      const wrongEffect = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: 'iam:GetUser', Resource: '*' }] });
      await rejectsWith(
        iam.send(new PutGroupPolicyCommand({ GroupName: 'Editors', PolicyName: 'Broken', PolicyDocument: wrongEffect })),
        'MalformedPolicyDocument',
        400,
        /^line 1, column \d+: /,
      );
    });

    test('group policies: put, get, list and delete', async () => {
      await iam.send(new PutGroupPolicyCommand({ GroupName: 'Editors', PolicyName: 'EditMail', PolicyDocument: policyText('workmail:*') }));
      const got = await iam.send(new GetGroupPolicyCommand({ GroupName: 'editors', PolicyName: 'EditMail' }));
      assert.equal(got.GroupName, 'Editors');
      assert.equal(decodeURIComponent(got.PolicyDocument!), policyText('workmail:*'));
      assert.deepEqual((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'Editors' }))).PolicyNames, ['Big', 'EditMail']);
      await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'Editors', PolicyName: 'EditMail' }));
      await rejectsWith(
        iam.send(new GetGroupPolicyCommand({ GroupName: 'Editors', PolicyName: 'EditMail' })),
        'NoSuchEntity',
        404,
        'The group policy with name EditMail cannot be found.',
      );
      await rejectsWith(
        iam.send(new ListGroupPoliciesCommand({ GroupName: 'Nobody' })),
        'NoSuchEntity',
        404,
        'The group with name Nobody cannot be found.',
      );
    });
  });
}
