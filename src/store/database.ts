// Opens the store: SQLite in the data folder by default (WAL, synchronous=FULL so a committed
// transaction survives a crash), or PostgreSQL when a postgres:// URL is given. Both run the
// same numbered migrations and the same Kysely queries.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { LocalChangeBus, type ChangeBus } from './changes.ts';
import { PostgresChangeBus } from './postgres-changes.ts';
import { registerStore, type Db } from './tx.ts';

export type { Db, Reader, Tx } from './tx.ts';
export { allocate, inTransaction, isForeignKeyViolation, isUniqueViolation, writeTransaction } from './tx.ts';

export interface Store {
  db: Db;
  engine: 'sqlite' | 'postgres';
  /** Committed changes of this store (and, on PostgreSQL, of other processes once `listen` ran). */
  changes: ChangeBus;
  /** Starts hearing other processes' changes (PostgreSQL); a no-op on SQLite. */
  listen(): Promise<void>;
  close(): Promise<void>;
}

export function openStore(options: { dataDir: string; databaseUrl?: string }): Store {
  if (options.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw new Error('GODWIT_DATABASE_URL must be a postgres:// or postgresql:// URL');
    }
    // Postgres returns COUNT(*) and BIGINT as strings; our counts fit in a JS number.
    pg.types.setTypeParser(20, (value) => Number(value));
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle connection that the server closes (a restart, an administrator) is dropped by the
    // pool and replaced on the next query; without a listener its error would end the process.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const changes = new PostgresChangeBus(options.databaseUrl);
    registerStore(db, 'postgres', changes);
    return {
      db,
      engine: 'postgres',
      changes,
      listen: () => changes.listen(),
      close: async () => {
        await changes.close();
        await db.destroy();
      },
    };
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = join(options.dataDir, 'godwit.sqlite3');
  // Created owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
  closeSync(openSync(file, 'a', 0o600));
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const changes = new LocalChangeBus();
  registerStore(db, 'sqlite', changes);
  return {
    db,
    engine: 'sqlite',
    changes,
    listen: async () => undefined,
    close: async () => {
      await changes.close();
      await db.destroy();
    },
  };
}

const MAX_CACHED_STATEMENTS = 1000;

/**
 * Kysely prepares every query anew; preparing costs more than running a small query on SQLite.
 * Statements are reused by their SQL text. Kysely runs one query at a time on its single SQLite
 * connection, so a cached statement is never in use twice at once.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDatabase.Database {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver);
      return (sql: string) => {
        let statement = statements.get(sql);
        if (!statement) {
          if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
          statement = target.prepare(sql);
          statements.set(sql, statement);
        }
        return statement;
      };
    },
  });
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
