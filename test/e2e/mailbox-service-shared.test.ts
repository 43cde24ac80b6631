// The mailbox service over a real server, on both engines: the directory made through
// @aws-sdk/client-workmail (users, nested groups, a resource, mailbox permissions), mail sent by
// nodemailer through the real MX listener into the real mailbox store. Checks what the IMAP
// commands will rely on: who may open which mailbox (their own; FULL_ACCESS granted to them, or
// to a group holding a group holding them; asked again after a revocation), that a delivery
// wakes a watcher (IDLE) and shows in changesSince, and a shared mailbox's messages copied into
// the user's own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import {
  AssociateMemberToGroupCommand,
  CreateGroupCommand,
  CreateOrganizationCommand,
  CreateResourceCommand,
  CreateUserCommand,
  DeleteMailboxPermissionsCommand,
  PutMailboxPermissionsCommand,
  RegisterToWorkMailCommand,
} from '@aws-sdk/client-workmail';
import { MailboxService } from '../../src/mail/mailbox-service/mailbox-service.ts';
import { checkMailStore } from '../../src/mail/store/consistency.ts';
import { mailDnsResolver } from '../../src/mail/authentication/resolver.ts';
import { startMxListener, type MxListener } from '../../src/smtp/mx-server.ts';
import { prepareCertificate } from '../../src/tls/certificate.ts';
import { createLogger } from '../../src/log/logger.ts';
import { systemClock } from '../../src/clock.ts';
import { DEFAULT_MAILBOX_QUOTA_MB } from '../../src/workmail/users.ts';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.ts';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`mailbox service over a real server: shared mailboxes, SMTP, watch (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let dns: TestDnsServer;
    let mx: MxListener;
    let service: MailboxService;
    let orgId: string;
    const ids: Record<string, string> = {};
    const domain = `shared-${engine}.godwit.localhost`;

    const send = async (to: string, subject: string) => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mx.port, secure: false, ignoreTLS: true });
      try {
        const info = await transport.sendMail({ from: 'someone@elsewhere.example', to, subject, text: `${subject}\n` });
        assert.match(info.response, /^250 /);
      } finally {
        transport.close();
      }
    };

    before(async () => {
      dns = await startDnsServer();
      t = await startTestServer({ engine });
      const wm = t.workmail();
      orgId = (await wm.send(new CreateOrganizationCommand({ Alias: `shared-${engine}` }))).OrganizationId!;
      for (const name of ['owner', 'friend', 'nested', 'outsider']) {
        ids[name] = (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: name, DisplayName: name }))).UserId!;
        await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: ids[name], Email: `${name}@${domain}` }));
      }
      ids.inner = (await wm.send(new CreateGroupCommand({ OrganizationId: orgId, Name: 'inner' }))).GroupId!;
      ids.outer = (await wm.send(new CreateGroupCommand({ OrganizationId: orgId, Name: 'outer' }))).GroupId!;
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: ids.inner, Email: `inner@${domain}` }));
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: ids.outer, Email: `outer@${domain}` }));
      await wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: ids.inner, MemberId: ids.nested }));
      await wm.send(new AssociateMemberToGroupCommand({ OrganizationId: orgId, GroupId: ids.outer, MemberId: ids.inner }));
      ids.room = (await wm.send(new CreateResourceCommand({ OrganizationId: orgId, Name: 'room1', Type: 'ROOM' }))).ResourceId!;
      await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: ids.room, Email: `room1@${domain}` }));
      // friend directly; nested through outer ⊃ inner ⊃ nested; friend also on the room; outsider only SEND_AS.
      await wm.send(new PutMailboxPermissionsCommand({ OrganizationId: orgId, EntityId: ids.owner, GranteeId: ids.friend, PermissionValues: ['FULL_ACCESS'] }));
      await wm.send(new PutMailboxPermissionsCommand({ OrganizationId: orgId, EntityId: ids.owner, GranteeId: ids.outer, PermissionValues: ['FULL_ACCESS', 'SEND_AS'] }));
      await wm.send(new PutMailboxPermissionsCommand({ OrganizationId: orgId, EntityId: ids.room, GranteeId: ids.friend, PermissionValues: ['FULL_ACCESS'] }));
      await wm.send(new PutMailboxPermissionsCommand({ OrganizationId: orgId, EntityId: ids.owner, GranteeId: ids.outsider, PermissionValues: ['SEND_AS'] }));
      mx = await startMxListener({
        db: t.server.store.db,
        delivery: t.server.mail.delivery,
        certificate: await prepareCertificate({ dataDir: t.dataDir, mailHost: 'mx.godwit.test', tlsCertFile: undefined, tlsKeyFile: undefined }, new Date()),
        hostName: 'mx.godwit.test',
        resolver: await mailDnsResolver(dns.address),
        host: '127.0.0.1',
        port: 0,
        logger: createLogger('silent'),
      });
      service = new MailboxService({ store: t.server.store, mail: t.server.mail, clock: systemClock, defaultQuotaMb: DEFAULT_MAILBOX_QUOTA_MB });
    });
    after(async () => {
      await mx?.close();
      await t?.stop();
      await dns?.stop();
    });

    test('who may open which mailbox: own, direct FULL_ACCESS, through nested groups; SEND_AS is not enough', async () => {
      const names = async (user: string) => (await service.forUser(ids[user]).mailboxes()).map((m) => m.name);
      assert.deepEqual(await names('owner'), ['owner']);
      assert.deepEqual(await names('friend'), ['friend', 'owner', 'room1']);
      assert.deepEqual(await names('nested'), ['nested', 'owner']);
      assert.deepEqual(await names('outsider'), ['outsider']);
      await send(`owner@${domain}`, 'first');
      const opened = await service.forUser(ids.nested).open(ids.owner, 'INBOX');
      assert.equal(opened.messages.length, 1);
      await assert.rejects(service.forUser(ids.outsider).open(ids.owner, 'INBOX'), { code: 'MailboxAccessDenied', kind: 'denied' });
      // A resource never mailed yet has its mailbox made at first open.
      assert.equal((await service.forUser(ids.friend).open(ids.room, 'INBOX')).messages.length, 0);
    });

    test('a delivery over SMTP wakes a watcher within a second and shows in changesSince', async () => {
      const friend = service.forUser(ids.friend);
      const opened = await friend.open(ids.owner, 'INBOX');
      const woken = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no change heard within a second')), 1000);
        const stop = service.watch(ids.owner, (modseq) => {
          clearTimeout(timer);
          stop();
          resolve(modseq);
        });
      });
      await send(`owner@${domain}`, 'second');
      const modseq = await woken;
      assert.ok(modseq > opened.highestModseq);
      const changes = await friend.changesSince(opened.handle, opened.highestModseq);
      assert.deepEqual(changes.changed.map((m) => m.uid), [opened.uidNext]);
      const [fetched] = await friend.fetch(opened.handle, [[opened.uidNext, opened.uidNext]], { envelope: true });
      assert.equal(fetched.envelope?.subject, 'second');
    });

    test("copying from a shared mailbox into one's own, and a revoked grant refused at the next call", async () => {
      const friend = service.forUser(ids.friend);
      const shared = await friend.open(ids.owner, 'INBOX');
      await friend.createFolder(ids.friend, 'From owner');
      const copied = await friend.copy(shared.handle, [[1, 2 ** 32 - 1]], ids.friend, 'From owner');
      assert.equal(copied.mapping.length, shared.messages.length);
      const moved = await friend.move(shared.handle, [[1, 1]], ids.friend, 'INBOX');
      assert.deepEqual(moved.expunged, [1]);
      assert.equal((await friend.status(ids.owner, 'INBOX')).messages, shared.messages.length - 1);
      assert.deepEqual(await checkMailStore(t.server.store.db, t.server.mail.blobs), []);

      await t.workmail().send(new DeleteMailboxPermissionsCommand({ OrganizationId: orgId, EntityId: ids.owner, GranteeId: ids.friend }));
      await assert.rejects(friend.fetch(shared.handle, [[1, 10]]), { code: 'MailboxAccessDenied' });
      await assert.rejects(friend.open(ids.owner, 'INBOX'), { code: 'MailboxAccessDenied' });
      assert.deepEqual((await friend.mailboxes()).map((m) => m.name), ['friend', 'room1']);
    });
  });
}
