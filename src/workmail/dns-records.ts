// The DNS records a mail domain's owner publishes so that Godwit receives, sends and is trusted
// for the domain, as GetMailDomain lists them. Host names are absolute (trailing dot), the way
// WorkMail writes them and zone files expect them.
//
// - `_godwit.<domain>` TXT <token>: proves ownership (WorkMail's `_amazonses.<domain>`).
// - `<domain>` MX `10 <mail host>.`: inbound mail goes to Godwit's SMTP listener.
// - `<domain>` TXT `v=spf1 a:<mail host> ~all`: SPF names the addresses Godwit sends from.
//   `a:<mail host>` authorizes the addresses the mail host resolves to, which is where a
//   self-hosted MTA sends from. `include:<mail host>` would be wrong: it evaluates the SPF record
//   published AT the mail host, which a self-hosted server usually does not have (a permerror).
//   `~all` (soft fail) rather than `-all`, because DMARC below decides what happens to failures.
// - `<selector>._domainkey.<domain>` TXT `v=DKIM1; k=rsa; p=<key>`: the key Godwit signs with.
//   At 2048 bits the value is longer than 255 bytes: DNS providers split it into several strings
//   of one record, which receivers join.
// - `_dmarc.<domain>` TXT: quarantine mail that fails both SPF and DKIM alignment.
// - `autodiscover.<domain>` CNAME `<mail host>.`: mail clients find their settings.

export interface DnsRecord {
  Type: 'MX' | 'TXT' | 'CNAME';
  Hostname: string;
  Value: string;
}

export const OWNERSHIP_LABEL = '_godwit';

export const ownershipRecordName = (domain: string) => `${OWNERSHIP_LABEL}.${domain}`;
export const dkimRecordName = (domain: string, selector: string) => `${selector}._domainkey.${domain}`;
export const dkimRecordValue = (publicKey: string) => `v=DKIM1; k=rsa; p=${publicKey}`;

const absolute = (name: string) => (name.endsWith('.') ? name : name + '.');

export interface DomainRecordFacts {
  domain: string;
  mailHost: string;
  ownershipToken: string;
  dkim: { selector: string; publicKey: string } | undefined;
}

export function mailDomainRecords(facts: DomainRecordFacts): DnsRecord[] {
  const { domain, mailHost } = facts;
  const records: DnsRecord[] = [
    { Type: 'TXT', Hostname: absolute(ownershipRecordName(domain)), Value: facts.ownershipToken },
    { Type: 'MX', Hostname: absolute(domain), Value: `10 ${absolute(mailHost)}` },
    { Type: 'TXT', Hostname: absolute(domain), Value: `v=spf1 a:${mailHost} ~all` },
  ];
  if (facts.dkim) {
    records.push({ Type: 'TXT', Hostname: absolute(dkimRecordName(domain, facts.dkim.selector)), Value: dkimRecordValue(facts.dkim.publicKey) });
  }
  records.push(
    { Type: 'TXT', Hostname: absolute(`_dmarc.${domain}`), Value: 'v=DMARC1; p=quarantine; pct=100; fo=1' },
    { Type: 'CNAME', Hostname: absolute(`autodiscover.${domain}`), Value: absolute(mailHost) },
  );
  return records;
}
