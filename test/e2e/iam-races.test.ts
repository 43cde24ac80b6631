// IAM under concurrent requests, through @aws-sdk/client-iam against a real server on both
// engines. Each write runs in its account's write transaction (store/tx.ts): on PostgreSQL it
// holds the account's lock, so the check that decides a write ("no access keys left", "the user
// still exists", "the name is free") still holds when it commits. Without the lock, PostgreSQL
// fails the DeleteUser/CreateAccessKey race in its first round (a 500 on the foreign key); the
// one-name CreateUser race is also guarded by the unique index, so it passes either way. The
// account cache is kept right by the change bus alone: the answer after a change never comes
// from before it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DetachUserPolicyCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startTestServer, type Credentials, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWith } from '../helpers/assertions.ts';

type WireError = Error & { Code?: string; $metadata?: { httpStatusCode?: number } };

/** `code status` of a settled call, or 'ok'. */
const outcome = (settled: PromiseSettledResult<unknown>): string =>
  settled.status === 'fulfilled' ? 'ok' : `${(settled.reason as WireError).Code} ${(settled.reason as WireError).$metadata?.httpStatusCode}`;

const READ_ONLY = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
const allow = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const deny = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: action, Resource: '*' }] });

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IAM races through @aws-sdk/client-iam (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let iam: IAMClient;
    before(async () => {
      t = await startTestServer({ engine });
      iam = t.iam();
    });
    after(() => t.stop());

    test('DeleteUser against CreateAccessKey: the user goes and the key is refused, or the key comes and the delete is refused', async (ctx) => {
      const ROUNDS = 8;
      const PAIRS = 15;
      const tally = new Map<string, number>();
      for (let round = 0; round < ROUNDS; round++) {
        const names = Array.from({ length: PAIRS }, (_, i) => `race-${round}-${i}`);
        await Promise.all(names.map((UserName) => iam.send(new CreateUserCommand({ UserName }))));
        // Every pair at once, so that each delete and create overlap others' transactions too.
        const results = await Promise.all(
          names.map((UserName) => Promise.allSettled([iam.send(new DeleteUserCommand({ UserName })), iam.send(new CreateAccessKeyCommand({ UserName }))])),
        );
        results.forEach(([deleted, created], i) => {
          const pair = `DeleteUser ${outcome(deleted)} / CreateAccessKey ${outcome(created)}`;
          assert.ok(
            pair === 'DeleteUser ok / CreateAccessKey NoSuchEntity 404' || pair === 'DeleteUser DeleteConflict 409 / CreateAccessKey ok',
            `${names[i]}: ${pair}`,
          );
          tally.set(pair, (tally.get(pair) ?? 0) + 1);
        });
        for (const [i, [deleted]] of results.entries()) {
          const keys = iam.send(new ListAccessKeysCommand({ UserName: names[i] }));
          if (deleted.status === 'fulfilled') await rejectsWith(keys, 'NoSuchEntity', 404);
          else assert.equal((await keys).AccessKeyMetadata?.length, 1);
        }
      }
      // No key outlives its user in the store itself, whatever the API shows.
      const orphans = await t.server.store.db
        .selectFrom('access_keys')
        .leftJoin('users', 'users.id', 'access_keys.user_id')
        .select('access_keys.id')
        .where('access_keys.user_id', 'is not', null)
        .where('users.id', 'is', null)
        .execute();
      assert.deepEqual(orphans, []);
      ctx.diagnostic(JSON.stringify(Object.fromEntries(tally)));
    });

    test('50 CreateUser calls with one name at once: one creates it, 49 hear EntityAlreadyExists', async () => {
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => iam.send(new CreateUserCommand({ UserName: i % 2 ? 'Twin' : 'twin' }))));
      const outcomes = results.map(outcome);
      assert.equal(outcomes.filter((o) => o === 'ok').length, 1, outcomes.join(', '));
      assert.equal(outcomes.filter((o) => o === 'EntityAlreadyExists 409').length, 49, outcomes.join(', '));
      const listed = await iam.send(new ListUsersCommand({}));
      assert.equal(listed.Users?.filter((u) => u.UserName?.toLowerCase() === 'twin').length, 1);
    });

    test('the next request after a change to keys or policies sees it: the cache follows the change bus', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'cached' }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'cached' }))).AccessKey!;
      const credentials: Credentials = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
      const asUser = t.iam(credentials);
      const sts = t.sts(credentials);
      const canList = () => asUser.send(new ListUsersCommand({ MaxItems: 1 }));
      const cannotList = () => rejectsWith(canList(), 'AccessDenied', 403);

      for (let round = 0; round < 5; round++) {
        // Each check right after a change runs on a cache warmed by the request before it.
        await cannotList();
        await iam.send(new AttachUserPolicyCommand({ UserName: 'cached', PolicyArn: READ_ONLY }));
        await canList();
        await canList();
        await iam.send(new DetachUserPolicyCommand({ UserName: 'cached', PolicyArn: READ_ONLY }));
        await cannotList();

        await sts.send(new GetCallerIdentityCommand({}));
        await iam.send(new UpdateAccessKeyCommand({ UserName: 'cached', AccessKeyId: key.AccessKeyId, Status: 'Inactive' }));
        await rejectsWith(sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
        await iam.send(new UpdateAccessKeyCommand({ UserName: 'cached', AccessKeyId: key.AccessKeyId, Status: 'Active' }));
        await sts.send(new GetCallerIdentityCommand({}));
      }

      // A group's policy, then leaving the group; a customer policy whose default version changes.
      await iam.send(new CreateGroupCommand({ GroupName: 'listers' }));
      await iam.send(new PutGroupPolicyCommand({ GroupName: 'listers', PolicyName: 'list', PolicyDocument: allow('iam:ListUsers') }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'listers', UserName: 'cached' }));
      await canList();
      const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'no-listing', PolicyDocument: allow('iam:GetUser') }))).Policy!;
      await iam.send(new AttachUserPolicyCommand({ UserName: 'cached', PolicyArn: policy.Arn }));
      await canList();
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: policy.Arn, PolicyDocument: deny('iam:ListUsers'), SetAsDefault: true }));
      await cannotList();
      await iam.send(new DetachUserPolicyCommand({ UserName: 'cached', PolicyArn: policy.Arn }));
      await canList();
      await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'listers', UserName: 'cached' }));
      await cannotList();

      await sts.send(new GetCallerIdentityCommand({}));
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'cached', AccessKeyId: key.AccessKeyId }));
      await rejectsWith(sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
    });
  });
}
