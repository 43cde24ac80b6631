// The policy engine as callers meet it: every request is authorized through the server, with
// AWS's own AccessDenied wording, and every change to a user's policies counts from the very
// next request (the identity caches are dropped after each change).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';

const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function deniedWith(promise: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(promise, (error: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.Code, 'AccessDenied', error.message);
    assert.equal(error.$metadata?.httpStatusCode, 403);
    assert.equal(error.message, message);
    return true;
  });
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IAM authorization through the server (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let admin: IAMClient;
    let reader: IAMClient;
    let account: string;
    const readerArn = () => `arn:aws:iam::${account}:user/reader`;
    const attach = (name: string) => admin.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: `arn:aws:iam::aws:policy/${name}` }));
    const detach = (name: string) => admin.send(new DetachUserPolicyCommand({ UserName: 'reader', PolicyArn: `arn:aws:iam::aws:policy/${name}` }));
    const putInline = (name: string, statements: object[]) =>
      admin.send(new PutUserPolicyCommand({ UserName: 'reader', PolicyName: name, PolicyDocument: doc(statements) }));

    before(async () => {
      t = await startTestServer({ engine });
      admin = t.iam();
      account = t.admin.accountId;
      await admin.send(new CreateUserCommand({ UserName: 'reader' }));
      const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey!;
      reader = t.iam({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
      await attach('AmazonWorkMailReadOnlyAccess');
    });
    after(() => t.stop());

    test('a user whose policies do not mention an action is refused in AWS words', async () => {
      await deniedWith(
        reader.send(new CreateUserCommand({ UserName: 'bob' })),
        `User: ${readerArn()} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${account}:user/bob because no identity-based policy allows the iam:CreateUser action`,
      );
      await deniedWith(
        reader.send(new ListUsersCommand({})),
        `User: ${readerArn()} is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${account}:user/ because no identity-based policy allows the iam:ListUsers action`,
      );
    });

    test('IAMReadOnlyAccess allows reading, from the very next request, and still not writing', async () => {
      await attach('IAMReadOnlyAccess');
      const users = await reader.send(new ListUsersCommand({}));
      assert.deepEqual(users.Users?.map((u) => u.UserName), ['admin', 'reader']);
      await deniedWith(
        reader.send(new CreateUserCommand({ UserName: 'bob' })),
        `User: ${readerArn()} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${account}:user/bob because no identity-based policy allows the iam:CreateUser action`,
      );
      await detach('IAMReadOnlyAccess');
      await assert.rejects(reader.send(new ListUsersCommand({})), { name: 'AccessDenied' });
    });

    test('an explicit Deny beats AdministratorAccess, and lifting it counts at once', async () => {
      await attach('AdministratorAccess');
      await putInline('NoNewUsers', [{ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }]);
      await deniedWith(
        reader.send(new CreateUserCommand({ UserName: 'bob' })),
        `User: ${readerArn()} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${account}:user/bob with an explicit deny in an identity-based policy`,
      );
      // The Deny names one action; the administrator may do everything else.
      await reader.send(new CreateGroupCommand({ GroupName: 'ByReader' }));
      await admin.send(new DeleteUserPolicyCommand({ UserName: 'reader', PolicyName: 'NoNewUsers' }));
      const created = await reader.send(new CreateUserCommand({ UserName: 'bob' }));
      assert.equal(created.User?.UserName, 'bob');
      await detach('AdministratorAccess');
      await assert.rejects(reader.send(new CreateUserCommand({ UserName: 'carl' })), { name: 'AccessDenied' });
    });

    test('an IpAddress condition allows only from the networks it names', async () => {
      // The test client reaches the server over loopback, from 127.0.0.1.
      await putInline('FromOffice', [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }]);
      await deniedWith(
        reader.send(new ListUsersCommand({})),
        `User: ${readerArn()} is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${account}:user/ because no identity-based policy allows the iam:ListUsers action`,
      );
      await putInline('FromOffice', [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } }]);
      assert.ok((await reader.send(new ListUsersCommand({}))).Users!.length >= 2);
      await admin.send(new DeleteUserPolicyCommand({ UserName: 'reader', PolicyName: 'FromOffice' }));
    });

    test('${aws:username} lets a user read itself and no one else', async () => {
      await putInline('Self', [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::*:user/${aws:username}' }]);
      const self = await reader.send(new GetUserCommand({ UserName: 'reader' }));
      assert.equal(self.User?.Arn, readerArn());
      const implicit = await reader.send(new GetUserCommand({}));
      assert.equal(implicit.User?.UserName, 'reader');
      await deniedWith(
        reader.send(new GetUserCommand({ UserName: 'bob' })),
        `User: ${readerArn()} is not authorized to perform: iam:GetUser on resource: arn:aws:iam::${account}:user/bob because no identity-based policy allows the iam:GetUser action`,
      );
      await admin.send(new DeleteUserPolicyCommand({ UserName: 'reader', PolicyName: 'Self' }));
      await assert.rejects(reader.send(new GetUserCommand({ UserName: 'reader' })), { name: 'AccessDenied' });
    });
  });
}
