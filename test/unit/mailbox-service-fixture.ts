// The mailbox service over the mail store's fixture (mail-fixture.ts), on either engine, with a
// user whose mailbox exists (one delivery made it) and helpers to deliver through the real MailStore.
import { MailboxService, type UserMailboxes } from '../../src/mail/mailbox-service/mailbox-service.ts';
import { mailFixture, message, type MailFixture } from './mail-fixture.ts';

export interface ServiceFixture {
  f: MailFixture;
  service: MailboxService;
  /** Adds a user and returns their id and their view of the service. */
  user(name: string, options?: { quotaMb?: number | null }): Promise<{ id: string; mail: UserMailboxes }>;
  /** Delivers `count` messages (numbered from `from`) to the user's Inbox through the MailStore. */
  deliver(mailboxId: string, count: number, from?: number): Promise<void>;
  close(): Promise<void>;
}

export const receivedAt = new Date('2026-06-01T12:00:00Z');

export async function serviceFixture(engine: 'sqlite' | 'postgres'): Promise<ServiceFixture> {
  const f = await mailFixture(engine);
  const service = new MailboxService({ store: f.store, mail: f.mail, clock: f.clock, defaultQuotaMb: 51200 });
  let n = 0;
  return {
    f,
    service,
    async user(name, options) {
      const id = await f.user(name, options);
      return { id, mail: service.forUser(id) };
    },
    async deliver(mailboxId, count, from = ++n * 1000) {
      await Promise.all(Array.from({ length: count }, (_, i) => f.mail.delivery.deliver({ raw: message(from + i), receivedAt }, [{ mailboxId, folder: 'Inbox' }])));
    },
    close: () => f.close(),
  };
}

/** All of a folder: 1:* with '*' resolved as the IMAP door does. */
export const ALL: Array<[number, number]> = [[1, 2 ** 32 - 1]];
