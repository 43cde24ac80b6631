// Mailbox sign-in (src/workmail/mail-login.ts), the decision SMTP submission and IMAP share, on a
// directory built through @aws-sdk/client-workmail against a real server, on both engines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateOrganizationCommand,
  CreateUserCommand,
  DeregisterFromWorkMailCommand,
  PutAccessControlRuleCommand,
  RegisterToWorkMailCommand,
  ResetPasswordCommand,
  WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { MailLogin, type MailLoginRequest } from '../../src/workmail/mail-login.ts';
import { LoginThrottle } from '../../src/security/login-throttle.ts';
import { verifyPassword } from '../../src/security/passwords.ts';

const PASSWORD = 'Mailbox-Passw0rd!';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`mailbox sign-in (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let wm: WorkMailClient;
    let OrganizationId: string;
    let domain: string;
    let scryptRuns = 0;
    const login = () =>
      new MailLogin(t.server.store.db, {
        throttle: new LoginThrottle({ baseDelayMs: 100, maxDelayMs: 400, maxFailures: 4, windowMs: 60_000, maxTracked: 100 }),
        verify: (password, hash) => {
          scryptRuns++;
          return verifyPassword(password, hash);
        },
      });
    const request = (email: string, password: string, sourceIp = '198.51.100.7'): MailLoginRequest => ({ email, password, sourceIp, action: 'IMAP' });

    async function registeredUser(name: string): Promise<string> {
      const userId = (await wm.send(new CreateUserCommand({ OrganizationId, Name: name, DisplayName: name, Password: PASSWORD }))).UserId!;
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: userId, Email: `${name}@${domain}` }));
      return userId;
    }

    before(async () => {
      t = await startTestServer({ engine });
      wm = t.workmail();
      OrganizationId = (await wm.send(new CreateOrganizationCommand({ Alias: `login-${engine}` }))).OrganizationId!;
      domain = `login-${engine}.godwit.localhost`;
    });
    after(() => t.stop());

    test('the right password signs in by primary address or alias; the wrong one, an unknown address or a group does not', async () => {
      const userId = await registeredUser('ana');
      await wm.send(new CreateAliasCommand({ OrganizationId, EntityId: userId, Alias: `ana.alias@${domain}` }));
      const doors = login();
      const now = new Date();
      assert.deepEqual(await doors.login(request(`ANA@${domain}`, PASSWORD), now), { ok: true, user: { userId, orgId: OrganizationId, email: `ana@${domain}` } });
      assert.equal((await doors.login(request(`ana.alias@${domain}`, PASSWORD), now)).ok, true);
      const wrong = await doors.login(request(`ana@${domain}`, 'not the password'), now);
      assert.deepEqual(wrong, { ok: false, reason: 'bad-credentials', delayMs: 100 });
      const unknown = await doors.login(request(`nobody@${domain}`, PASSWORD), now);
      assert.equal(unknown.ok, false);
      assert.equal(!unknown.ok && unknown.reason, 'bad-credentials');
    });

    test('a verified password is remembered: the second sign-in runs no scrypt; a reset password is refused at once', async () => {
      const userId = await registeredUser('ben');
      const doors = login();
      const now = new Date();
      assert.equal((await doors.login(request(`ben@${domain}`, PASSWORD), now)).ok, true);
      const before = scryptRuns;
      assert.equal((await doors.login(request(`ben@${domain}`, PASSWORD), now)).ok, true);
      assert.equal(scryptRuns, before, 'the remembered password costs no scrypt run');

      await wm.send(new ResetPasswordCommand({ OrganizationId, UserId: userId, Password: 'Another-Passw0rd!' }));
      const stale = await doors.login(request(`ben@${domain}`, PASSWORD), now);
      assert.equal(stale.ok, false, 'the old password no longer signs in, though it was remembered');
      assert.equal((await doors.login(request(`ben@${domain}`, 'Another-Passw0rd!'), now)).ok, true);
    });

    test('failures from one address double the delay to a cap, then lock the address out; another address is unaffected', async () => {
      await registeredUser('cy');
      const doors = login();
      const now = new Date();
      const delays: number[] = [];
      for (let i = 0; i < 4; i++) {
        const result = await doors.login(request(`cy@${domain}`, 'guess ' + i, '203.0.113.9'), now);
        assert.equal(result.ok, false);
        if (!result.ok) delays.push(result.delayMs);
      }
      assert.deepEqual(delays, [100, 200, 400, 400]);
      const locked = await doors.login(request(`cy@${domain}`, PASSWORD, '203.0.113.9'), now);
      assert.equal(locked.ok, false, 'even the right password is refused while locked out');
      assert.equal(!locked.ok && locked.reason, 'throttled');
      assert.equal((await doors.login(request(`cy@${domain}`, PASSWORD, '203.0.113.10'), now)).ok, true);
      const later = new Date(now.getTime() + 60_001);
      assert.equal((await doors.login(request(`cy@${domain}`, PASSWORD, '203.0.113.9'), later)).ok, true, 'the lockout ends with the window');
    });

    test('a deregistered user cannot sign in; an access control rule denying IMAP from an address refuses it there only', async () => {
      const gone = await registeredUser('dee');
      await wm.send(new DeregisterFromWorkMailCommand({ OrganizationId, EntityId: gone }));
      const doors = login();
      const now = new Date();
      const refused = await doors.login(request(`dee@${domain}`, PASSWORD), now);
      assert.equal(refused.ok, false);

      const userId = await registeredUser('eve');
      await wm.send(
        new PutAccessControlRuleCommand({ OrganizationId, Name: 'no-imap-from-lab', Effect: 'DENY', Description: 'lab', IpRanges: ['192.0.2.0/24'], Actions: ['IMAP'], UserIds: [userId] }),
      );
      const denied = await doors.login(request(`eve@${domain}`, PASSWORD, '192.0.2.44'), now);
      assert.equal(!denied.ok && denied.reason, 'denied-by-rule');
      assert.equal((await doors.login({ ...request(`eve@${domain}`, PASSWORD, '192.0.2.44'), action: 'SMTP' }, now)).ok, true, 'SMTP is not denied by the rule');
      assert.equal((await doors.login(request(`eve@${domain}`, PASSWORD, '198.51.100.1'), now)).ok, true, 'nor IMAP from elsewhere');
    });
  });
}
