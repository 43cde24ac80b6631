// The trace a receiving MTA adds (RFC 5321 section 4.4: Received) and the clean-up RFC 8601
// section 5 asks of it: Authentication-Results fields that claim to come from this server but
// arrived with the message are forgeries, and are removed before ours is prepended.

export interface ReceivedFacts {
  helo: string;
  ip: string;
  /** This server's host name. */
  by: string;
  /** ESMTP, ESMTPS… (RFC 3848). */
  protocol: string;
  id: string;
  /** Given only for a single recipient: naming several would disclose Bcc recipients to each other. */
  recipient: string | undefined;
  at: Date;
}

/** Keeps what a client told us printable and on one line: it goes into a header. */
const clean = (value: string) => value.replace(/[^\x21-\x7e]/g, '?').slice(0, 255);

/** RFC 5322 date-time in UTC. */
export const rfc5322Date = (at: Date) => at.toUTCString().replace(/GMT$/, '+0000');

export function receivedHeader(facts: ReceivedFacts): string {
  const literal = facts.ip.includes(':') ? `IPv6:${facts.ip}` : facts.ip;
  const forPart = facts.recipient ? `\r\n\tfor <${clean(facts.recipient)}>` : '';
  return `Received: from ${clean(facts.helo)} ([${clean(literal)}])\r\n\tby ${facts.by} (Godwit) with ${facts.protocol} id ${clean(facts.id)}${forPart};\r\n\t${rfc5322Date(facts.at)}\r\n`;
}

/** What both doors know of a session when its message arrives. */
export interface SessionTrace {
  sessionId: string;
  ip: string;
  helo: string;
  protocol: string;
  recipients: readonly string[];
}

/** The Received field for a message of `session`, received by `by` at `at`. */
export function receivedFor(session: SessionTrace, by: string, at: Date): string {
  return receivedHeader({
    helo: session.helo,
    ip: session.ip,
    by,
    protocol: session.protocol,
    id: session.sessionId,
    recipient: session.recipients.length === 1 ? session.recipients[0] : undefined,
    at,
  });
}

/** The message without header fields `Authentication-Results: <authservId>; …` (case-insensitive id). */
export function withoutForgedAuthenticationResults(raw: Buffer, authservId: string): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  const headerEnd = end === -1 ? raw.length : end + 2;
  const header = raw.subarray(0, headerEnd).toString('latin1');
  const fields = header.split(/\r\n(?![ \t])/);
  const wanted = authservId.toLowerCase();
  const kept = fields.filter((field) => {
    const match = /^authentication-results\s*:\s*([^;\s]+)/i.exec(field);
    return !match || match[1].toLowerCase() !== wanted;
  });
  if (kept.length === fields.length) return raw;
  return Buffer.concat([Buffer.from(kept.join('\r\n'), 'latin1'), raw.subarray(headerEnd)]);
}
