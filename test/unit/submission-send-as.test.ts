// workmail/send-as.ts on both engines: who a signed-in user may send as. Grants are made with
// WorkMail's own putMailboxPermissions, as the API would.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresAvailable } from '../helpers/postgres.ts';
import { makeDirectory, openTestStore, type Engine, type MailDirectory, type TestStore } from '../helpers/smtp.ts';
import { checkOriginators, maySendAs } from '../../src/workmail/send-as.ts';
import { putMailboxPermissions, deleteMailboxPermissions } from '../../src/workmail/mailbox-permissions.ts';
import { deregisterFromWorkMail } from '../../src/workmail/registration.ts';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`send-as decision (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestStore;
    let dir: MailDirectory;
    let other: MailDirectory;
    before(async () => {
      t = await openTestStore(engine);
      dir = await makeDirectory(t.store.db, t.box);
      other = await makeDirectory(t.store.db, t.box, 'other');
    });
    after(() => t.close());

    const alice = () => ({ userId: dir.alice.id, orgId: dir.orgId });
    const bob = () => ({ userId: dir.bob.id, orgId: dir.orgId });

    test("the user's own primary address and alias, in any case", async () => {
      assert.deepEqual(await maySendAs(t.store.db, alice(), dir.alice.email.toUpperCase()), { allowed: true, entityId: dir.alice.id, via: 'own' });
      assert.deepEqual(await maySendAs(t.store.db, alice(), dir.alice.alias), { allowed: true, entityId: dir.alice.id, via: 'own' });
    });

    test('unknown addresses and addresses of another organization are refused', async () => {
      assert.deepEqual(await maySendAs(t.store.db, alice(), `nobody@${dir.domain}`), { allowed: false, reason: 'unknown-address' });
      assert.deepEqual(await maySendAs(t.store.db, alice(), 'someone@remote.example'), { allowed: false, reason: 'unknown-address' });
      assert.deepEqual(await maySendAs(t.store.db, alice(), other.alice.email), { allowed: false, reason: 'unknown-address' });
    });

    test('another mailbox needs SEND_AS; FULL_ACCESS or SEND_ON_BEHALF alone is not enough; a deleted grant stops it', async () => {
      assert.deepEqual(await maySendAs(t.store.db, alice(), dir.carol.email), { allowed: false, reason: 'no-permission' });
      await putMailboxPermissions(t.store.db, dir.orgId, dir.carol.id, dir.alice.id, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
      assert.equal((await maySendAs(t.store.db, alice(), dir.carol.email)).allowed, false);
      await putMailboxPermissions(t.store.db, dir.orgId, dir.carol.id, dir.alice.id, ['SEND_AS']);
      assert.deepEqual(await maySendAs(t.store.db, alice(), dir.carol.email), { allowed: true, entityId: dir.carol.id, via: 'grant' });
      assert.equal((await maySendAs(t.store.db, bob(), dir.carol.email)).allowed, false, 'a grant is to its grantee only');
      await deleteMailboxPermissions(t.store.db, dir.orgId, dir.carol.id, dir.alice.id);
      assert.equal((await maySendAs(t.store.db, alice(), dir.carol.email)).allowed, false);
    });

    test('SEND_AS granted to a group reaches its members through nested groups; on a group or resource address too', async () => {
      // bob is in team, and team is in all.
      await putMailboxPermissions(t.store.db, dir.orgId, dir.room.id, dir.all.id, ['SEND_AS']);
      assert.deepEqual(await maySendAs(t.store.db, bob(), dir.room.email), { allowed: true, entityId: dir.room.id, via: 'grant' });
      await putMailboxPermissions(t.store.db, dir.orgId, dir.team.id, dir.team.id, ['SEND_AS']);
      assert.equal((await maySendAs(t.store.db, bob(), dir.team.email)).allowed, true, "a group's members may send as the group when it is granted to itself");
      assert.equal((await maySendAs(t.store.db, alice(), dir.team.email)).allowed, false, 'alice is in all, not in team');
    });

    test('From and Sender together: SEND_ON_BEHALF lets the owner stand in From only with the user alone in Sender', async () => {
      await putMailboxPermissions(t.store.db, dir.orgId, dir.bob.id, dir.alice.id, ['SEND_ON_BEHALF']);
      const check = (from: string[], sender: string[]) => checkOriginators(t.store.db, alice(), { from, sender });
      assert.equal(await check([dir.alice.email], []), undefined);
      assert.equal(await check([dir.bob.email], [dir.alice.alias]), undefined, 'on behalf of bob');
      assert.deepEqual(await check([dir.bob.email], []), { field: 'From', address: dir.bob.email, reason: 'no-permission' });
      assert.deepEqual(await check([dir.carol.email], [dir.alice.email]), { field: 'From', address: dir.carol.email, reason: 'no-permission' }, 'no grant on carol');
      assert.deepEqual(await check([dir.alice.email], [dir.carol.email]), { field: 'Sender', address: dir.carol.email, reason: 'no-permission' });
      await putMailboxPermissions(t.store.db, dir.orgId, dir.room.id, dir.alice.id, ['SEND_AS']);
      assert.deepEqual(await check([dir.bob.email], [dir.room.email]), { field: 'From', address: dir.bob.email, reason: 'no-permission' }, 'on behalf needs the user herself in Sender');
      await deleteMailboxPermissions(t.store.db, dir.orgId, dir.bob.id, dir.alice.id);
      await deleteMailboxPermissions(t.store.db, dir.orgId, dir.room.id, dir.alice.id);
    });

    test('a deregistered mailbox cannot be sent as, whatever was granted', async () => {
      await putMailboxPermissions(t.store.db, dir.orgId, dir.carol.id, dir.alice.id, ['SEND_AS']);
      const carolEmail = dir.carol.email;
      await deregisterFromWorkMail(t.store.db, dir.orgId, dir.carol.id, new Date());
      assert.equal((await maySendAs(t.store.db, alice(), carolEmail)).allowed, false);
    });
  });
}
