// The outbound queue as the composition root runs it: `enqueue` for submission (the contract in
// ../outbound.ts), and a worker that claims due recipients under a lease, sends them, records
// what happened, and files a DSN in the sender's Inbox for those it gives up on. The worker runs
// on a timer and right after each enqueue; several workers (processes on one PostgreSQL
// database) share the queue without sending a recipient twice at once (queue-store.ts).
import { randomBytes } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import type { DNSResolver } from 'mailauth';
import type { Clock } from '../../clock.ts';
import { DomainError } from '../../errors.ts';
import type { FileBlobStore } from '../../blobs/blob-store.ts';
import { logEvent, type Logger } from '../../log/logger.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import type { Store } from '../../store/database.ts';
import type { MailDelivery } from '../delivery.ts';
import type { OutboundMessage, OutboundQueue } from '../outbound.ts';
import { freeUnreferenced } from '../store/blob-references.ts';
import { authorDomain, signingKeyFor, signMessage } from './dkim.ts';
import { buildDsn, type FailedRecipient } from './dsn.ts';
import { forEachLimited } from './limit.ts';
import {
  claimDue,
  domainOf,
  insertQueued,
  messagesByIds,
  recordBouncing,
  recordDeferred,
  removeRecipients,
  renewLease,
  type AttemptFailure,
  type QueuedMessage,
  type QueuedRecipient,
} from './queue-store.ts';
import { parseRelayUrl, type RelayTarget } from './relay-url.ts';
import { deliverGroup, type RemoteDeliveryOptions } from './remote-delivery.ts';
import { DEFAULT_RETRY, nextAttemptAt, type RetryPolicy } from './retry-policy.ts';

export const DEFAULT_MAX_AGE_MS = 5 * 24 * 60 * 60 * 1000;

export interface OutboundOptions {
  store: Store;
  /** The mail service's blob store: the same instance, so that its holds protect queued bodies. */
  blobs: FileBlobStore;
  /** Where DSNs are filed (the mailbox store). */
  delivery: MailDelivery;
  /** Opens the sealed DKIM keys. */
  box: SecretBox;
  /** MX and address lookups: the resolver of --dns-server, else the system's. */
  resolver: DNSResolver;
  clock: Clock;
  logger: Logger;
  /** This server's name: EHLO, the DSN's Reporting-MTA and From. */
  mailHost: string;
  /** smtp[s]://user:pass@host:port: every message goes there instead of to MX hosts. */
  relayUrl?: string;
  /** TLS options added for the relay connection (a private CA, say). */
  relayTls?: ConnectionOptions;
  /** Port of remote MX hosts. Default 25. */
  remotePort?: number;
  /** Past this age (from OutboundMessage.receivedAt) a recipient that still fails is bounced. Default 5 days. */
  maxAgeMs?: number;
  retry?: RetryPolicy;
  /** How often the worker looks for due recipients besides being woken by enqueue. Default 30 s. */
  pollEveryMs?: number;
  /** How long a claim is ours; must outlast one SMTP conversation. Default 15 minutes. */
  leaseMs?: number;
  /** Recipients claimed at once. Default 100. */
  batchSize?: number;
  /** Messages sent at once. Default 8. */
  concurrency?: number;
  connectTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** Names this worker in leases; default random. */
  workerId?: string;
}

export class OutboundService implements OutboundQueue {
  private readonly relay: RelayTarget | undefined;
  private readonly owner: string;
  private readonly remote: RemoteDeliveryOptions;
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: OutboundOptions) {
    // A bad relay URL stops the server at start, not the first message.
    this.relay = options.relayUrl ? parseRelayUrl(options.relayUrl) : undefined;
    this.owner = options.workerId ?? randomBytes(8).toString('hex');
    this.leaseMs = options.leaseMs ?? 15 * 60_000;
    this.remote = {
      resolver: options.resolver,
      remotePort: options.remotePort ?? 25,
      relay: this.relay,
      relayTls: options.relayTls,
      heloName: options.mailHost,
      connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
      socketTimeoutMs: options.socketTimeoutMs ?? 5 * 60_000,
    };
  }

  async enqueue(message: OutboundMessage): Promise<{ queueId: string }> {
    if (!message.recipients.length) throw new Error('an outbound message needs at least one recipient');
    const now = this.options.clock.now().getTime();
    const queueId = now.toString(36).padStart(9, '0') + randomBytes(6).toString('hex');
    const hold = await this.options.blobs.put(message.raw);
    try {
      await insertQueued(
        this.options.store.db,
        {
          id: queueId,
          org_id: message.orgId,
          sender: message.sender,
          sender_mailbox_id: message.senderMailboxId ?? null,
          blob_id: hold.id,
          size: message.raw.length,
          received_at: message.receivedAt.getTime(),
          expires_at: message.receivedAt.getTime() + (this.options.maxAgeMs ?? DEFAULT_MAX_AGE_MS),
        },
        message.recipients,
        now,
      );
      // A removal in another process may have taken an identical body before our commit.
      await this.options.blobs.ensure(hold.id, message.raw);
    } finally {
      hold.release();
    }
    logEvent(this.options.logger, 'outbound.queued', { queueId, recipients: message.recipients.length, size: message.raw.length });
    this.wake();
    return { queueId };
  }

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollEveryMs ?? 30_000);
    this.timer.unref();
    this.wake();
  }

  /** Stops the timer and waits for the attempts in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Looks for due recipients now (after an enqueue, a `queue retry`, a clock jump in tests). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.runOnce();
        } catch (error) {
          logEvent(this.options.logger, 'outbound.worker_failed', { error: (error as Error).message }, 'error');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once the worker is idle. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Claims and works through due recipients until a claim comes back short; returns how many were worked on. */
  async runOnce(): Promise<number> {
    const batchSize = this.options.batchSize ?? 100;
    let total = 0;
    for (;;) {
      if (this.stopped) return total;
      const now = this.options.clock.now().getTime();
      const claimed = await claimDue(this.options.store.db, this.owner, now, this.leaseMs, batchSize);
      total += claimed.length;
      if (claimed.length) await this.work(claimed);
      // A short batch took everything due; a full one may have left more.
      if (claimed.length < batchSize) return total;
    }
  }

  private async work(claimed: QueuedRecipient[]): Promise<void> {
    const byMessage = new Map<string, QueuedRecipient[]>();
    for (const row of claimed) byMessage.set(row.queue_id, [...(byMessage.get(row.queue_id) ?? []), row]);
    const messages = await messagesByIds(this.options.store.db, [...byMessage.keys()]);
    await forEachLimited([...byMessage], this.options.concurrency ?? 8, async ([queueId, rows]) => {
      const message = messages.get(queueId);
      if (!message) return;
      try {
        await this.workOnMessage(message, rows);
      } catch (error) {
        // One message's trouble (the store down while recording) leaves its rows leased; they are
        // worked on again once the lease runs out. The rest of the batch goes on.
        logEvent(this.options.logger, 'outbound.worker_failed', { queueId, error: (error as Error).message }, 'error');
      }
    });
  }

  private async workOnMessage(message: QueuedMessage, rows: QueuedRecipient[]): Promise<void> {
    const bouncing = new Map<string, FailedRecipient>();
    for (const row of rows.filter((candidate) => candidate.state === 'bouncing')) bouncing.set(row.id, failedFromRow(row));
    const sendable = rows.filter((row) => row.state !== 'bouncing');
    if (sendable.length) {
      const body = await this.options.blobs.read(message.blob_id).catch(() => undefined);
      if (!body) {
        await this.recordFailures(message, sendable, new Map(sendable.map((row) => [row.id, { permanent: false, status: '4.3.0', error: 'the queued body is missing from the blob store' }])), undefined, bouncing);
      } else {
        const signed = await this.signed(message, body);
        const groups = new Map<string, QueuedRecipient[]>();
        // With a relay every recipient goes in one transaction; otherwise one per domain.
        for (const row of sendable) {
          const key = this.relay ? '' : row.domain;
          groups.set(key, [...(groups.get(key) ?? []), row]);
        }
        for (const [domain, group] of groups) await this.attempt(message, group, domain || domainOf(group[0]!.recipient), signed, bouncing);
      }
    }
    if (bouncing.size) await this.bounce(message, bouncing);
  }

  private async signed(message: QueuedMessage, body: Buffer): Promise<Buffer> {
    try {
      const key = await signingKeyFor(this.options.store.db, this.options.box, message.org_id, [authorDomain(body), message.sender ? domainOf(message.sender) : undefined]);
      return key ? await signMessage(body, key, this.options.clock.now()) : body;
    } catch (error) {
      // Unsigned mail may still arrive; held mail certainly does not.
      logEvent(this.options.logger, 'outbound.worker_failed', { queueId: message.id, error: `DKIM signing failed, sent unsigned: ${(error as Error).message}` }, 'warn');
      return body;
    }
  }

  private async attempt(message: QueuedMessage, group: QueuedRecipient[], domain: string, body: Buffer, bouncing: Map<string, FailedRecipient>): Promise<void> {
    const stillOurs = await renewLease(this.options.store.db, this.owner, group.map((row) => row.id), this.options.clock.now().getTime(), this.leaseMs);
    const rows = group.filter((row) => stillOurs.has(row.id));
    if (!rows.length) return;
    const result = await deliverGroup(domain, { from: message.sender, to: rows.map((row) => row.recipient) }, body, this.remote);
    const delivered: QueuedRecipient[] = [];
    const failures = new Map<string, { permanent: boolean; status: string; error: string }>();
    for (const row of rows) {
      const outcome = result.outcomes.get(row.recipient);
      if (outcome?.delivered) delivered.push(row);
      else failures.set(row.id, outcome ?? { permanent: false, status: '4.0.0', error: 'no answer for this recipient' });
    }
    if (delivered.length) {
      const freed = await removeRecipients(this.options.store.db, delivered.map((row) => row.id), this.owner);
      for (const row of delivered) logEvent(this.options.logger, 'outbound.delivered', { queueId: message.id, recipient: row.recipient, remoteMta: result.remoteMta, attempts: row.attempts + 1 });
      await this.free(freed);
    }
    await this.recordFailures(message, rows.filter((row) => failures.has(row.id)), failures, result.remoteMta, bouncing);
  }

  private async recordFailures(
    message: QueuedMessage,
    rows: QueuedRecipient[],
    failures: Map<string, { permanent: boolean; status: string; error: string }>,
    remoteMta: string | undefined,
    bouncing: Map<string, FailedRecipient>,
  ): Promise<void> {
    const db = this.options.store.db;
    const now = this.options.clock.now();
    for (const row of rows) {
      const failure = failures.get(row.id)!;
      const recorded: AttemptFailure = { error: failure.error, status: failure.status, remoteMta };
      const attempts = row.attempts + 1;
      const expired = now.getTime() >= message.expires_at;
      if (failure.permanent || expired) {
        // An expired recipient's DSN says so (5.4.7) and quotes the last temporary failure.
        const status = failure.permanent ? failure.status : '5.4.7';
        await recordBouncing(db, this.owner, [row.id], { ...recorded, status }, true);
        bouncing.set(row.id, { recipient: row.recipient, status, diagnostic: failure.error, remoteMta, lastAttemptAt: now });
        logEvent(this.options.logger, 'outbound.failed', { queueId: message.id, recipient: row.recipient, status, attempts, error: failure.error, expired: !failure.permanent });
      } else {
        const next = nextAttemptAt(this.options.retry ?? DEFAULT_RETRY, attempts, now.getTime(), message.expires_at);
        await recordDeferred(db, this.owner, [row.id], recorded, next);
        logEvent(this.options.logger, 'outbound.deferred', { queueId: message.id, recipient: row.recipient, status: failure.status, attempts, error: failure.error, nextAttemptAt: new Date(next).toISOString() });
      }
    }
  }

  /** Files one DSN for `failed` in the sender's Inbox, then forgets those recipients. */
  private async bounce(message: QueuedMessage, failed: Map<string, FailedRecipient>): Promise<void> {
    const recipients = [...failed.values()].map((entry) => entry.recipient);
    // The null sender is a bounce already: bounces never bounce. No mailbox: nowhere to file it.
    if (message.sender !== '' && message.sender_mailbox_id) {
      const original = await this.options.blobs.read(message.blob_id).catch(() => Buffer.from(''));
      const now = this.options.clock.now();
      const dsn = buildDsn({ reportingMta: this.options.mailHost, sender: message.sender, original, arrivedAt: new Date(message.received_at), failed: [...failed.values()], now });
      try {
        await this.options.delivery.deliver({ raw: dsn, receivedAt: now }, [{ mailboxId: message.sender_mailbox_id, folder: 'Inbox' }]);
      } catch (error) {
        // A deleted, disabled or full mailbox will not take the DSN later either; the store being
        // down may pass: then the recipients stay `bouncing` and the DSN is tried again once
        // the lease runs out.
        if (!(error instanceof DomainError) || error.kind === 'unavailable' || error.kind === 'internal') throw error;
        logEvent(this.options.logger, 'outbound.bounced', { queueId: message.id, recipients, filed: false, reason: (error as Error).message }, 'warn');
        await this.free(await removeRecipients(this.options.store.db, [...failed.keys()], this.owner));
        return;
      }
      logEvent(this.options.logger, 'outbound.bounced', { queueId: message.id, recipients, filed: true });
    } else {
      logEvent(this.options.logger, 'outbound.bounced', { queueId: message.id, recipients, filed: false, reason: message.sender === '' ? 'null sender' : 'no sender mailbox' });
    }
    await this.free(await removeRecipients(this.options.store.db, [...failed.keys()], this.owner));
  }

  /** Bodies of finished messages go at once unless a mailbox or another queued message has them too. */
  private async free(blobIds: string[]): Promise<void> {
    if (blobIds.length) await freeUnreferenced(this.options.store.db, this.options.blobs, blobIds);
  }
}

function failedFromRow(row: QueuedRecipient): FailedRecipient {
  return { recipient: row.recipient, status: row.last_status ?? '5.0.0', diagnostic: row.last_error ?? '', remoteMta: row.remote_mta ?? undefined, lastAttemptAt: undefined };
}

/** Builds the queue and starts its worker: what the composition root calls. */
export function startOutbound(options: OutboundOptions): OutboundService {
  const service = new OutboundService(options);
  service.start();
  return service;
}
