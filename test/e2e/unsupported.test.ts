// What is not built yet is refused in each protocol's own words (never a made-up answer), and
// only after the caller has been authenticated: IAM/STS answer InvalidAction, WorkMail answers
// UnsupportedOperationException with the x-amzn-ErrorType header the SDKs and the CLI read.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, AssumeRoleWithSAMLCommand, AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { workmailCall } from '../helpers/json-call.ts';

const workmail = (t: TestServer, operation: string, input: object, credentials: Credentials) => workmailCall(t, operation, input, credentials);

describe('operations not built yet', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  test('an IAM action Godwit has not built answers InvalidAction (400)', async () => {
    await assert.rejects(
      t.iam().send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' })),
      (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'InvalidAction');
        assert.equal(error.$metadata?.httpStatusCode, 400);
        assert.match(error.message, /CreateRole/);
        return true;
      },
    );
  });

  test('an STS action Godwit has not built answers InvalidAction', async () => {
    await assert.rejects(t.sts().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${t.admin.accountId}:role/r`, RoleSessionName: 's' })), {
      name: 'InvalidAction',
    });
  });

  test('the STS actions clients send unsigned (SAML, web identity) answer InvalidAction, not a demand for a signature', async () => {
    const roleArn = `arn:aws:iam::${t.admin.accountId}:role/r`;
    // The SDK sends these two without a signature, as the AWS CLI does.
    await assert.rejects(t.sts().send(new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: roleArn, SAMLAssertion: 'x'.repeat(8) })), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'InvalidAction');
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.match(error.message, /AssumeRoleWithSAML/);
      return true;
    });
    await assert.rejects(t.sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 's', WebIdentityToken: 'x'.repeat(8) })), {
      name: 'InvalidAction',
    });
    const unsigned = await fetch(t.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=a&RoleSessionName=s&WebIdentityToken=tokentoken',
    });
    assert.equal(unsigned.status, 400);
    assert.match(await unsigned.text(), /<Code>InvalidAction<\/Code>/);
  });

  test('WorkMailService.ListMailboxExportJobs answers UnsupportedOperationException with x-amzn-ErrorType', async () => {
    const response = await workmail(t, 'ListMailboxExportJobs', { OrganizationId: 'm-' + '0'.repeat(32) }, t.admin);
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('x-amzn-errortype'), 'UnsupportedOperationException');
    assert.match(response.headers.get('content-type') ?? '', /^application\/x-amz-json-1\.1/);
    const body = (await response.json()) as { __type: string; message: string };
    assert.equal(body.__type, 'UnsupportedOperationException');
    assert.match(body.message, /ListMailboxExportJobs/);
  });

  test('the refusal comes only after authentication: an unknown key is told so first', async () => {
    const response = await workmail(t, 'ListOrganizations', {}, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-amzn-errortype'), 'UnrecognizedClientException');
    await assert.rejects(
      t.iam({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }).send(
        new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: '{}' }),
      ),
      { name: 'InvalidClientTokenId' },
    );
  });
});
