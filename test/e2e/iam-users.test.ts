import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserCommand, DeleteUserCommand, GetUserCommand, ListUsersCommand, NoSuchEntityException, EntityAlreadyExistsException } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IAM users through @aws-sdk/client-iam (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer({ engine });
    });
    after(() => t.stop());

    test('GetCallerIdentity answers with the admin user', async () => {
      const identity = await t.sts().send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, t.admin.accountId);
      assert.equal(identity.Arn, `arn:aws:iam::${t.admin.accountId}:user/admin`);
      assert.match(identity.UserId!, /^AIDA[A-Z2-7]{17}$/);
    });

    test('create, get, list and delete a user; names are unique without regard to case', async () => {
      const iam = t.iam();
      const created = await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/staff/', Tags: [{ Key: 'team', Value: 'mail' }] }));
      assert.equal(created.User?.Arn, `arn:aws:iam::${t.admin.accountId}:user/staff/alice`);
      assert.deepEqual(created.User?.Tags, [{ Key: 'team', Value: 'mail' }]);
      await assert.rejects(iam.send(new CreateUserCommand({ UserName: 'ALICE' })), EntityAlreadyExistsException);
      const got = await iam.send(new GetUserCommand({ UserName: 'Alice' }));
      assert.equal(got.User?.UserName, 'alice');
      assert.ok(got.User?.CreateDate instanceof Date);
      const listed = await iam.send(new ListUsersCommand({ PathPrefix: '/staff/' }));
      assert.deepEqual(listed.Users?.map((u) => u.UserName), ['alice']);
      await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
      await assert.rejects(iam.send(new GetUserCommand({ UserName: 'alice' })), (error: Error) => {
        assert.ok(error instanceof NoSuchEntityException);
        assert.equal(error.message, 'The user with name alice cannot be found.');
        assert.equal((error as NoSuchEntityException).$metadata.httpStatusCode, 404);
        return true;
      });
    });

    test('ListUsers pages with Marker and MaxItems', async () => {
      const iam = t.iam();
      for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) await iam.send(new CreateUserCommand({ UserName: name, Path: '/paged/' }));
      const seen: string[] = [];
      let marker: string | undefined;
      do {
        const page = await iam.send(new ListUsersCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: marker }));
        seen.push(...page.Users!.map((u) => u.UserName!));
        assert.ok(page.Users!.length <= 2);
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      assert.deepEqual(seen, ['p1', 'p2', 'p3', 'p4', 'p5']);
    });

    test('a bad parameter is refused naming the member', async () => {
      await assert.rejects(t.iam().send(new CreateUserCommand({ UserName: 'bad name!' })), (error: Error) => {
        assert.equal(error.name, 'ValidationError');
        assert.match(error.message, /at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
        return true;
      });
    });
  });
}
