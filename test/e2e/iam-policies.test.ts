import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  SetDefaultPolicyVersionCommand,
  type IAMClient,
  type Policy,
} from '@aws-sdk/client-iam';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWith } from '../helpers/assertions.ts';

const policyText = (action: string, resource = '*') =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] }, null, 2);

// The two customer managed policies the WorkMail Administrator Guide prints, each with the
// typing mistakes the guide has (a missing comma; the second also an extra closing brace).
const [seedFullAccess, seedReadOnly] = readFileSync(new URL('../unit/policy/fixtures/seed-policies.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`IAM managed policies through @aws-sdk/client-iam (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let iam: IAMClient;
    let account: string;
    before(async () => {
      t = await startTestServer({ engine });
      iam = t.iam();
      account = t.admin.accountId;
    });
    after(() => t.stop());

    test('create, get and delete a customer managed policy; names are unique without regard to case', async () => {
      const document = policyText('workmail:List*');
      const created = (
        await iam.send(
          new CreatePolicyCommand({ PolicyName: 'MailReaders', Path: '/mail/', PolicyDocument: document, Description: 'read mail setup', Tags: [{ Key: 'team', Value: 'ops' }] }),
        )
      ).Policy!;
      assert.equal(created.Arn, `arn:aws:iam::${account}:policy/mail/MailReaders`);
      assert.match(created.PolicyId!, /^ANPA[A-Z2-7]{17}$/);
      assert.equal(created.DefaultVersionId, 'v1');
      assert.equal(created.AttachmentCount, 0);
      assert.equal(created.PermissionsBoundaryUsageCount, 0);
      assert.equal(created.IsAttachable, true);
      assert.equal(created.Description, 'read mail setup');
      assert.ok(created.CreateDate instanceof Date && created.UpdateDate instanceof Date);
      assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'ops' }]);

      const got = (await iam.send(new GetPolicyCommand({ PolicyArn: created.Arn }))).Policy!;
      assert.equal(got.PolicyId, created.PolicyId);
      assert.equal(got.Description, 'read mail setup');
      assert.deepEqual(got.Tags, [{ Key: 'team', Value: 'ops' }]);

      await rejectsWith(
        iam.send(new CreatePolicyCommand({ PolicyName: 'mailreaders', PolicyDocument: document })),
        'EntityAlreadyExists',
        409,
        'A policy called mailreaders already exists. Duplicate names are not allowed.',
      );
      // The ARN must carry the policy's real path.
      await rejectsWith(iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${account}:policy/MailReaders` })), 'NoSuchEntity', 404);

      await iam.send(new DeletePolicyCommand({ PolicyArn: created.Arn }));
      await rejectsWith(
        iam.send(new GetPolicyCommand({ PolicyArn: created.Arn })),
        'NoSuchEntity',
        404,
        `Policy arn:aws:iam::${account}:policy/mail/MailReaders was not found.`,
      );
    });

    test('the WorkMail guide policies are refused at the exact place of their mistakes, and accepted mended', async () => {
      await rejectsWith(
        iam.send(new CreatePolicyCommand({ PolicyName: 'WorkMailFull', PolicyDocument: seedFullAccess! })),
        'MalformedPolicyDocument',
        400,
        /^line 1, column 867: expected ',' or '\]' after array element/,
      );
      await rejectsWith(
        iam.send(new CreatePolicyCommand({ PolicyName: 'WorkMailReadOnly', PolicyDocument: seedReadOnly! })),
        'MalformedPolicyDocument',
        400,
        /^line 1, column 92: expected ',' or '\]' after array element/,
      );
      const readOnlyCommaFixed = seedReadOnly!.replace('"ses:Describe*" "ses:Get*"', '"ses:Describe*", "ses:Get*"');
      // With the comma in place the extra closing brace at the end is the next mistake.
      await rejectsWith(
        iam.send(new CreatePolicyCommand({ PolicyName: 'WorkMailReadOnly', PolicyDocument: readOnlyCommaFixed })),
        'MalformedPolicyDocument',
        400,
        new RegExp(`^line 1, column ${readOnlyCommaFixed.lastIndexOf('}') + 1}: `),
      );

      const fullMended = seedFullAccess!.replace('"kms:ListAliases" "lambda:ListFunctions"', '"kms:ListAliases", "lambda:ListFunctions"');
      const readOnlyMended = readOnlyCommaFixed.replace(/\s*}\s*$/, '');
      const full = (await iam.send(new CreatePolicyCommand({ PolicyName: 'WorkMailFull', PolicyDocument: fullMended }))).Policy!;
      const readOnly = (await iam.send(new CreatePolicyCommand({ PolicyName: 'WorkMailReadOnly', PolicyDocument: readOnlyMended }))).Policy!;
      await iam.send(new CreateUserCommand({ UserName: 'seeded' }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'seeded', PolicyArn: full.Arn }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'seeded', PolicyArn: readOnly.Arn }));
      const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'seeded' }));
      assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyName).sort(), ['WorkMailFull', 'WorkMailReadOnly']);
      await iam.send(new DetachUserPolicyCommand({ UserName: 'seeded', PolicyArn: full.Arn }));
      await iam.send(new DetachUserPolicyCommand({ UserName: 'seeded', PolicyArn: readOnly.Arn }));
    });

    test('a managed policy may hold 6,144 characters, whitespace not counted', async () => {
      const padded = (length: number) => {
        const base = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
        const sid = 'A'.repeat(length - base.length);
        return JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }, null, 8);
      };
      await iam.send(new CreatePolicyCommand({ PolicyName: 'Biggest', PolicyDocument: padded(6144) }));
      await rejectsWith(
        iam.send(new CreatePolicyCommand({ PolicyName: 'TooBig', PolicyDocument: padded(6145) })),
        'LimitExceeded',
        409,
        'Cannot exceed quota for PolicySize: 6144',
      );
    });

    test('versions: up to five, numbered without reuse, one default; documents come back URL-encoded', async () => {
      const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'Versioned', PolicyDocument: policyText('iam:GetUser') }))).Policy!.Arn!;
      const v2 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyText('iam:ListUsers'), SetAsDefault: true }))).PolicyVersion!;
      assert.equal(v2.VersionId, 'v2');
      assert.equal(v2.IsDefaultVersion, true);
      for (const n of [3, 4, 5]) {
        const v = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyText(`iam:Get${n}`) }))).PolicyVersion!;
        assert.equal(v.VersionId, `v${n}`);
        assert.equal(v.IsDefaultVersion, false);
      }
      await rejectsWith(
        iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyText('iam:Get6') })),
        'LimitExceeded',
        409,
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      );

      const listed = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
      assert.deepEqual(listed.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion]), [
        ['v5', false],
        ['v4', false],
        ['v3', false],
        ['v2', true],
        ['v1', false],
      ]);
      const paged: string[] = [];
      let marker: string | undefined;
      do {
        const page = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn, MaxItems: 2, Marker: marker }));
        paged.push(...page.Versions!.map((v) => v.VersionId!));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      assert.deepEqual(paged, ['v5', 'v4', 'v3', 'v2', 'v1']);

      const got = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))).PolicyVersion!;
      assert.equal(got.IsDefaultVersion, true);
      assert.match(got.Document!, /^%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22/);
      assert.match(got.Document!, /iam%3AListUsers/);
      assert.ok(got.Document!.includes('%2A'), 'the * in the Resource is percent-encoded as RFC 3986 asks');
      assert.equal(decodeURIComponent(got.Document!), policyText('iam:ListUsers'));
      assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, 'v2');

      await rejectsWith(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })), 'DeleteConflict', 409, 'Cannot delete the default version of a policy.');
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
      await rejectsWith(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' })), 'NoSuchEntity', 404);
      const v6 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyText('iam:Get6') }))).PolicyVersion!;
      assert.equal(v6.VersionId, 'v6', 'a deleted version number is never handed out again');

      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v6' }));
      assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, 'v6');
      assert.equal((await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))).PolicyVersion!.IsDefaultVersion, false);
      await rejectsWith(iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })), 'NoSuchEntity', 404);

      await rejectsWith(
        iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
        'DeleteConflict',
        409,
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
      for (const v of ['v1', 'v2', 'v3', 'v4']) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
      await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    });

    test('AWS managed policies can be read but not changed', async () => {
      const arn = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
      assert.equal(policy.PolicyName, 'IAMReadOnlyAccess');
      assert.equal(policy.Arn, arn);
      assert.match(policy.PolicyId!, /^ANPA[A-Z2-7]{17}$/);
      const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId }))).PolicyVersion!;
      assert.match(decodeURIComponent(version.Document!), /"iam:List\*"/);
      await rejectsWith(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyText('*') })), 'AccessDenied', 403);
      await rejectsWith(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'AccessDenied', 403);
      await rejectsWith(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })), 'NoSuchEntity', 404);
    });

    test('ListPolicies merges AWS and customer policies, filters by scope, path and attachment, and pages', async () => {
      for (const name of ['ListA', 'ListB', 'ListC']) {
        await iam.send(new CreatePolicyCommand({ PolicyName: name, Path: '/listing/', PolicyDocument: policyText('iam:GetUser') }));
      }
      const all: Policy[] = [];
      let marker: string | undefined;
      do {
        const page = await iam.send(new ListPoliciesCommand({ MaxItems: 3, Marker: marker }));
        assert.ok(page.Policies!.length <= 3);
        all.push(...page.Policies!);
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      const names = all.map((p) => p.Arn);
      assert.equal(new Set(names).size, names.length, 'no policy appears twice across pages');
      assert.ok(names.includes('arn:aws:iam::aws:policy/AdministratorAccess'));
      assert.ok(names.includes(`arn:aws:iam::${account}:policy/listing/ListB`));
      assert.equal(all.find((p) => p.PolicyName === 'ListB')!.Description, undefined, 'lists leave descriptions out');

      const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/listing/' }));
      assert.deepEqual(local.Policies?.map((p) => p.PolicyName), ['ListA', 'ListB', 'ListC']);
      const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
      assert.ok(aws.Policies!.length > 0 && aws.Policies!.every((p) => p.Arn!.startsWith('arn:aws:iam::aws:policy/')));

      // The bootstrap admin group holds AdministratorAccess; nothing else is attached yet.
      const attached = await iam.send(new ListPoliciesCommand({ OnlyAttached: true }));
      assert.deepEqual(attached.Policies?.map((p) => [p.PolicyName, p.AttachmentCount]), [['AdministratorAccess', 1]]);
      await iam.send(new CreateUserCommand({ UserName: 'lister' }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'lister', PolicyArn: `arn:aws:iam::${account}:policy/listing/ListB` }));
      const attachedNow = await iam.send(new ListPoliciesCommand({ OnlyAttached: true, Scope: 'Local' }));
      assert.deepEqual(attachedNow.Policies?.map((p) => [p.PolicyName, p.AttachmentCount]), [['ListB', 1]]);
      await iam.send(new DetachUserPolicyCommand({ UserName: 'lister', PolicyArn: `arn:aws:iam::${account}:policy/listing/ListB` }));
    });

    test('attach and detach to users and groups; counts, quotas, listings and the entities of a policy', async () => {
      const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'Shared', Path: '/team/', PolicyDocument: policyText('iam:GetUser') }))).Policy!.Arn!;
      for (const name of ['ann', 'ben', 'cid']) await iam.send(new CreateUserCommand({ UserName: name, Path: '/people/' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'Readers' }));
      for (const name of ['ann', 'ben', 'cid']) await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: arn }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'ann', PolicyArn: arn })); // again: no change
      await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Readers', PolicyArn: arn }));
      await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Readers', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
      assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount, 4);

      const groupPolicies = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Readers' }));
      assert.deepEqual(groupPolicies.AttachedPolicies?.map((p) => p.PolicyName).sort(), ['IAMReadOnlyAccess', 'Shared']);
      const underTeam = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Readers', PathPrefix: '/team/' }));
      assert.deepEqual(underTeam.AttachedPolicies, [{ PolicyName: 'Shared', PolicyArn: arn }]);
      const firstPage = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Readers', MaxItems: 1 }));
      assert.equal(firstPage.IsTruncated, true);
      const secondPage = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Readers', MaxItems: 1, Marker: firstPage.Marker }));
      assert.equal(secondPage.IsTruncated, false);
      assert.notEqual(firstPage.AttachedPolicies![0]!.PolicyArn, secondPage.AttachedPolicies![0]!.PolicyArn);

      const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
      assert.deepEqual(entities.PolicyGroups?.map((g) => g.GroupName), ['Readers']);
      assert.deepEqual(entities.PolicyUsers?.map((u) => u.UserName), ['ann', 'ben', 'cid']);
      assert.match(entities.PolicyUsers![0]!.UserId!, /^AIDA/);
      assert.deepEqual(entities.PolicyRoles, []);
      const usersOnly = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'User', PathPrefix: '/people/' }));
      assert.deepEqual(usersOnly.PolicyGroups, []);
      assert.equal(usersOnly.PolicyUsers?.length, 3);
      const pagedEntities: string[] = [];
      let marker: string | undefined;
      do {
        const page = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, MaxItems: 2, Marker: marker }));
        pagedEntities.push(...page.PolicyGroups!.map((g) => 'group:' + g.GroupName), ...page.PolicyUsers!.map((u) => 'user:' + u.UserName));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      assert.deepEqual(pagedEntities, ['group:Readers', 'user:ann', 'user:ben', 'user:cid']);

      await rejectsWith(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
      const missing = `arn:aws:iam::${account}:policy/x`;
      await rejectsWith(
        iam.send(new AttachUserPolicyCommand({ UserName: 'ann', PolicyArn: missing })),
        'NoSuchEntity',
        404,
        `Policy ${missing} does not exist or is not attachable.`,
      );
      await rejectsWith(
        iam.send(new DetachUserPolicyCommand({ UserName: 'ann', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' })),
        'NoSuchEntity',
        404,
        'Policy arn:aws:iam::aws:policy/IAMReadOnlyAccess was not found.',
      );
      await rejectsWith(iam.send(new AttachUserPolicyCommand({ UserName: 'nobody', PolicyArn: arn })), 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');

      // Ten managed policies per user, at most.
      for (let i = 1; i <= 9; i++) {
        const extra = (await iam.send(new CreatePolicyCommand({ PolicyName: `Quota${i}`, PolicyDocument: policyText('iam:GetUser') }))).Policy!.Arn!;
        await iam.send(new AttachUserPolicyCommand({ UserName: 'ann', PolicyArn: extra }));
      }
      await rejectsWith(
        iam.send(new AttachUserPolicyCommand({ UserName: 'ann', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' })),
        'LimitExceeded',
        409,
        'Cannot exceed quota for PoliciesPerUser: 10',
      );

      for (const name of ['ann', 'ben', 'cid']) await iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn: arn }));
      await iam.send(new DetachGroupPolicyCommand({ GroupName: 'Readers', PolicyArn: arn }));
      assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount, 0);
      await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    });
  });
}
