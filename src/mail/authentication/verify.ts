// SPF, DKIM, DMARC and ARC for one received message, through mailauth. The result is the header
// block to prepend (Received-SPF and Authentication-Results) and the DMARC outcome that the
// recipient organization's inbound DMARC setting may act on (dmarc-policy.ts).
import { authenticate, type DNSResolver } from 'mailauth';

export interface ClientFacts {
  /** The connecting client's IP address. */
  ip: string;
  /** Its EHLO/HELO name. */
  helo: string;
  /** The envelope sender (MAIL FROM); '' for the null sender. */
  sender: string;
  /** This server's host name: the authserv-id of Authentication-Results. */
  mta: string;
}

export interface DmarcOutcome {
  result: string;
  /** The policy that applies to the From domain (sp= for a subdomain). */
  policy: string;
  domain: string;
  /** 0-100; the share of failing mail the policy asks to act on. */
  pct: number;
}

export interface Authentication {
  /** Header fields to prepend, each CRLF-terminated. */
  headers: string;
  dmarc: DmarcOutcome | undefined;
}

export async function authenticateMessage(raw: Buffer, client: ClientFacts, resolver: DNSResolver): Promise<Authentication> {
  try {
    const result = await authenticate(raw, {
      ip: client.ip,
      helo: client.helo,
      sender: client.sender,
      mta: client.mta,
      resolver,
      // BIMI is for showing logos, which no door of Godwit does.
      disableBimi: true,
    });
    const dmarc = result.dmarc
      ? { result: result.dmarc.status?.result ?? 'none', policy: result.dmarc.policy ?? 'none', domain: result.dmarc.domain, pct: result.dmarc.pct ?? 100 }
      : undefined;
    return { headers: result.headers, dmarc };
  } catch (error) {
    // A message is never refused because the checks themselves broke; it says so (RFC 8601: temperror).
    const reason = (error as Error).message.replace(/[\r\n;()]/g, ' ').slice(0, 120);
    return { headers: `Authentication-Results: ${client.mta}; spf=temperror; dkim=temperror; dmarc=temperror (checks failed: ${reason})\r\n`, dmarc: undefined };
  }
}
