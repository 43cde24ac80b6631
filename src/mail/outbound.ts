// What submission asks of the outbound queue, and what it gets back. The queue implements it
// (src/mail/outbound/); the submission door only sees this, as the MX only sees delivery.ts.
//
// The promise of `enqueue`: it resolves only once the message body is fsynced and the queue
// rows (one per recipient) are committed, so that a crash afterwards loses nothing. Submission
// answers 250 only after that.

export interface OutboundMessage {
  /** The whole RFC 5322 message as submitted (CRLF line endings, trace headers prepended). */
  raw: Buffer;
  /** The envelope sender (MAIL FROM); DSNs go back to it. */
  sender: string;
  /** Remote recipients only: local ones are delivered by the door directly. At least one. */
  recipients: string[];
  /** The sender's organization: its verified DKIM key signs the message. */
  orgId: string;
  /** The sending user's mailbox, where a bounce (DSN) is filed; undefined for none. */
  senderMailboxId: string | undefined;
  /** When the message was accepted: the maximum age counts from here. */
  receivedAt: Date;
}

export interface OutboundQueue {
  /** Queues one message for its recipients, durably; resolves with the queue id it got. */
  enqueue(message: OutboundMessage): Promise<{ queueId: string }>;
}
