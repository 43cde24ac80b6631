// Read-through cache of IAM state, scoped by account. Every committed change to an account's
// IAM state bumps that account's generation, and an entry is only served while its generation
// is current, so readers never see a change undone. The generation is taken *before* loading: a
// load that races a change is stored under the old generation and is never served.
//
// The changes arrive on the store's change bus (wired in server/app.ts): every IAM write runs in
// a write transaction that announces its account once it commits, so this process's own
// changes are heard before the request that made them is answered. On PostgreSQL the bus also
// carries other processes' changes (LISTEN/NOTIFY), heard a moment after they commit; when that
// connection drops, everything is forgotten (`invalidateAll`), since a change may have been missed.

interface Entry {
  generation: number;
  value: Promise<unknown>;
}

const MAX_ENTRIES = 50_000;

export class AccountCache {
  private readonly generations = new Map<string, number>();
  private readonly entries = new Map<string, Entry>();

  generation(accountId: string): number {
    return this.generations.get(accountId) ?? 0;
  }

  invalidate(accountId: string): void {
    this.generations.set(accountId, this.generation(accountId) + 1);
  }

  /** Makes every entry stale: generations only grow, so none of the old entries is served again. */
  invalidateAll(): void {
    for (const accountId of this.generations.keys()) this.invalidate(accountId);
    this.entries.clear();
  }

  /** The cached value of `key` in `accountId`, loading it when absent or stale. Failures are not kept. */
  read<T>(accountId: string, key: string, load: () => Promise<T>): Promise<T> {
    const id = `${accountId}\u0000${key}`;
    const generation = this.generation(accountId);
    const hit = this.entries.get(id);
    if (hit && hit.generation === generation) return hit.value as Promise<T>;
    const value = load();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(id, { generation, value });
    value.catch(() => {
      if (this.entries.get(id)?.value === value) this.entries.delete(id);
    });
    return value;
  }
}
