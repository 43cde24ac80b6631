import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { createAccessKey } from '../../src/iam/access-keys.ts';
import { createAccount } from '../../src/iam/accounts.ts';
import { startTestServer, type Credentials, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWith } from '../helpers/assertions.ts';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IAM access keys through @aws-sdk/client-iam (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let iam: IAMClient;
    before(async () => {
      t = await startTestServer({ engine });
      iam = t.iam();
    });
    after(() => t.stop());

    const credentialsOf = (key: { AccessKeyId?: string; SecretAccessKey?: string }): Credentials => ({
      accessKeyId: key.AccessKeyId!,
      secretAccessKey: key.SecretAccessKey!,
    });

    test('create and list keys; at most two per user; secrets are shown once', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'bob' }));
      const first = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
      assert.equal(first.UserName, 'bob');
      assert.match(first.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
      assert.equal(first.SecretAccessKey!.length, 40);
      assert.equal(first.Status, 'Active');
      assert.ok(first.CreateDate instanceof Date);
      const second = (await iam.send(new CreateAccessKeyCommand({ UserName: 'BOB' }))).AccessKey!;
      await rejectsWith(iam.send(new CreateAccessKeyCommand({ UserName: 'bob' })), 'LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');

      const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'bob' }));
      assert.deepEqual(listed.AccessKeyMetadata?.map((k) => k.AccessKeyId).sort(), [first.AccessKeyId, second.AccessKeyId].sort());
      for (const metadata of listed.AccessKeyMetadata!) {
        assert.equal(metadata.UserName, 'bob');
        assert.equal(metadata.Status, 'Active');
        assert.ok(!('SecretAccessKey' in metadata));
      }
      const paged = await iam.send(new ListAccessKeysCommand({ UserName: 'bob', MaxItems: 1 }));
      assert.equal(paged.AccessKeyMetadata?.length, 1);
      assert.equal(paged.IsTruncated, true);
      const rest = await iam.send(new ListAccessKeysCommand({ UserName: 'bob', MaxItems: 1, Marker: paged.Marker }));
      assert.equal(rest.IsTruncated, false);
      assert.notEqual(rest.AccessKeyMetadata?.[0]?.AccessKeyId, paged.AccessKeyMetadata?.[0]?.AccessKeyId);

      // Without UserName the caller's own keys are meant.
      const own = await iam.send(new ListAccessKeysCommand({}));
      assert.deepEqual(own.AccessKeyMetadata?.map((k) => k.AccessKeyId), [t.admin.accessKeyId]);
      await rejectsWith(iam.send(new CreateAccessKeyCommand({ UserName: 'nobody-here' })), 'NoSuchEntity', 404, 'The user with name nobody-here cannot be found.');
    });

    test('last use: N/A before any use, then the service and region of the latest request', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'carl' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'Administrators', UserName: 'carl' }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'carl' }))).AccessKey!;

      const never = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
      assert.equal(never.UserName, 'carl');
      assert.deepEqual(never.AccessKeyLastUsed, { ServiceName: 'N/A', Region: 'N/A' });

      const before = Date.now();
      await t.iam(credentialsOf(key)).send(new GetUserCommand({}));
      const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
      assert.equal(used.AccessKeyLastUsed?.ServiceName, 'iam');
      assert.equal(used.AccessKeyLastUsed?.Region, t.region);
      assert.ok(used.AccessKeyLastUsed?.LastUsedDate instanceof Date);
      assert.ok(used.AccessKeyLastUsed.LastUsedDate.getTime() >= Math.floor(before / 1000) * 1000);

      // The request asking is itself a use of its own key, and is visible to itself.
      const self = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: t.admin.accessKeyId }));
      assert.equal(self.UserName, 'admin');
      assert.equal(self.AccessKeyLastUsed?.ServiceName, 'iam');
    });

    test('an inactive key and a deleted key are refused by SigV4', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'dora' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'Administrators', UserName: 'dora' }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'dora' }))).AccessKey!;
      const dora = t.iam(credentialsOf(key));
      assert.equal((await dora.send(new GetUserCommand({}))).User?.UserName, 'dora');

      await iam.send(new UpdateAccessKeyCommand({ UserName: 'dora', AccessKeyId: key.AccessKeyId, Status: 'Inactive' }));
      const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'dora' }));
      assert.equal(listed.AccessKeyMetadata?.[0]?.Status, 'Inactive');
      await rejectsWith(dora.send(new GetUserCommand({})), 'InvalidClientTokenId', 403);

      await iam.send(new UpdateAccessKeyCommand({ UserName: 'dora', AccessKeyId: key.AccessKeyId, Status: 'Active' }));
      assert.equal((await dora.send(new GetUserCommand({}))).User?.UserName, 'dora');

      // dora deletes her own key, naming no user.
      await dora.send(new DeleteAccessKeyCommand({ AccessKeyId: key.AccessKeyId }));
      await rejectsWith(dora.send(new GetUserCommand({})), 'InvalidClientTokenId', 403);
      assert.deepEqual((await iam.send(new ListAccessKeysCommand({ UserName: 'dora' }))).AccessKeyMetadata, []);
      await rejectsWith(
        iam.send(new DeleteAccessKeyCommand({ UserName: 'dora', AccessKeyId: key.AccessKeyId })),
        'NoSuchEntity',
        404,
        `The Access Key with id ${key.AccessKeyId} cannot be found.`,
      );
    });

    test("another user's or another account's key is not found", async () => {
      await iam.send(new CreateUserCommand({ UserName: 'erin' }));
      const erinKey = (await iam.send(new CreateAccessKeyCommand({ UserName: 'erin' }))).AccessKey!;
      await iam.send(new CreateUserCommand({ UserName: 'fred' }));
      const notFound = `The Access Key with id ${erinKey.AccessKeyId} cannot be found.`;
      await rejectsWith(iam.send(new UpdateAccessKeyCommand({ UserName: 'fred', AccessKeyId: erinKey.AccessKeyId, Status: 'Inactive' })), 'NoSuchEntity', 404, notFound);
      await rejectsWith(iam.send(new DeleteAccessKeyCommand({ UserName: 'fred', AccessKeyId: erinKey.AccessKeyId })), 'NoSuchEntity', 404, notFound);
      // Without UserName the admin means its own keys, and erin's is not one of them.
      await rejectsWith(iam.send(new DeleteAccessKeyCommand({ AccessKeyId: erinKey.AccessKeyId })), 'NoSuchEntity', 404, notFound);
      assert.equal((await iam.send(new ListAccessKeysCommand({ UserName: 'erin' }))).AccessKeyMetadata?.[0]?.Status, 'Active');

      const other = await createAccount(t.server.store.db, t.server.box, { email: 'other@example.com', password: 'another horse battery' }, new Date());
      const otherIam = t.iam({ accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey });
      const foreign = `The Access Key with id ${erinKey.AccessKeyId} cannot be found.`;
      await rejectsWith(otherIam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: erinKey.AccessKeyId })), 'NoSuchEntity', 404, foreign);
      await rejectsWith(otherIam.send(new DeleteAccessKeyCommand({ AccessKeyId: erinKey.AccessKeyId })), 'NoSuchEntity', 404, foreign);
      await rejectsWith(
        iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: other.accessKeyId })),
        'NoSuchEntity',
        404,
        `The Access Key with id ${other.accessKeyId} cannot be found.`,
      );
    });

    test('the root user manages its own keys', async () => {
      // The root user's first key is made out of band, as its first console session would.
      const seed = await createAccessKey(t.server.store.db, t.server.box, t.admin.accountId, undefined, new Date());
      const root = t.iam({ accessKeyId: seed.accessKeyId, secretAccessKey: seed.secretAccessKey });
      const created = (await root.send(new CreateAccessKeyCommand({}))).AccessKey!;
      assert.equal(created.UserName, undefined);
      assert.equal(created.SecretAccessKey!.length, 40);
      const listed = await root.send(new ListAccessKeysCommand({}));
      assert.deepEqual(listed.AccessKeyMetadata?.map((k) => k.AccessKeyId).sort(), [seed.accessKeyId, created.AccessKeyId].sort());
      await rejectsWith(root.send(new CreateAccessKeyCommand({})), 'LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
      const stored = await t.server.store.db.selectFrom('access_keys').select('user_id').where('id', '=', created.AccessKeyId!).executeTakeFirstOrThrow();
      assert.equal(stored.user_id, null);
      // The root user's key is used with its own credentials, and is none of admin's.
      assert.equal((await t.iam({ accessKeyId: created.AccessKeyId!, secretAccessKey: created.SecretAccessKey! }).send(new ListAccessKeysCommand({}))).AccessKeyMetadata?.length, 2);
      await rejectsWith(iam.send(new DeleteAccessKeyCommand({ AccessKeyId: created.AccessKeyId })), 'NoSuchEntity', 404);
      await root.send(new DeleteAccessKeyCommand({ AccessKeyId: created.AccessKeyId }));
      assert.equal((await root.send(new ListAccessKeysCommand({}))).AccessKeyMetadata?.length, 1);
    });

    test('a user without policies may not manage keys', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'plain' }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'plain' }))).AccessKey!;
      const plain = t.iam(credentialsOf(key));
      const acct = t.admin.accountId;
      await rejectsWith(
        plain.send(new CreateAccessKeyCommand({})),
        'AccessDenied',
        403,
        `User: arn:aws:iam::${acct}:user/plain is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::${acct}:user/plain because no identity-based policy allows the iam:CreateAccessKey action`,
      );
      await rejectsWith(plain.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: t.admin.accessKeyId })), 'AccessDenied', 403, new RegExp(`on resource: arn:aws:iam::${acct}:user/admin `));
    });
  });
}
