import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DetachGroupPolicyCommand,
  EntityAlreadyExistsException,
  GetGroupCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  PutGroupPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateGroupCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWith } from '../helpers/assertions.ts';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IAM groups through @aws-sdk/client-iam (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let iam: IAMClient;
    before(async () => {
      t = await startTestServer({ engine });
      iam = t.iam();
    });
    after(() => t.stop());

    test('create, get, list, rename and delete a group; names are unique without regard to case', async () => {
      const created = await iam.send(new CreateGroupCommand({ GroupName: 'Editors', Path: '/mail/' }));
      assert.equal(created.Group?.Arn, `arn:aws:iam::${t.admin.accountId}:group/mail/Editors`);
      assert.match(created.Group!.GroupId!, /^AGPA[A-Z2-7]{17}$/);
      await rejectsWith(iam.send(new CreateGroupCommand({ GroupName: 'EDITORS' })), 'EntityAlreadyExists', 409);

      const got = await iam.send(new GetGroupCommand({ GroupName: 'editors' }));
      assert.equal(got.Group?.GroupName, 'Editors');
      assert.deepEqual(got.Users, []);
      assert.ok(got.Group?.CreateDate instanceof Date);

      const listed = await iam.send(new ListGroupsCommand({ PathPrefix: '/mail/' }));
      assert.deepEqual(listed.Groups?.map((g) => g.GroupName), ['Editors']);
      const all = await iam.send(new ListGroupsCommand({}));
      assert.deepEqual(all.Groups?.map((g) => g.GroupName).sort(), ['Administrators', 'Editors']);

      await iam.send(new UpdateGroupCommand({ GroupName: 'Editors', NewGroupName: 'Writers', NewPath: '/press/' }));
      await rejectsWith(iam.send(new GetGroupCommand({ GroupName: 'Editors' })), 'NoSuchEntity', 404, 'The group with name Editors cannot be found.');
      const renamed = await iam.send(new GetGroupCommand({ GroupName: 'Writers' }));
      assert.equal(renamed.Group?.Arn, `arn:aws:iam::${t.admin.accountId}:group/press/Writers`);
      assert.equal(renamed.Group?.GroupId, created.Group?.GroupId);
      await assert.rejects(iam.send(new UpdateGroupCommand({ GroupName: 'Writers', NewGroupName: 'administrators' })), EntityAlreadyExistsException);

      await iam.send(new DeleteGroupCommand({ GroupName: 'Writers' }));
      await rejectsWith(iam.send(new DeleteGroupCommand({ GroupName: 'Writers' })), 'NoSuchEntity', 404, 'The group with name Writers cannot be found.');
    });

    test('members: add, list both ways with paging, remove', async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'crew' }));
      for (const name of ['m1', 'm2', 'm3']) {
        await iam.send(new CreateUserCommand({ UserName: name }));
        await iam.send(new AddUserToGroupCommand({ GroupName: 'crew', UserName: name }));
      }
      // Adding a member again changes nothing.
      await iam.send(new AddUserToGroupCommand({ GroupName: 'CREW', UserName: 'm1' }));

      const seen: string[] = [];
      let marker: string | undefined;
      do {
        const page = await iam.send(new GetGroupCommand({ GroupName: 'crew', MaxItems: 2, Marker: marker }));
        assert.equal(page.Group?.GroupName, 'crew');
        assert.ok(page.Users!.length <= 2);
        seen.push(...page.Users!.map((u) => u.UserName!));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      assert.deepEqual(seen, ['m1', 'm2', 'm3']);

      const forUser = await iam.send(new ListGroupsForUserCommand({ UserName: 'm2' }));
      assert.deepEqual(forUser.Groups?.map((g) => g.GroupName), ['crew']);
      assert.equal(forUser.IsTruncated, false);

      await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'crew', UserName: 'm2' }));
      assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'm2' }))).Groups, []);
      await rejectsWith(iam.send(new RemoveUserFromGroupCommand({ GroupName: 'crew', UserName: 'm2' })), 'NoSuchEntity', 404, 'The user with name m2 cannot be found.');
      await rejectsWith(iam.send(new AddUserToGroupCommand({ GroupName: 'crew', UserName: 'ghost' })), 'NoSuchEntity', 404, 'The user with name ghost cannot be found.');
      await rejectsWith(iam.send(new AddUserToGroupCommand({ GroupName: 'nogroup', UserName: 'm1' })), 'NoSuchEntity', 404, 'The group with name nogroup cannot be found.');
    });

    test('a user may be in at most 10 groups', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'joiner' }));
      for (let i = 0; i < 11; i++) await iam.send(new CreateGroupCommand({ GroupName: `g${String(i).padStart(2, '0')}`, Path: '/many/' }));
      for (let i = 0; i < 10; i++) await iam.send(new AddUserToGroupCommand({ GroupName: `g${String(i).padStart(2, '0')}`, UserName: 'joiner' }));
      await rejectsWith(
        iam.send(new AddUserToGroupCommand({ GroupName: 'g10', UserName: 'joiner' })),
        'LimitExceeded',
        409,
        'Cannot exceed quota for GroupsPerUser: 10',
      );
      const page1 = await iam.send(new ListGroupsForUserCommand({ UserName: 'joiner', MaxItems: 6 }));
      assert.equal(page1.IsTruncated, true);
      const page2 = await iam.send(new ListGroupsForUserCommand({ UserName: 'joiner', MaxItems: 6, Marker: page1.Marker }));
      assert.equal(page2.IsTruncated, false);
      assert.deepEqual([...page1.Groups!, ...page2.Groups!].map((g) => g.GroupName), ['g00', 'g01', 'g02', 'g03', 'g04', 'g05', 'g06', 'g07', 'g08', 'g09']);
      const prefixed = await iam.send(new ListGroupsCommand({ PathPrefix: '/many/', MaxItems: 4 }));
      assert.equal(prefixed.Groups?.length, 4);
      assert.equal(prefixed.IsTruncated, true);
    });

    test('a group with members, inline or attached policies cannot be deleted', async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'sticky' }));
      await iam.send(new CreateUserCommand({ UserName: 'stuck' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'sticky', UserName: 'stuck' }));
      await rejectsWith(iam.send(new DeleteGroupCommand({ GroupName: 'sticky' })), 'DeleteConflict', 409, 'Cannot delete entity, must remove users from group first.');
      await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'sticky', UserName: 'stuck' }));

      await iam.send(
        new PutGroupPolicyCommand({ GroupName: 'sticky', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}' }),
      );
      await rejectsWith(iam.send(new DeleteGroupCommand({ GroupName: 'sticky' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
      await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'sticky', PolicyName: 'p' }));

      const readOnly = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
      await iam.send(new AttachGroupPolicyCommand({ GroupName: 'sticky', PolicyArn: readOnly }));
      await rejectsWith(iam.send(new DeleteGroupCommand({ GroupName: 'sticky' })), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
      await iam.send(new DetachGroupPolicyCommand({ GroupName: 'sticky', PolicyArn: readOnly }));

      await iam.send(new DeleteGroupCommand({ GroupName: 'sticky' }));
    });

    test('an IAM user without policies is denied; the admin is allowed', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }))).AccessKey!;
      const nobody = t.iam({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
      const acct = t.admin.accountId;
      await rejectsWith(
        nobody.send(new CreateGroupCommand({ GroupName: 'forbidden' })),
        'AccessDenied',
        403,
        new RegExp(
          `^User: arn:aws:iam::${acct}:user/nobody is not authorized to perform: iam:CreateGroup on resource: arn:aws:iam::${acct}:group/forbidden because no identity-based policy allows the iam:CreateGroup action`,
        ),
      );
      await rejectsWith(
        nobody.send(new AddUserToGroupCommand({ GroupName: 'Administrators', UserName: 'nobody' })),
        'AccessDenied',
        403,
        new RegExp(`on resource: arn:aws:iam::${acct}:group/Administrators `),
      );
      await rejectsWith(nobody.send(new ListGroupsForUserCommand({ UserName: 'nobody' })), 'AccessDenied', 403, new RegExp(`on resource: arn:aws:iam::${acct}:user/nobody `));
      // The same call from the admin succeeds.
      await iam.send(new CreateGroupCommand({ GroupName: 'forbidden' }));
      await iam.send(new DeleteGroupCommand({ GroupName: 'forbidden' }));
    });
  });
}
