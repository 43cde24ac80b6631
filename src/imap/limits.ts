// The IMAP door's limits, each with the answer that enforces it and why it has the value it has.
// They bound what one client can make the server hold or do; the wire reader (proto/) enforces
// the syntax bounds, the session and the listener the rest.

export interface ImapLimits {
  /**
   * Octets of one command, literals excluded (RFC 7162 section 4 asks clients to keep lines under
   * 8192 and servers to accept at least that; 64 KiB leaves room for long UID sets). BAD beyond;
   * the rest of the line is read and dropped, never held, and the session goes on.
   */
  maxCommandBytes: number;
  /** A literal of a command that declares no larger limit (LOGIN, AUTHENTICATE, SELECT…). BAD [TOOBIG] beyond. */
  maxSmallLiteralBytes: number;
  /** A literal of APPEND: WorkMail's message size limit, as SMTP's. NO [TOOBIG] beyond. */
  maxMessageBytes: number;
  /** Parenthesis levels in one command (SEARCH nests the deepest in practice: a few levels). BAD beyond. */
  maxNestingDepth: number;
  /** Arguments in one command, every list item counted. BAD beyond. */
  maxArguments: number;
  /** Ranges in one sequence set (each comma-separated piece). BAD beyond. */
  maxSequenceRanges: number;
  /** Simultaneous sessions from one IP address: `* BYE` at connect beyond. Mobile clients open several. */
  maxSessionsPerIp: number;
  /** Simultaneous sessions in all. `* BYE` at connect beyond. */
  maxSessions: number;
  /** Idle time before `* BYE` and close: RFC 3501 section 5.4 asks at least 30 minutes. */
  idleTimeoutMs: number;
  /** Idle time before login: a client that never signs in holds a slot only briefly. */
  unauthenticatedIdleTimeoutMs: number;
  /** Failed logins in one session before `* BYE`, on top of the per-IP throttle of MailLogin. */
  maxFailedLogins: number;
  /** Consecutive BAD answers before `* BYE`: a client speaking something else is not an IMAP client. */
  maxConsecutiveBad: number;
  /** One line of an AUTHENTICATE exchange (a base64 SASL response). BAD beyond. */
  maxSaslResponseBytes: number;
}

export const DEFAULT_IMAP_LIMITS: ImapLimits = {
  maxCommandBytes: 64 * 1024,
  maxSmallLiteralBytes: 8 * 1024,
  maxMessageBytes: 25 * 1024 * 1024,
  maxNestingDepth: 16,
  maxArguments: 4096,
  maxSequenceRanges: 4096,
  maxSessionsPerIp: 50,
  maxSessions: 10_000,
  idleTimeoutMs: 30 * 60 * 1000,
  unauthenticatedIdleTimeoutMs: 60 * 1000,
  maxFailedLogins: 3,
  maxConsecutiveBad: 20,
  maxSaslResponseBytes: 8 * 1024,
};
