// The change bus: what a committed transaction changed, announced to whoever keeps state
// derived from the store (the IAM account cache, the mailbox store; IMAP IDLE and QRESYNC later).
//
// A change is published by the transaction that makes it (store/tx.ts) and delivered only
// after that transaction commits, so a subscriber never hears of a change that was rolled back.
// The in-process bus here serves one Godwit process (SQLite's case); PostgresChangeBus
// (postgres-changes.ts) also carries changes between processes sharing one database.
import type { Tx } from './tx.ts';

/** What changed. Each kind names the row that a writer of that kind locks (store/tx.ts). */
export type Change =
  /** Anything in an account's IAM: users, groups, keys, policies, passwords, aliases. */
  | { kind: 'iam'; accountId: string }
  /** Anything in a WorkMail organization: its directory, domains, rules and settings. */
  | { kind: 'directory'; orgId: string }
  /** Anything in one mailbox (a WorkMail entity's): its folders and messages, now at `modseq`. */
  | { kind: 'mailbox'; mailboxId: string; modseq: number };

export const iamChange = (accountId: string): Change => ({ kind: 'iam', accountId });
export const directoryChange = (orgId: string): Change => ({ kind: 'directory', orgId });
export const mailboxChange = (mailboxId: string, modseq = 0): Change => ({ kind: 'mailbox', mailboxId, modseq });

/** A stable identity for a change, to fold repeats within one transaction. */
export function changeKey(change: Change): string {
  switch (change.kind) {
    case 'iam':
      return `iam:${change.accountId}`;
    case 'directory':
      return `directory:${change.orgId}`;
    case 'mailbox':
      return `mailbox:${change.mailboxId}`;
  }
}

export type ChangeListener = (change: Change) => void;

export interface ChangeBus {
  /**
   * Called inside the transaction, just before it commits, with what it changed. A bus that
   * crosses processes sends here (PostgreSQL NOTIFY is delivered only if the transaction commits).
   */
  stage(trx: Tx, changes: readonly Change[]): Promise<void>;
  /** Called after the commit: tells this process's subscribers. */
  deliver(changes: readonly Change[]): void;
  subscribe(listener: ChangeListener): () => void;
  /** `listener` runs when changes may have been missed (a lost connection): derived state must be dropped. */
  onGap(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Delivers to this process's subscribers only; a listener that throws cannot stop the others. */
export class LocalChangeBus implements ChangeBus {
  private readonly listeners = new Set<ChangeListener>();

  async stage(): Promise<void> {}

  deliver(changes: readonly Change[]): void {
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          // The change is committed whatever a listener does; its caller must not see a failure.
          process.emitWarning(`a change listener failed on ${changeKey(change)}: ${String(error)}`);
        }
      }
    }
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Nothing is ever missed within one process. */
  onGap(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
