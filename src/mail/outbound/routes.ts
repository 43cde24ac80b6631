// Where mail for a domain goes (RFC 5321 section 5.1): its MX hosts by preference, or, when it
// has no MX record at all, the domain itself (its A record, the "implicit MX"). A null MX
// (RFC 7505: one record with exchange ".") and a domain that does not exist are final answers;
// a DNS failure is temporary and the recipient is tried again later.
import { isIP } from 'node:net';
import type { DNSResolver } from 'mailauth';

export interface Route {
  /** The host name, as the DSN's Remote-MTA names it. */
  host: string;
  addresses: string[];
}

export type RouteAnswer = { kind: 'routes'; routes: Route[] } | { kind: 'failed'; permanent: boolean; status: string; error: string };

const isNoSuchRecord = (error: unknown) => ['ENOTFOUND', 'ENODATA', 'NXDOMAIN'].includes((error as { code?: string })?.code ?? '');
const isNoSuchName = (error: unknown) => ['ENOTFOUND', 'NXDOMAIN'].includes((error as { code?: string })?.code ?? '');

export async function routesFor(resolver: DNSResolver, domain: string): Promise<RouteAnswer> {
  let exchanges: string[];
  let implicit = false;
  try {
    const records = (await resolver(domain, 'MX')) as unknown as { exchange: string; priority: number }[];
    if (records.length === 1 && (records[0]!.exchange === '' || records[0]!.exchange === '.')) {
      return { kind: 'failed', permanent: true, status: '5.1.10', error: `${domain} accepts no mail (null MX, RFC 7505)` };
    }
    // Equal preferences are tried in random order (RFC 5321 5.1), so that load spreads.
    exchanges = records
      .map((record) => ({ ...record, tiebreak: Math.random() }))
      .sort((a, b) => a.priority - b.priority || a.tiebreak - b.tiebreak)
      .map((record) => record.exchange.replace(/\.$/, ''))
      .filter((exchange) => exchange.length > 0);
  } catch (error) {
    if (isNoSuchName(error)) return { kind: 'failed', permanent: true, status: '5.1.2', error: `${domain} does not exist (DNS: no such domain)` };
    if (!isNoSuchRecord(error)) return { kind: 'failed', permanent: false, status: '4.4.3', error: `MX lookup of ${domain} failed: ${(error as Error).message}` };
    exchanges = [domain];
    implicit = true;
  }
  const routes: Route[] = [];
  let temporary: string | undefined;
  for (const host of exchanges) {
    if (isIP(host)) {
      routes.push({ host, addresses: [host] });
      continue;
    }
    const addresses: string[] = [];
    for (const rrtype of ['A', 'AAAA']) {
      try {
        addresses.push(...((await resolver(host, rrtype)) as string[]));
      } catch (error) {
        if (!isNoSuchRecord(error)) temporary ??= `address lookup of ${host} failed: ${(error as Error).message}`;
      }
    }
    if (addresses.length) routes.push({ host, addresses });
  }
  if (routes.length) return { kind: 'routes', routes };
  if (temporary) return { kind: 'failed', permanent: false, status: '4.4.3', error: temporary };
  // A domain with neither MX nor address takes no mail; MX hosts without addresses may be a
  // passing mistake of their owner, so those are tried again until the message expires.
  if (implicit) return { kind: 'failed', permanent: true, status: '5.1.2', error: `${domain} has no MX and no address record` };
  return { kind: 'failed', permanent: false, status: '4.4.4', error: `no address for the mail hosts of ${domain} (${exchanges.join(', ')})` };
}
