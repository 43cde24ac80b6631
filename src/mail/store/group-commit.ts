// Group commit: deliveries that arrive while a transaction is committing wait and are then
// written together, in ONE transaction, so that many concurrent deliveries share one fsync of
// the database instead of paying one each (measured in bench/mail-store.ts). Each caller's
// promise settles only after the commit that includes its delivery.
//
// A delivery refused by a check (quota, a deleted mailbox) is refused alone: the checks come
// before its writes, so the others in the batch carry on. If the batch transaction itself fails
// (a database error), each delivery is retried in a transaction of its own, so that one bad
// delivery cannot fail the rest.
import { inTransaction, type Db, type Tx } from '../../store/database.ts';
import { DomainError } from '../../errors.ts';

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: DomainError };

/**
 * A batch writer from a writer of one job: each job in turn, a DomainError thrown by one (a
 * check's refusal, made before it writes anything) becoming its outcome.
 */
export function oneByOne<J, R>(write: (trx: Tx, job: J) => Promise<R>): (trx: Tx, jobs: J[]) => Promise<Array<Outcome<R>>> {
  return async (trx, jobs) => {
    const out: Array<Outcome<R>> = [];
    for (const job of jobs) {
      try {
        out.push({ ok: true, value: await write(trx, job) });
      } catch (error) {
        // Only a check's refusal leaves the transaction usable; anything else fails the batch.
        if (!(error instanceof DomainError)) throw error;
        out.push({ ok: false, error });
      }
    }
    return out;
  };
}

interface Pending<J, R> {
  job: J;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface BatchObserver {
  /** Called after each committed transaction with the number of deliveries it carried. */
  (size: number): void;
}

export class GroupCommit<J, R> {
  private pending: Array<Pending<J, R>> = [];
  private draining = false;
  private readonly observers = new Set<BatchObserver>();

  constructor(
    private readonly db: Db,
    /**
     * Writes a batch inside its transaction, one outcome per job in order: a refused job's outcome
     * carries its DomainError; anything thrown fails the batch. Must only talk to the database.
     */
    private readonly writeBatch: (trx: Tx, jobs: J[]) => Promise<Array<Outcome<R>>>,
    private readonly maxBatch = 256,
  ) {}

  submit(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ job, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // One turn of the event loop lets deliveries started at the same moment join.
        setImmediate(() => void this.drain());
      }
    });
  }

  observe(observer: BatchObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length) await this.commit(this.pending.splice(0, this.maxBatch));
    } finally {
      this.draining = false;
    }
  }

  private async commit(batch: Array<Pending<J, R>>): Promise<void> {
    let outcomes: Array<Outcome<R>>;
    try {
      outcomes = await inTransaction(this.db, (trx) => this.writeBatch(trx, batch.map((entry) => entry.job)));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const entry of batch) await this.commit([entry]);
      return;
    }
    for (const observer of this.observers) observer(batch.length);
    batch.forEach((entry, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }
}
