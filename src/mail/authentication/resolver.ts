// The DNS resolver SPF, DKIM, DMARC and ARC checks ask: the server given by --dns-server /
// GODWIT_DNS_SERVER (the one mail domain verification asks too), else the system's resolvers.
// Each question is bounded in time, since a sending server waits for our reply to DATA.
import { Resolver, lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DNSResolver } from 'mailauth';

export const MAIL_LOOKUP_TIMEOUT_MS = 3000;

/** The address c-ares takes for host:port (it takes addresses only; a host name is looked up once). */
async function serverAddress(dnsServer: string): Promise<string> {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(dnsServer);
  if (!match) throw new Error(`--dns-server / GODWIT_DNS_SERVER must be host:port, got '${dnsServer}'`);
  const [, host, port] = match as unknown as [string, string, string];
  const address = isIP(host) ? host : (await lookup(host)).address;
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

export async function mailDnsResolver(dnsServer: string | undefined, timeoutMs = MAIL_LOOKUP_TIMEOUT_MS): Promise<DNSResolver> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (dnsServer !== undefined) resolver.setServers([await serverAddress(dnsServer)]);
  return async (name, rrtype) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // mailauth reads a rejection's code as node:dns gives it: ENOTFOUND/ENODATA are answers
    // (no such record), anything else a temporary error.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`DNS ${rrtype} ${name}: timeout`), { code: 'ETIMEOUT' })), timeoutMs);
    });
    try {
      return (await Promise.race([resolver.resolve(name, rrtype), deadline])) as string[][] | string[];
    } finally {
      clearTimeout(timer);
    }
  };
}
