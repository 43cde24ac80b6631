// Records when each access key was last used (GetAccessKeyLastUsed). Every authenticated
// request notes its key here; the notes are written in one batch a second rather than as a
// synchronous write per request, which would put an fsync on every API call. A crash can lose
// at most the last second of "last used" times, never an acknowledged change.
import { inTransaction, type Db } from '../store/database.ts';

interface Use {
  at: Date;
  service: string;
  region: string;
}

const FLUSH_MS = 1000;

export class KeyUsageRecorder {
  private pending = new Map<string, Use>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db) {}

  note(accessKeyId: string, at: Date, service: string, region: string): void {
    this.pending.set(accessKeyId, { at, service, region });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes pending notes; callers that read last-used times flush first so they see their own request. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.flushing.then(async () => {
      if (!batch.size) return;
      // Last-used notes are no state the account cache holds, and a burst of requests must not
      // queue behind IAM writers for the account lock: a plain transaction, with no change published.
      await inTransaction(this.db, async (trx) => {
        for (const [id, use] of batch) {
          await trx
            .updateTable('access_keys')
            .set({ last_used_at: use.at.toISOString(), last_used_service: use.service, last_used_region: use.region })
            .where('id', '=', id)
            .execute();
        }
      });
    });
    return this.flushing;
  }

  close(): Promise<void> {
    return this.flush();
  }
}
