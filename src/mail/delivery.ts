// What the mail doors (SMTP in, submission, later IMAP APPEND) ask of the mailbox store, and
// what they get back. The store implements it (src/mail/store/); the doors only see this.
//
// The promise of `deliver`: it resolves only once the body is fsynced in the blob store and
// the metadata transaction that files it in every target folder has committed. A door answers
// 250 (or APPEND OK) only after that; if `deliver` rejects, nothing of the message is filed.

/** WorkMail's folders, created with every mailbox. */
export const WELL_KNOWN_FOLDERS = ['Inbox', 'Sent Items', 'Drafts', 'Deleted Items', 'Junk E-mail', 'Outbox'] as const;
export type WellKnownFolder = (typeof WELL_KNOWN_FOLDERS)[number];

export interface IncomingMessage {
  /** The whole RFC 5322 message as it will be stored (CRLF line endings, any headers the door prepends included). */
  raw: Buffer;
  /** The IMAP internal date. */
  receivedAt: Date;
}

export interface DeliveryTarget {
  /** The WorkMail entity (user or resource) whose mailbox receives the message. */
  mailboxId: string;
  folder: WellKnownFolder;
  /** IMAP system flags to set at once, e.g. ['\\Seen'] for Sent Items. */
  flags?: string[];
}

export interface Delivered {
  mailboxId: string;
  folder: WellKnownFolder;
  uid: number;
  modseq: number;
}

export interface MailDelivery {
  /**
   * Files one message in every target, all or nothing. Rejects with a DomainError: kind 'limit'
   * (code 'QuotaExceeded') when a target mailbox would go over its quota, 'notFound' for a
   * mailbox that does not exist (deleted meanwhile), 'unavailable' when the store cannot write
   * (disk full: code 'StorageFull'; database down: code 'StoreUnavailable'), 'invalid' (code
   * 'InvalidTarget') for no targets or a folder that is not one of WELL_KNOWN_FOLDERS.
   * A mailbox is made at its entity's first delivery if the entity is a user or resource
   * registered to WorkMail (ENABLED); a DISABLED entity keeps the mailbox it has.
   */
  deliver(message: IncomingMessage, targets: readonly DeliveryTarget[]): Promise<Delivered[]>;
  /** Bytes the mailbox holds now (0 before its first delivery) and its quota in bytes, for RCPT-time quota checks. */
  usage(mailboxId: string): Promise<{ bytes: number; quotaBytes: number }>;
}
