// Verifies a mail domain against real DNS at the moment it is asked (GetMailDomain,
// UpdateDefaultMailDomain), through the configured resolver, and keeps the latest states in the
// store so that address registration (emails.ts) follows them.
//
// For each of the ownership TXT (`_godwit.<domain>`) and the DKIM TXT
// (`<selector>._domainkey.<domain>`):
// - VERIFIED: a TXT record there carries our value (the token; our public key in `p=`);
// - FAILED:   TXT records exist there but none carries our value (a typo, a stale key): the
//             owner must act, waiting will not help;
// - PENDING:  the name has no TXT record (NXDOMAIN, or no data) — not published yet, or not yet
//             propagated.
// When the lookup itself fails (timeout, SERVFAIL, refused), DNS has said nothing: the stored
// state stays as it was, so a resolver outage never un-verifies a domain and a new domain stays
// PENDING. Every lookup is bounded (LOOKUP_TIMEOUT_MS) so a dead resolver cannot hang the API.
import { isIP } from 'node:net';
import { Resolver, lookup as lookupHost } from 'node:dns/promises';
import type { Db } from '../store/database.ts';
import { writeDirectory } from './directory-write.ts';
import type { WmMailDomainsTable } from '../store/schema.ts';
import { dkimRecordName, ownershipRecordName } from './dns-records.ts';

export type VerificationState = 'PENDING' | 'VERIFIED' | 'FAILED';

export const LOOKUP_TIMEOUT_MS = 2000;

/** What DNS said about the TXT records of a name: its strings (each record's chunks joined), none, or nothing usable. */
export type TxtAnswer = { kind: 'records'; values: string[] } | { kind: 'absent' } | { kind: 'unknown'; reason: string };

export interface TxtLookup {
  txt(name: string): Promise<TxtAnswer>;
  close(): void;
}

// NXDOMAIN and NODATA are answers; everything else (ETIMEOUT, ESERVFAIL, ECONNREFUSED,
// ECANCELLED…) means the question was not answered.
const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * A TXT lookup through `dnsServer` (host:port; a host name is resolved once with the system
 * resolver, since c-ares takes addresses only), or through the system's resolvers when undefined.
 */
export async function dnsTxtLookup(dnsServer: string | undefined, timeoutMs = LOOKUP_TIMEOUT_MS): Promise<TxtLookup> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (dnsServer !== undefined) {
    const server = await serverAddress(dnsServer, timeoutMs);
    if (server === undefined) return unanswered(`the DNS server ${dnsServer} cannot be resolved`);
    resolver.setServers([server]);
  }
  return {
    async txt(name) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // c-ares' own timeout grows between retries; this bound is the one callers rely on.
      const deadline = new Promise<TxtAnswer>((resolve) => {
        timer = setTimeout(() => resolve({ kind: 'unknown', reason: 'timeout' }), timeoutMs);
      });
      const query = resolver.resolveTxt(name).then(
        (records): TxtAnswer => ({ kind: 'records', values: records.map((chunks) => chunks.join('')) }),
        (error: NodeJS.ErrnoException): TxtAnswer =>
          ABSENT.has(error.code ?? '') ? { kind: 'absent' } : { kind: 'unknown', reason: error.code ?? String(error) },
      );
      try {
        return await Promise.race([query, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => resolver.cancel(),
  };
}

async function serverAddress(dnsServer: string, timeoutMs: number): Promise<string | undefined> {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(dnsServer);
  if (!match) return undefined;
  const [, host, port] = match as unknown as [string, string, string];
  const literal = (address: string) => (isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`);
  if (isIP(host)) return literal(host);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    const resolved = await Promise.race([lookupHost(host).catch(() => undefined), timeout]);
    return resolved ? literal(resolved.address) : undefined;
  } finally {
    clearTimeout(timer);
  }
}

const unanswered = (reason: string): TxtLookup => ({ txt: async () => ({ kind: 'unknown', reason }), close: () => {} });

function stateOf(answer: TxtAnswer, matches: (value: string) => boolean, previous: VerificationState): VerificationState {
  if (answer.kind === 'unknown') return previous;
  if (answer.kind === 'absent') return 'PENDING';
  return answer.values.some(matches) ? 'VERIFIED' : 'FAILED';
}

/** The `p=` tag of a DKIM key record, whitespace removed (RFC 6376 allows folding inside it). */
export function dkimPublicKeyOf(record: string): string | undefined {
  for (const tag of record.split(';')) {
    const [name, ...rest] = tag.split('=');
    if (name?.trim() === 'p') return rest.join('=').replace(/\s+/g, '');
  }
  return undefined;
}

export interface VerificationStates {
  ownership: VerificationState;
  dkim: VerificationState;
}

/**
 * Asks DNS about a (non-test) domain, then stores what it says, since registration follows the
 * stored states; the lookups end before the write begins. The returned states are the stored ones.
 */
export async function refreshVerification(db: Db, txt: TxtLookup, row: WmMailDomainsTable): Promise<VerificationStates> {
  const ownershipAnswer = txt.txt(ownershipRecordName(row.domain));
  const dkimAnswer: Promise<TxtAnswer> =
    row.dkim_selector && row.dkim_public_key ? txt.txt(dkimRecordName(row.domain, row.dkim_selector)) : Promise.resolve({ kind: 'absent' });
  const [ownership, dkim] = await Promise.all([ownershipAnswer, dkimAnswer]);
  const states: VerificationStates = {
    ownership: stateOf(ownership, (value) => value.trim() === row.ownership_token, row.ownership_state as VerificationState),
    dkim: stateOf(dkim, (value) => dkimPublicKeyOf(value) === row.dkim_public_key, row.dkim_state as VerificationState),
  };
  if (states.ownership !== row.ownership_state || states.dkim !== row.dkim_state) {
    await writeDirectory(db, row.org_id, (trx) =>
      trx
        .updateTable('wm_mail_domains')
        .set({ ownership_state: states.ownership, dkim_state: states.dkim })
        .where('domain_lower', '=', row.domain_lower)
        .where('org_id', '=', row.org_id)
        .execute(),
    );
  }
  return states;
}
