// Recipient resolution on both engines: users by primary address and alias (any case), groups
// expanded through nested groups to their enabled users once each, resources, and null for
// unknown, unregistered and disabled addresses and for organizations no longer Active.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress, resolveRecipient } from '../../src/mail/recipients.ts';
import { makeDirectory, openTestStore, type MailDirectory, type TestStore } from '../helpers/smtp.ts';
import { postgresAvailable } from '../helpers/postgres.ts';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`recipient resolution (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestStore;
    let dir: MailDirectory;
    before(async () => {
      t = await openTestStore(engine);
      dir = await makeDirectory(t.store.db, t.box);
    });
    after(() => t.close());

    const mailboxes = async (address: string) => (await resolveRecipient(t.store.db, address))?.targets.map((x) => x.mailboxId).sort();

    test('a user by primary address and by alias, in any case, to its Inbox', async () => {
      const byPrimary = await resolveRecipient(t.store.db, dir.alice.email);
      assert.deepEqual(byPrimary, { orgId: dir.orgId, entityId: dir.alice.id, kind: 'USER', targets: [{ mailboxId: dir.alice.id, folder: 'Inbox' }] });
      assert.deepEqual(await mailboxes(dir.alice.alias.toUpperCase()), [dir.alice.id]);
    });

    test('a group: enabled members, nested groups included, each mailbox once', async () => {
      assert.deepEqual(await mailboxes(dir.team.email), [dir.bob.id, dir.carol.id].sort(), 'dave (never registered) and erin (deregistered) get nothing');
      const all = await resolveRecipient(t.store.db, dir.all.email);
      assert.equal(all?.kind, 'GROUP');
      assert.deepEqual(all?.targets.map((x) => x.mailboxId).sort(), [dir.alice.id, dir.bob.id, dir.carol.id].sort(), 'bob is in all and in team: one copy');
    });

    test('a resource', async () => {
      const room = await resolveRecipient(t.store.db, dir.room.email);
      assert.equal(room?.kind, 'RESOURCE');
      assert.deepEqual(room?.targets, [{ mailboxId: dir.room.id, folder: 'Inbox' }]);
    });

    test('unknown, deregistered and malformed addresses resolve to null; the class tells local from remote', async () => {
      for (const address of [`nobody@${dir.domain}`, `erin@${dir.domain}`, 'alice@elsewhere.example', 'no-at-sign', `@${dir.domain}`]) {
        assert.equal(await resolveRecipient(t.store.db, address), null, address);
      }
      assert.equal(await classifyAddress(t.store.db, `nobody@${dir.domain.toUpperCase()}`), 'local');
      assert.equal(await classifyAddress(t.store.db, 'someone@elsewhere.example'), 'remote');
    });

    test('an organization that is no longer Active receives nothing', async () => {
      const other = await makeDirectory(t.store.db, t.box, 'gone');
      assert.deepEqual(await mailboxes(other.alice.email), [other.alice.id]);
      // The state alone decides, even while the domain and addresses are still on record.
      await t.store.db.updateTable('wm_organizations').set({ state: 'Deleted' }).where('id', '=', other.orgId).execute();
      assert.equal(await resolveRecipient(t.store.db, other.alice.email), null);
      assert.equal(await classifyAddress(t.store.db, other.alice.email), 'remote');
    });
  });
}
