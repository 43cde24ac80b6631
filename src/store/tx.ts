// The one transaction idiom. Every write that must stay correct with many sessions at once
// goes through `writeTransaction(db, change, fn)`:
//
// - It locks the row that owns what is changed (the account for IAM, the organization for a
//   WorkMail directory, the mailbox for mail) with SELECT … FOR NO KEY UPDATE on PostgreSQL, so writers
//   of one owner take turns and every check made inside the transaction (a count against a
//   limit, a cycle in group nesting, "no access keys left") still holds at commit. PostgreSQL
//   runs READ COMMITTED, where each statement after the lock sees every commit made before it.
//   On SQLite the lock is a no-op: the process has one connection and Kysely runs one
//   transaction on it at a time, so transactions are already serial.
// - It publishes `change` on the store's change bus, delivered only after the commit.
// - A deadlock or serialization failure (PostgreSQL 40P01 / 40001) retries the whole
//   transaction a bounded number of times, which is safe because `fn` only talks to the database.
//
// Because the SQLite connection is shared by the whole process, `fn` must not await anything
// but the database: slow work (scrypt, RSA, file I/O, DNS) happens before the transaction.
// A transaction started inside another joins it (Kysely cannot nest), so domain steps compose
// into one commit. Nothing outside src/store calls db.transaction() (test/unit/layering.test.ts).
import { sql, type Kysely, type Transaction } from 'kysely';
import { changeKey, type Change, type ChangeBus } from './changes.ts';
import type { Database } from './schema.ts';

/** Any executor: the database, or a transaction running on it. */
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** An executor used for reading only. */
export type Reader = Pick<Db, 'selectFrom'>;

interface TransactionState {
  changes: Map<string, Change>;
  locked: Set<string>;
}

const buses = new WeakMap<Db, ChangeBus>();
const engines = new WeakMap<Db, 'sqlite' | 'postgres'>();
const states = new WeakMap<Db, TransactionState>();

/** Called once by openStore: the store's engine and the bus its transactions publish on. */
export function registerStore(db: Db, engine: 'sqlite' | 'postgres', bus: ChangeBus): void {
  buses.set(db, bus);
  engines.set(db, engine);
}

const MAX_ATTEMPTS = 5;
const RETRYABLE = new Set(['40001', '40P01']);

/** Runs `fn` in a transaction (the caller's, when `db` already is one) without locking an owner. */
export function inTransaction<T>(db: Db, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return run(db, undefined, fn);
}

/** Runs `fn` in a transaction that holds the lock of `change`'s owner and publishes `change` on commit. */
export function writeTransaction<T>(db: Db, change: Change, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return run(db, change, fn);
}

async function run<T>(db: Db, change: Change | undefined, fn: (trx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) {
    const state = states.get(db);
    if (!state) throw new Error('a transaction not started by store/tx.ts cannot be joined');
    if (change) await join(db as Tx, state, change);
    return fn(db as Tx);
  }
  const bus = buses.get(db);
  for (let attempt = 1; ; attempt++) {
    let committed: Change[] = [];
    try {
      const result = await db.transaction().execute(async (trx) => {
        const state: TransactionState = { changes: new Map(), locked: new Set() };
        states.set(trx, state);
        engines.set(trx, engines.get(db)!);
        if (change) await join(trx, state, change);
        const value = await fn(trx);
        committed = [...state.changes.values()];
        if (committed.length) await bus?.stage(trx, committed);
        return value;
      });
      if (committed.length) bus?.deliver(committed);
      return result;
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has((error as { code?: string })?.code ?? '')) throw error;
    }
  }
}

async function join(trx: Tx, state: TransactionState, change: Change): Promise<void> {
  const key = changeKey(change);
  if (!state.locked.has(key)) {
    state.locked.add(key);
    if (engines.get(trx) === 'postgres') await lockOwner(trx, change);
  }
  state.changes.set(key, change);
}

// FOR NO KEY UPDATE rather than FOR UPDATE: writers of the owner still take turns, but inserting
// a row that references the owner (its foreign-key check takes FOR KEY SHARE) does not wait, so
// an organization's writes never queue behind its account's IAM writes.
function lockOwner(trx: Tx, change: Change): Promise<unknown> {
  switch (change.kind) {
    case 'iam':
      return trx.selectFrom('accounts').select('id').where('id', '=', change.accountId).forNoKeyUpdate().execute();
    case 'directory':
      return trx.selectFrom('wm_organizations').select('id').where('id', '=', change.orgId).forNoKeyUpdate().execute();
    case 'mailbox':
      return trx.selectFrom('mail_mailboxes').select('id').where('id', '=', change.mailboxId).forNoKeyUpdate().execute();
  }
}

/** Columns that hold a counter's next value, by table: the only ones `allocate` may touch. */
interface CounterColumns {
  policies: 'next_version';
  mail_mailboxes: 'next_modseq';
  mail_folders: 'uid_next';
}

/**
 * Allocates `count` consecutive values of a counter held in a row (the counter column holds the
 * next value to hand out) and returns the first. One `UPDATE … RETURNING` both reads and bumps
 * it, so on PostgreSQL the row stays locked until the caller's transaction ends: concurrent
 * allocators take turns and get distinct values with no gaps, as UIDs and MODSEQs will need.
 * Returns undefined when the row does not exist.
 */
export async function allocate<T extends keyof CounterColumns>(
  db: Db,
  table: T,
  id: string,
  column: CounterColumns[T],
  count = 1,
): Promise<number | undefined> {
  const result = await sql<{ next: number | string }>`update ${sql.table(table)} set ${sql.ref(column)} = ${sql.ref(column)} + ${count} where id = ${id} returning ${sql.ref(column)} as next`.execute(db);
  const row = result.rows[0];
  return row === undefined ? undefined : Number(row.next) - count;
}

/** True when `error` is a unique-constraint violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when `error` is a foreign-key violation on either engine. */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
