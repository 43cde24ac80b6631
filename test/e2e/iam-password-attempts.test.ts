// Password guessing through ChangePassword is bounded: after five wrong old passwords, even the
// right one is refused for a while.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangePasswordCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { MAX_FAILURES } from '../../src/iam/password-attempts.ts';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.stop());

test('ChangePassword locks out after five wrong old passwords', async () => {
  const admin = t.iam();
  await admin.send(new CreateUserCommand({ UserName: 'guesser' }));
  await admin.send(new CreateLoginProfileCommand({ UserName: 'guesser', Password: 'Right-Passw0rd' }));
  await admin.send(new UpdateAccountPasswordPolicyCommand({ AllowUsersToChangePassword: true }));
  const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'guesser' }))).AccessKey!;
  const guesser = t.iam({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });

  for (let i = 0; i < MAX_FAILURES; i++) {
    await assert.rejects(guesser.send(new ChangePasswordCommand({ OldPassword: `Wrong-Passw0rd${i}`, NewPassword: 'Next-Passw0rd1' })), {
      name: 'InvalidUserTypeException',
    });
  }
  await assert.rejects(guesser.send(new ChangePasswordCommand({ OldPassword: 'Right-Passw0rd', NewPassword: 'Next-Passw0rd1' })), (error: Error) => {
    assert.equal(error.name, 'LimitExceededException');
    assert.match(error.message, /Too many failed password attempts/);
    return true;
  });
});
