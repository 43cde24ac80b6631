// The change bus across Godwit processes that share one PostgreSQL database. A transaction
// sends its changes with pg_notify inside itself, so PostgreSQL delivers them to every
// listening session when, and only if, it commits. Each process LISTENs on one dedicated
// connection and tells its own subscribers; its own changes it has already delivered at commit
// (without the round trip), so it skips notifications that carry its own origin.
//
// If the listening connection drops, notifications sent meanwhile are lost: the bus then tells
// subscribers to forget everything (`onGap`) before it resumes, since caches can no longer
// trust what they hold.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { LocalChangeBus, type Change, type ChangeBus, type ChangeListener } from './changes.ts';
import type { Tx } from './tx.ts';

export const CHANGE_CHANNEL = 'godwit_changes';
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; batches are split below that. */
const MAX_PAYLOAD = 7000;
const RECONNECT_MS = 500;

interface Payload {
  origin: string;
  changes: Change[];
}

export class PostgresChangeBus implements ChangeBus {
  private readonly origin = randomUUID();
  private readonly local = new LocalChangeBus();
  private readonly gapListeners = new Set<() => void>();
  private client: pg.Client | undefined;
  private closed = false;

  constructor(private readonly connectionString: string) {}

  /** Connects the listening session; resolves once LISTEN is in force. */
  async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (message) => this.receive(message.payload));
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    await client.connect();
    await client.query(`listen ${CHANGE_CHANNEL}`);
    this.client = client;
  }

  private reconnect(failed: pg.Client): void {
    if (this.closed || this.client !== failed) return;
    this.client = undefined;
    const retry = () => {
      if (this.closed) return;
      this.listen().then(
        () => this.gapListeners.forEach((listener) => listener()),
        () => setTimeout(retry, RECONNECT_MS).unref(),
      );
    };
    setTimeout(retry, RECONNECT_MS).unref();
  }

  private receive(text: string | undefined): void {
    if (!text) return;
    let payload: Payload;
    try {
      payload = JSON.parse(text) as Payload;
    } catch {
      return;
    }
    if (payload.origin === this.origin || !Array.isArray(payload.changes)) return;
    this.local.deliver(payload.changes);
  }

  async stage(trx: Tx, changes: readonly Change[]): Promise<void> {
    let batch: Change[] = [];
    const send = async () => {
      if (!batch.length) return;
      const payload = JSON.stringify({ origin: this.origin, changes: batch } satisfies Payload);
      await sql`select pg_notify(${CHANGE_CHANNEL}, ${payload})`.execute(trx);
      batch = [];
    };
    let size = 0;
    for (const change of changes) {
      const length = JSON.stringify(change).length + 1;
      if (size + length > MAX_PAYLOAD) {
        await send();
        size = 0;
      }
      batch.push(change);
      size += length;
    }
    await send();
  }

  deliver(changes: readonly Change[]): void {
    this.local.deliver(changes);
  }

  subscribe(listener: ChangeListener): () => void {
    return this.local.subscribe(listener);
  }

  /** `listener` runs when notifications may have been missed (the listening connection dropped). */
  onGap(listener: () => void): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await this.local.close();
    await client?.end().catch(() => undefined);
  }
}
