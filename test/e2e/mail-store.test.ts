// The mailbox store behind the WorkMail API, through @aws-sdk/client-workmail on both engines:
// GetMailboxDetails reports the real size of what was delivered; a deregistered user keeps its
// mailbox; DeleteUser and DeleteResource remove the mailbox and free the bodies no one else
// references, while a body shared with another recipient stays.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateOrganizationCommand,
  CreateResourceCommand,
  CreateUserCommand,
  DeleteOrganizationCommand,
  DeleteResourceCommand,
  DeleteUserCommand,
  DeregisterFromWorkMailCommand,
  GetMailboxDetailsCommand,
  RegisterToWorkMailCommand,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { checkMailStore } from '../../src/mail/store/consistency.ts';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';

const PASSWORD = 'Mailbox-Passw0rd';
const MB = 1024 * 1024;
const receivedAt = new Date('2026-06-01T12:00:00Z');

const body = (tag: string, bytes: number) =>
  Buffer.concat([Buffer.from(`From: a@example.com\r\nTo: b@example.com\r\nSubject: ${tag}\r\n\r\n`), Buffer.alloc(bytes, 'x'), Buffer.from('\r\n')]);

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`mailbox store through the WorkMail API (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let wm: WorkMailClient;
    let OrganizationId: string;
    const domain = 'mail-org.godwit.localhost';
    before(async () => {
      t = await startTestServer({ engine });
      wm = t.workmail();
      OrganizationId = (await wm.send(new CreateOrganizationCommand({ Alias: 'mail-org' }))).OrganizationId!;
    });
    after(() => t.stop());

    const user = async (name: string) => {
      const { UserId } = await wm.send(new CreateUserCommand({ OrganizationId, Name: name, DisplayName: name, Password: PASSWORD }));
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: UserId, Email: `${name}@${domain}` }));
      return UserId!;
    };
    const hasMailbox = async (id: string) => (await t.server.store.db.selectFrom('mail_mailboxes').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

    test('GetMailboxDetails reports the real size after deliveries; a deregistered user keeps its mailbox', async () => {
      const UserId = await user('sizer');
      assert.deepEqual(await wm.send(new GetMailboxDetailsCommand({ OrganizationId, UserId })).then((m) => [m.MailboxQuota, m.MailboxSize]), [51200, 0]);
      const messages = [body('one', 1 * MB), body('two', MB / 2)];
      for (const raw of messages) await t.server.mail.delivery.deliver({ raw, receivedAt }, [{ mailboxId: UserId, folder: 'Inbox' }]);
      const bytes = messages.reduce((sum, m) => sum + m.length, 0);
      const details = await wm.send(new GetMailboxDetailsCommand({ OrganizationId, UserId }));
      assert.equal(details.MailboxSize, bytes / MB);
      assert.ok(details.MailboxSize! > 1.5 && details.MailboxSize! < 1.6);
      await wm.send(new DeregisterFromWorkMailCommand({ OrganizationId, EntityId: UserId }));
      await t.server.mail.settled();
      assert.ok(await hasMailbox(UserId));
      assert.equal((await wm.send(new GetMailboxDetailsCommand({ OrganizationId, UserId }))).MailboxSize, bytes / MB);
    });

    test('DeleteUser removes the mailbox and frees its body; a body another mailbox shares stays', async () => {
      const leaving = await user('leaving');
      const staying = await user('staying');
      const [own] = await t.server.mail.delivery.deliver({ raw: body('own', 1000), receivedAt }, [{ mailboxId: leaving, folder: 'Inbox' }]);
      await t.server.mail.delivery.deliver({ raw: body('shared', 2000), receivedAt }, [
        { mailboxId: leaving, folder: 'Inbox' },
        { mailboxId: staying, folder: 'Inbox' },
      ]);
      const blobOf = async (mailboxId: string, uid: number) =>
        (await t.server.store.db.selectFrom('mail_messages').select('blob_id').where('mailbox_id', '=', mailboxId).where('uid', '=', uid).executeTakeFirstOrThrow()).blob_id;
      const ownBlob = await blobOf(leaving, own.uid);
      const sharedBlob = await blobOf(staying, 1);
      assert.ok(await t.server.mail.blobs.exists(ownBlob));

      await wm.send(new DeregisterFromWorkMailCommand({ OrganizationId, EntityId: leaving }));
      await wm.send(new DeleteUserCommand({ OrganizationId, UserId: leaving }));
      await until('the mailbox to go', async () => !(await hasMailbox(leaving)));
      await t.server.mail.settled();
      assert.equal(await t.server.mail.blobs.exists(ownBlob), false);
      assert.equal(await t.server.mail.blobs.exists(sharedBlob), true);
      assert.equal((await t.server.store.db.selectFrom('mail_messages').select('uid').where('mailbox_id', '=', leaving).execute()).length, 0);
      assert.equal((await t.server.store.db.selectFrom('mail_folders').select('id').where('mailbox_id', '=', leaving).execute()).length, 0);
      assert.deepEqual(await checkMailStore(t.server.store.db, t.server.mail.blobs), []);
    });

    test('DeleteResource removes the resource\'s mailbox', async () => {
      const { ResourceId } = await wm.send(new CreateResourceCommand({ OrganizationId, Name: 'room-1', Type: 'ROOM' }));
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId, EntityId: ResourceId, Email: `room-1@${domain}` }));
      await t.server.mail.delivery.deliver({ raw: body('booking', 500), receivedAt }, [{ mailboxId: ResourceId!, folder: 'Inbox' }]);
      assert.ok(await hasMailbox(ResourceId!));
      await wm.send(new DeleteResourceCommand({ OrganizationId, ResourceId }));
      await until('the resource mailbox to go', async () => !(await hasMailbox(ResourceId!)));
    });

    test('DeleteOrganization removes every mailbox of the organization and frees their bodies', async () => {
      const other = (await wm.send(new CreateOrganizationCommand({ Alias: 'mail-doomed' }))).OrganizationId!;
      const ids: string[] = [];
      for (const name of ['one', 'two']) {
        const { UserId } = await wm.send(new CreateUserCommand({ OrganizationId: other, Name: name, DisplayName: name, Password: PASSWORD }));
        await wm.send(new RegisterToWorkMailCommand({ OrganizationId: other, EntityId: UserId, Email: `${name}@mail-doomed.godwit.localhost` }));
        ids.push(UserId!);
      }
      await t.server.mail.delivery.deliver({ raw: body('doomed', 700), receivedAt }, ids.map((mailboxId) => ({ mailboxId, folder: 'Inbox' as const })));
      const blob = (await t.server.store.db.selectFrom('mail_messages').select('blob_id').where('mailbox_id', '=', ids[0]).executeTakeFirstOrThrow()).blob_id;
      await wm.send(new DeleteOrganizationCommand({ OrganizationId: other, DeleteDirectory: true, ForceDelete: true }));
      await until('the organization\'s mailboxes to go', async () => !(await hasMailbox(ids[0])) && !(await hasMailbox(ids[1])));
      await t.server.mail.settled();
      assert.equal(await t.server.mail.blobs.exists(blob), false);
      assert.ok(await hasMailbox((await t.server.store.db.selectFrom('mail_mailboxes').select('id').executeTakeFirstOrThrow()).id), 'other organizations keep theirs');
    });

    test('a mailbox left behind by a crash (entity deleted, mailbox not) goes at the next start-up sweep', async () => {
      const ghost = await user('ghost');
      await t.server.mail.delivery.deliver({ raw: body('ghost', 300), receivedAt }, [{ mailboxId: ghost, folder: 'Inbox' }]);
      // As if the process died between DeleteUser's commit and the mailbox's removal.
      await t.server.store.db.updateTable('wm_entities').set({ state: 'DELETED' }).where('id', '=', ghost).execute();
      assert.ok(await hasMailbox(ghost));
      assert.deepEqual(await t.server.mail.removeDeletedMailboxes(), [ghost]);
      assert.equal(await hasMailbox(ghost), false);
    });
  });
}
