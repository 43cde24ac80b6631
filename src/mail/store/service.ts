// The mailbox store as the composition root starts it: the delivery door (MailStore), the
// orphan-blob sweeper, mailbox removal following directory deletions, and retention. Each
// background job runs once at start and then on a timer; none overlaps itself.
import { join } from 'node:path';
import type { Clock } from '../../clock.ts';
import { FileBlobStore } from '../../blobs/blob-store.ts';
import { sweepOrphanBlobs, type SweepResult } from '../../blobs/sweeper.ts';
import type { Store } from '../../store/database.ts';
import { referencedBlobs } from './blob-references.ts';
import { reconcileMailboxes } from './lifecycle.ts';
import { MailStore } from './mail-store.ts';
import { applyRetention, type RetentionResult } from './retention.ts';

export interface MailServiceOptions {
  store: Store;
  dataDir: string;
  /** Default: <dataDir>/blobs */
  blobDir?: string;
  clock: Clock;
  defaultQuotaMb: number;
  /** How old an unreferenced blob must be before the sweeper removes it. Default 1 hour. */
  orphanGraceMs?: number;
  /** Default: hourly */
  sweepEveryMs?: number;
  /** Default: daily */
  retentionEveryMs?: number;
  /** Told of a background job's failure; the job runs again at its next turn. */
  onError?: (job: string, error: unknown) => void;
}

export class MailService {
  readonly blobs: FileBlobStore;
  readonly delivery: MailStore;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: MailServiceOptions) {
    this.blobs = new FileBlobStore(options.blobDir ?? join(options.dataDir, 'blobs'));
    this.delivery = new MailStore({ store: options.store, blobs: this.blobs, clock: options.clock, defaultQuotaMb: options.defaultQuotaMb });
  }

  /**
   * Starts listening and the background jobs. The start-up runs (deleted entities' mailboxes,
   * orphans, retention) go on in the background, so a large store does not hold up listening;
   * they are safe beside deliveries, which is also how they run on their timers.
   */
  start(): void {
    this.unsubscribe = this.options.store.changes.subscribe((change) => {
      if (change.kind === 'directory') void this.background(`mailboxes:${change.orgId}`, () => this.removeDeletedMailboxes(change.orgId));
    });
    void this.background('mailboxes', () => this.removeDeletedMailboxes());
    void this.background('sweep', () => this.sweepOrphans());
    void this.background('retention', () => this.applyRetention());
    this.every(this.options.sweepEveryMs ?? 60 * 60 * 1000, 'sweep', () => this.sweepOrphans());
    this.every(this.options.retentionEveryMs ?? 24 * 60 * 60 * 1000, 'retention', () => this.applyRetention());
  }

  /** Removes the mailboxes of deleted entities (of one organization, or all) and frees their bodies. */
  removeDeletedMailboxes(orgId?: string): Promise<string[]> {
    return reconcileMailboxes(this.options.store.db, this.blobs, this.delivery.search, orgId);
  }

  /** Grace is measured against the wall clock: file times come from the file system, not the injected clock. */
  sweepOrphans(graceMs = this.options.orphanGraceMs ?? 60 * 60 * 1000): Promise<SweepResult> {
    return sweepOrphanBlobs(this.blobs, (ids) => referencedBlobs(this.options.store.db, ids), { graceMs, now: Date.now() });
  }

  applyRetention(): Promise<RetentionResult> {
    return applyRetention(this.options.store.db, this.blobs, this.delivery.search, this.options.clock.now());
  }

  /** Waits for background work in flight, then stops the timers. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const timer of this.timers) clearInterval(timer);
    await this.settled();
  }

  /** Resolves when every background job started so far has finished. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()]);
  }

  private every(ms: number, name: string, job: () => Promise<unknown>): void {
    const timer = setInterval(() => void this.background(name, job), ms);
    timer.unref();
    this.timers.push(timer);
  }

  // A job waits for a running one of the same name, so that two never overlap; each run reads
  // the directory afresh, so a later run covers whatever changed while it waited.
  private background(name: string, job: () => Promise<unknown>): Promise<unknown> {
    // After stop, the store is about to close: a run queued behind another must not start.
    if (this.stopped) return Promise.resolve();
    const existing = this.running.get(name);
    if (existing) return existing.then(() => this.background(name, job));
    const run = job()
      .catch((error: unknown) => this.options.onError?.(name, error))
      .finally(() => this.running.delete(name));
    this.running.set(name, run);
    return run;
  }
}
