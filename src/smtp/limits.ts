// The MX's limits, each with the reply that enforces it (replies.ts) and its line in
// docs/mail.md. They bound what one client can make the server hold or do.
import { MAX_DEPTH as MAX_MIME_DEPTH } from '../mail/store/mime.ts';

export interface SmtpLimits {
  /** Announced in EHLO (SIZE) and enforced: 552 5.3.4. WorkMail's own limit for a message is 25 MB. */
  maxMessageBytes: number;
  /** RFC 5321 section 4.5.3.1.8 asks for at least 100; WorkMail takes 500. 452 4.5.3 beyond. */
  maxRecipients: number;
  /** A command line with its CRLF (RFC 5321 section 4.5.3.1.4: 512). 500 5.5.2 beyond. */
  maxCommandLineBytes: number;
  /** The message's header block. 552 5.3.4 beyond. */
  maxHeaderBytes: number;
  /** Commands in one session, to end sessions that only keep a slot busy. 421 4.7.0 beyond. */
  maxCommandsPerSession: number;
  /** Simultaneous sessions from one IP address. 421 4.7.0 beyond. */
  maxSessionsPerIp: number;
  /** Simultaneous sessions in all. 421 beyond. */
  maxSessions: number;
  /** multipart nesting the server will read (its own checks, the mailbox store's parser). 554 5.6.0 beyond. */
  maxMimeDepth: number;
  /** Idle time before the server closes a session (RFC 5321 section 4.5.3.2.7 asks at least 5 minutes). */
  idleTimeoutMs: number;
}

export const DEFAULT_SMTP_LIMITS: SmtpLimits = {
  maxMessageBytes: 25 * 1024 * 1024,
  maxRecipients: 500,
  maxCommandLineBytes: 512,
  maxHeaderBytes: 256 * 1024,
  maxCommandsPerSession: 10_000,
  maxSessionsPerIp: 20,
  maxSessions: 1000,
  // The mailbox store parses this deep and no deeper, so what is accepted is also fully parsed.
  maxMimeDepth: MAX_MIME_DEPTH,
  idleTimeoutMs: 5 * 60 * 1000,
};
