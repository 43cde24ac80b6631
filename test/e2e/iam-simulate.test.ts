import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  TagUserCommand,
  type EvaluationResult,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWith } from '../helpers/assertions.ts';

const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

// Pretty-printed with two spaces, the only statement opens at line 4, column 5 and closes at line 8.
const CREATE_GROUP_ONLY = doc([{ Effect: 'Allow', Action: 'iam:CreateGroup', Resource: '*' }]);

const byAction = (results: EvaluationResult[] | undefined) => new Map((results ?? []).map((r) => [r.EvalActionName!, r]));

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IAM policy simulation through @aws-sdk/client-iam (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let iam: IAMClient;
    let account: string;
    let simArn: string;
    before(async () => {
      t = await startTestServer({ engine });
      iam = t.iam();
      account = t.admin.accountId;
      simArn = (await iam.send(new CreateUserCommand({ UserName: 'sim' }))).User!.Arn!;
      await iam.send(new CreateGroupCommand({ GroupName: 'Simmers' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'Simmers', UserName: 'sim' }));
      await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Simmers', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
      const denyDelete = (await iam.send(new CreatePolicyCommand({ PolicyName: 'DenyDelete', PolicyDocument: doc([{ Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }]) }))).Policy!;
      await iam.send(new AttachUserPolicyCommand({ UserName: 'sim', PolicyArn: denyDelete.Arn }));
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'sim',
          PolicyName: 'Self',
          PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:UpdateUser', Resource: 'arn:aws:iam::*:user/${aws:username}' }]),
        }),
      );
      await iam.send(
        new PutGroupPolicyCommand({
          GroupName: 'Simmers',
          PolicyName: 'FromOffice',
          PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }]),
        }),
      );
    });
    after(() => t.stop());

    test('a user is simulated with its own and its groups\' policies: allowed, explicit and implicit deny', async () => {
      const out = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: simArn, ActionNames: ['iam:ListUsers', 'iam:DeleteUser', 'iam:CreateGroup'] }));
      assert.equal(out.IsTruncated, false);
      const results = byAction(out.EvaluationResults);
      const list = results.get('iam:ListUsers')!;
      assert.equal(list.EvalDecision, 'allowed');
      assert.equal(list.EvalResourceName, '*');
      assert.deepEqual(list.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['IAMReadOnlyAccess', 'aws-managed']]);
      assert.deepEqual(list.MatchedStatements![0]!.StartPosition, { Line: 4, Column: 9 });
      const del = results.get('iam:DeleteUser')!;
      assert.equal(del.EvalDecision, 'explicitDeny');
      assert.deepEqual(del.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['DenyDelete', 'user-managed']]);
      const group = results.get('iam:CreateGroup')!;
      assert.equal(group.EvalDecision, 'implicitDeny');
      assert.deepEqual(group.MatchedStatements, []);
      assert.deepEqual(group.MissingContextValues, []);
    });

    test('only the context keys given are known: policy variables and conditions report what is missing', async () => {
      const self = `arn:aws:iam::${account}:user/sim`;
      const without = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: simArn, ActionNames: ['iam:UpdateUser'], ResourceArns: [self] }));
      const bare = without.EvaluationResults![0]!;
      assert.equal(bare.EvalDecision, 'implicitDeny');
      assert.deepEqual(bare.MissingContextValues, ['aws:username']);

      const withName = await iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: simArn,
          ActionNames: ['iam:UpdateUser'],
          ResourceArns: [self, `arn:aws:iam::${account}:user/other`],
          ContextEntries: [{ ContextKeyName: 'aws:username', ContextKeyValues: ['sim'], ContextKeyType: 'string' }],
        }),
      );
      const result = withName.EvaluationResults![0]!;
      assert.equal(withName.EvaluationResults!.length, 1, 'one result per action, whatever the number of resources');
      assert.equal(result.EvalDecision, 'implicitDeny', 'the most restrictive decision over the resources');
      assert.deepEqual(
        result.ResourceSpecificResults?.map((r) => [r.EvalResourceName, r.EvalResourceDecision]),
        [
          [self, 'allowed'],
          [`arn:aws:iam::${account}:user/other`, 'implicitDeny'],
        ],
      );
      assert.deepEqual(result.ResourceSpecificResults![0]!.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['Self', 'user']]);

      const ip = (value: string | undefined) =>
        iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: simArn,
            ActionNames: ['iam:CreateUser'],
            ContextEntries: value === undefined ? undefined : [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: [value], ContextKeyType: 'ip' }],
          }),
        );
      const inside = (await ip('10.1.2.3')).EvaluationResults![0]!;
      assert.equal(inside.EvalDecision, 'allowed');
      assert.deepEqual(inside.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['FromOffice', 'group']]);
      assert.equal((await ip('192.168.1.1')).EvaluationResults![0]!.EvalDecision, 'implicitDeny');
      assert.deepEqual((await ip(undefined)).EvaluationResults![0]!.MissingContextValues, ['aws:SourceIp']);

      await rejectsWith(
        iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: simArn,
            ActionNames: ['iam:CreateUser'],
            ContextEntries: [{ ContextKeyName: 'aws:EpochTime', ContextKeyValues: ['soon'], ContextKeyType: 'numeric' }],
          }),
        ),
        'InvalidInput',
        400,
      );
    });

    test('extra policies join the simulation; a group can be simulated on its own; results page', async () => {
      const extra = await iam.send(
        new SimulatePrincipalPolicyCommand({ PolicySourceArn: simArn, ActionNames: ['iam:CreateGroup'], PolicyInputList: [CREATE_GROUP_ONLY] }),
      );
      const statement = extra.EvaluationResults![0]!.MatchedStatements![0]!;
      assert.equal(extra.EvaluationResults![0]!.EvalDecision, 'allowed');
      assert.equal(statement.SourcePolicyId, 'PolicyInputList.1');
      assert.equal(statement.SourcePolicyType, 'none');

      const groupArn = `arn:aws:iam::${account}:group/Simmers`;
      const groupOnly = byAction(
        (await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: groupArn, ActionNames: ['iam:ListUsers', 'iam:DeleteUser'] }))).EvaluationResults,
      );
      assert.equal(groupOnly.get('iam:ListUsers')!.EvalDecision, 'allowed');
      assert.equal(groupOnly.get('iam:DeleteUser')!.EvalDecision, 'implicitDeny', "the user's own Deny is not the group's");

      const actions = ['iam:GetUser', 'iam:ListUsers', 'iam:ListGroups'];
      const seen: string[] = [];
      let marker: string | undefined;
      do {
        const page = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: simArn, ActionNames: actions, MaxItems: 2, Marker: marker }));
        assert.ok(page.EvaluationResults!.length <= 2);
        seen.push(...page.EvaluationResults!.map((r) => r.EvalActionName!));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      assert.deepEqual(seen, actions);

      await rejectsWith(
        iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${account}:user/ghost`, ActionNames: ['iam:GetUser'] })),
        'NoSuchEntity',
        404,
        'The user with name ghost cannot be found.',
      );
    });

    test('SimulateCustomPolicy evaluates only the policies given, with statement positions', async () => {
      const out = await iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [CREATE_GROUP_ONLY, doc([{ Effect: 'Deny', Action: 'iam:CreateGroup', Resource: 'arn:aws:iam::*:group/admins*' }])],
          ActionNames: ['iam:CreateGroup', 'iam:ListUsers'],
          ResourceArns: [`arn:aws:iam::${account}:group/staff`],
        }),
      );
      const results = byAction(out.EvaluationResults);
      const create = results.get('iam:CreateGroup')!;
      assert.equal(create.EvalDecision, 'allowed');
      assert.equal(create.EvalResourceName, `arn:aws:iam::${account}:group/staff`);
      assert.deepEqual(create.MatchedStatements, [
        { SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none', StartPosition: { Line: 4, Column: 5 }, EndPosition: { Line: 8, Column: 6 } },
      ]);
      assert.equal(results.get('iam:ListUsers')!.EvalDecision, 'implicitDeny');

      const denied = await iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [CREATE_GROUP_ONLY, doc([{ Effect: 'Deny', Action: 'iam:CreateGroup', Resource: 'arn:aws:iam::*:group/admins*' }])],
          ActionNames: ['iam:CreateGroup'],
          ResourceArns: [`arn:aws:iam::${account}:group/admins-eu`],
        }),
      );
      assert.equal(denied.EvaluationResults![0]!.EvalDecision, 'explicitDeny');
      assert.equal(denied.EvaluationResults![0]!.MatchedStatements![0]!.SourcePolicyId, 'PolicyInputList.2');

      await rejectsWith(
        iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{"Version": "2012-10-17" "Statement": []}'], ActionNames: ['iam:GetUser'] })),
        'InvalidInput',
        400,
        /PolicyInputList\.1 .*line 1, column 26: expected/,
      );
    });
  });

  describe(`GetAccountAuthorizationDetails through @aws-sdk/client-iam (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let iam: IAMClient;
    let localArn: string;
    before(async () => {
      t = await startTestServer({ engine });
      iam = t.iam();
      await iam.send(new CreateUserCommand({ UserName: 'zed', Path: '/staff/' }));
      await iam.send(new TagUserCommand({ UserName: 'zed', Tags: [{ Key: 'team', Value: 'mail' }] }));
      await iam.send(new CreateGroupCommand({ GroupName: 'Staff' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'Staff', UserName: 'zed' }));
      await iam.send(new PutUserPolicyCommand({ UserName: 'zed', PolicyName: 'Own', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }]) }));
      await iam.send(new PutGroupPolicyCommand({ GroupName: 'Staff', PolicyName: 'GroupOwn', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]) }));
      localArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'Local', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*' }]) }))).Policy!.Arn!;
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: localArn, PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }]), SetAsDefault: true }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'zed', PolicyArn: localArn }));
      await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Staff', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    });
    after(() => t.stop());

    test('users, groups and managed policies with everything that grants permissions', async () => {
      const out = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
      assert.equal(out.IsTruncated, false);
      assert.deepEqual(out.UserDetailList?.map((u) => u.UserName), ['admin', 'zed']);
      const zed = out.UserDetailList!.find((u) => u.UserName === 'zed')!;
      assert.equal(zed.Path, '/staff/');
      assert.equal(zed.Arn, `arn:aws:iam::${t.admin.accountId}:user/staff/zed`);
      assert.deepEqual(zed.GroupList, ['Staff']);
      assert.deepEqual(zed.AttachedManagedPolicies, [{ PolicyName: 'Local', PolicyArn: localArn }]);
      assert.deepEqual(zed.Tags, [{ Key: 'team', Value: 'mail' }]);
      assert.equal(zed.UserPolicyList?.[0]?.PolicyName, 'Own');
      assert.match(zed.UserPolicyList![0]!.PolicyDocument!, /^%7B%0A/);

      assert.deepEqual(out.GroupDetailList?.map((g) => g.GroupName), ['Administrators', 'Staff']);
      const staff = out.GroupDetailList!.find((g) => g.GroupName === 'Staff')!;
      assert.deepEqual(staff.GroupPolicyList?.map((p) => p.PolicyName), ['GroupOwn']);
      assert.deepEqual(staff.AttachedManagedPolicies?.map((p) => p.PolicyName), ['IAMReadOnlyAccess']);
      assert.deepEqual(out.RoleDetailList, []);

      // Every customer managed policy, and the AWS managed policies the account uses.
      assert.deepEqual(out.Policies?.map((p) => p.PolicyName), ['Local', 'AdministratorAccess', 'IAMReadOnlyAccess']);
      const local = out.Policies![0]!;
      assert.equal(local.DefaultVersionId, 'v2');
      assert.equal(local.AttachmentCount, 1);
      assert.deepEqual(local.PolicyVersionList?.map((v) => [v.VersionId, v.IsDefaultVersion]), [
        ['v2', true],
        ['v1', false],
      ]);
      assert.match(decodeURIComponent(local.PolicyVersionList![0]!.Document!), /iam:ListRoles/);
    });

    test('Filter narrows the kinds of entity; Marker and MaxItems page through all of them', async () => {
      const groupsOnly = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Group', 'AWSManagedPolicy'] }));
      assert.deepEqual(groupsOnly.UserDetailList, []);
      assert.equal(groupsOnly.GroupDetailList?.length, 2);
      assert.deepEqual(groupsOnly.Policies?.map((p) => p.PolicyName), ['AdministratorAccess', 'IAMReadOnlyAccess']);

      const seen: string[] = [];
      let marker: string | undefined;
      do {
        const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 2, Marker: marker }));
        const count = page.UserDetailList!.length + page.GroupDetailList!.length + page.Policies!.length;
        assert.ok(count <= 2);
        seen.push(
          ...page.UserDetailList!.map((u) => 'user:' + u.UserName),
          ...page.GroupDetailList!.map((g) => 'group:' + g.GroupName),
          ...page.Policies!.map((p) => 'policy:' + p.PolicyName),
        );
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      assert.deepEqual(seen, ['user:admin', 'user:zed', 'group:Administrators', 'group:Staff', 'policy:Local', 'policy:AdministratorAccess', 'policy:IAMReadOnlyAccess']);
    });
  });
}
