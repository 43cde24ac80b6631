// Mail domains through @aws-sdk/client-workmail, verified against a real (loopback) DNS server:
// the records GetMailDomain asks to publish, the states DNS gives them, and what the states
// allow (addresses, the default domain).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, randomUUID } from 'node:crypto';
import {
  CreateOrganizationCommand,
  DeregisterMailDomainCommand,
  DescribeOrganizationCommand,
  GetMailDomainCommand,
  ListMailDomainsCommand,
  RegisterMailDomainCommand,
  UpdateDefaultMailDomainCommand,
  paginateListMailDomains,
  type DnsRecord,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.ts';
import { rejectsWithWorkMail } from '../helpers/assertions.ts';
import { inTransaction } from '../../src/store/database.ts';
import { claimAddress, releaseAllAddresses } from '../../src/workmail/emails.ts';
import { openDkimPrivateKey } from '../../src/workmail/dkim-keys.ts';
import { LOOKUP_TIMEOUT_MS } from '../../src/workmail/domain-verification.ts';

const MAIL_HOST = 'mx.godwit.test';

const record = (records: DnsRecord[], type: string, hostname: string, value?: RegExp): DnsRecord => {
  const found = records.find((r) => r.Type === type && r.Hostname === hostname && (!value || value.test(r.Value!)));
  assert.ok(found, `a ${type} record at ${hostname}${value ? ' matching ' + value : ''} in ${JSON.stringify(records)}`);
  return found;
};

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`WorkMail mail domains through @aws-sdk/client-workmail (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let dns: TestDnsServer;
    let wm: WorkMailClient;

    const newOrganization = async (alias: string) => (await wm.send(new CreateOrganizationCommand({ Alias: alias }))).OrganizationId!;
    const getDomain = (OrganizationId: string, DomainName: string) => wm.send(new GetMailDomainCommand({ OrganizationId, DomainName }));

    /** Publishes what GetMailDomain asks for, in the test DNS server. */
    async function publish(orgId: string, domain: string, which: { ownership?: boolean; dkim?: boolean } = { ownership: true, dkim: true }) {
      const { Records } = await getDomain(orgId, domain);
      for (const r of Records!) {
        const isOwnership = r.Hostname!.startsWith('_godwit.');
        const isDkim = r.Hostname!.includes('._domainkey.');
        if ((isOwnership && which.ownership) || (isDkim && which.dkim)) dns.setTxt(r.Hostname!, r.Value!);
      }
    }

    /** An entity to hold addresses, written straight to the store (these tests are about domains, not users). */
    async function groupEntity(orgId: string): Promise<string> {
      const id = randomUUID();
      await t.server.store.db
        .insertInto('wm_entities')
        .values({
          id,
          org_id: orgId,
          type: 'GROUP',
          name: 'g-' + id.slice(0, 8),
          name_lower: 'g-' + id.slice(0, 8),
          display_name: null,
          email: null,
          state: 'ENABLED',
          created_at: new Date().toISOString(),
          enabled_at: null,
          disabled_at: null,
          role: null,
          hidden: 0,
          password_hash: null,
          mailbox_quota_mb: null,
          attributes: '{}',
        })
        .execute();
      return id;
    }

    before(async () => {
      dns = await startDnsServer();
      t = await startTestServer({ engine, env: { GODWIT_DNS_SERVER: dns.address, GODWIT_MAIL_HOST: MAIL_HOST } });
      wm = t.workmail();
    });
    after(async () => {
      await t.stop();
      await dns.stop();
    });

    test('a registered domain lists the records to publish and is PENDING until DNS shows them', async () => {
      const orgId = await newOrganization('domains-a');
      await wm.send(new RegisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'Example.COM' }));
      await wm.send(new RegisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'example.com' }));

      const pending = await getDomain(orgId, 'example.com');
      assert.equal(pending.IsTestDomain, false);
      assert.equal(pending.IsDefault, false);
      assert.equal(pending.OwnershipVerificationStatus, 'PENDING');
      assert.equal(pending.DkimVerificationStatus, 'PENDING');
      const records = pending.Records!;
      assert.equal(records.length, 6);
      record(records, 'TXT', '_godwit.example.com.', /^[0-9a-f]{32}$/);
      assert.equal(record(records, 'MX', 'example.com.').Value, `10 ${MAIL_HOST}.`);
      assert.equal(record(records, 'TXT', 'example.com.').Value, `v=spf1 a:${MAIL_HOST} ~all`);
      record(records, 'TXT', '_dmarc.example.com.', /^v=DMARC1; p=quarantine;/);
      assert.equal(record(records, 'CNAME', 'autodiscover.example.com.').Value, `${MAIL_HOST}.`);
      const dkim = record(records, 'TXT', 'godwit1._domainkey.example.com.', /^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$/);
      const publicKey = dkim.Value!.split('p=')[1]!;
      assert.equal(createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength, 2048);

      // The private key is kept sealed, bound to the domain, and pairs with the published key.
      const row = await t.server.store.db.selectFrom('wm_mail_domains').selectAll().where('domain_lower', '=', 'example.com').executeTakeFirstOrThrow();
      assert.doesNotMatch(row.dkim_private_key!, /PRIVATE KEY/);
      const pem = openDkimPrivateKey(t.server.box, 'example.com', row.dkim_private_key!);
      assert.equal(createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64'), publicKey);
      assert.throws(() => openDkimPrivateKey(t.server.box, 'example.org', row.dkim_private_key!));

      const group = await groupEntity(orgId);
      await assert.rejects(inTransaction(t.server.store.db, (trx) => claimAddress(trx, orgId, group, 'info@example.com', true)), { code: 'MailDomainStateException' });

      await publish(orgId, 'example.com');
      const verified = await getDomain(orgId, 'example.com');
      assert.equal(verified.OwnershipVerificationStatus, 'VERIFIED');
      assert.equal(verified.DkimVerificationStatus, 'VERIFIED');
      await inTransaction(t.server.store.db, (trx) => claimAddress(trx, orgId, group, 'info@example.com', true));

      const listed = await wm.send(new ListMailDomainsCommand({ OrganizationId: orgId }));
      assert.deepEqual(listed.MailDomains, [
        { DomainName: 'domains-a.godwit.localhost', DefaultDomain: true },
        { DomainName: 'example.com', DefaultDomain: false },
      ]);
      const test = await getDomain(orgId, 'domains-a.godwit.localhost');
      assert.deepEqual(
        [test.IsTestDomain, test.IsDefault, test.OwnershipVerificationStatus, test.DkimVerificationStatus],
        [true, true, 'VERIFIED', 'VERIFIED'],
      );
    });

    test('records that do not carry our values are FAILED; removed ones are PENDING again', async () => {
      const orgId = await newOrganization('domains-b');
      await wm.send(new RegisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'wrong.example' }));
      dns.setTxt('_godwit.wrong.example', 'someone-elses-token');
      dns.setTxt('godwit1._domainkey.wrong.example', 'v=DKIM1; k=rsa; p=' + 'A'.repeat(392));
      const failed = await getDomain(orgId, 'wrong.example');
      assert.equal(failed.OwnershipVerificationStatus, 'FAILED');
      assert.equal(failed.DkimVerificationStatus, 'FAILED');

      await publish(orgId, 'wrong.example', { ownership: true });
      const half = await getDomain(orgId, 'wrong.example');
      assert.equal(half.OwnershipVerificationStatus, 'VERIFIED');
      assert.equal(half.DkimVerificationStatus, 'FAILED', 'the DKIM record still carries another key');

      dns.remove('_godwit.wrong.example');
      dns.remove('godwit1._domainkey.wrong.example');
      const removed = await getDomain(orgId, 'wrong.example');
      assert.equal(removed.OwnershipVerificationStatus, 'PENDING');
      assert.equal(removed.DkimVerificationStatus, 'PENDING');
    });

    test('a domain belongs to one organization; test-domain names are reserved', async () => {
      const first = await newOrganization('domains-c1');
      const second = await newOrganization('domains-c2');
      await wm.send(new RegisterMailDomainCommand({ OrganizationId: first, DomainName: 'shared.example' }));
      await rejectsWithWorkMail(wm.send(new RegisterMailDomainCommand({ OrganizationId: second, DomainName: 'SHARED.example' })), 'MailDomainInUseException');
      await rejectsWithWorkMail(getDomain(second, 'shared.example'), 'MailDomainNotFoundException');
      await rejectsWithWorkMail(wm.send(new RegisterMailDomainCommand({ OrganizationId: second, DomainName: 'domains-c1.godwit.localhost' })), 'MailDomainInUseException');
      await rejectsWithWorkMail(
        wm.send(new RegisterMailDomainCommand({ OrganizationId: second, DomainName: 'future-org.godwit.localhost' })),
        'InvalidParameterException',
        /reserved/,
      );
      await rejectsWithWorkMail(wm.send(new RegisterMailDomainCommand({ OrganizationId: second, DomainName: '-bad-.example' })), 'InvalidParameterException');
      await rejectsWithWorkMail(wm.send(new RegisterMailDomainCommand({ OrganizationId: 'm-' + '0'.repeat(32), DomainName: 'x.example' })), 'OrganizationNotFoundException');
    });

    test('deregistering: refused while an address uses the domain, and for the test and default domains', async () => {
      const orgId = await newOrganization('domains-d');
      await wm.send(new RegisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'leaving.example' }));
      await publish(orgId, 'leaving.example');
      assert.equal((await getDomain(orgId, 'leaving.example')).OwnershipVerificationStatus, 'VERIFIED');
      const group = await groupEntity(orgId);
      await inTransaction(t.server.store.db, (trx) => claimAddress(trx, orgId, group, 'team@leaving.example', false));

      await rejectsWithWorkMail(wm.send(new DeregisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'leaving.example' })), 'MailDomainInUseException', /email address/);
      await rejectsWithWorkMail(
        wm.send(new DeregisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'domains-d.godwit.localhost' })),
        'InvalidParameterException',
        /test domain/,
      );
      await inTransaction(t.server.store.db, (trx) => releaseAllAddresses(trx, group));

      await wm.send(new UpdateDefaultMailDomainCommand({ OrganizationId: orgId, DomainName: 'leaving.example' }));
      await rejectsWithWorkMail(wm.send(new DeregisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'leaving.example' })), 'MailDomainInUseException', /default/);
      await wm.send(new UpdateDefaultMailDomainCommand({ OrganizationId: orgId, DomainName: 'domains-d.godwit.localhost' }));

      await wm.send(new DeregisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'leaving.example' }));
      await rejectsWithWorkMail(getDomain(orgId, 'leaving.example'), 'MailDomainNotFoundException');
      await wm.send(new DeregisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'leaving.example' }));
      const other = await newOrganization('domains-d2');
      await wm.send(new RegisterMailDomainCommand({ OrganizationId: other, DomainName: 'leaving.example' }));
      assert.equal((await getDomain(other, 'leaving.example')).OwnershipVerificationStatus, 'FAILED', 'a new owner gets a new token');
    });

    test('UpdateDefaultMailDomain takes a verified or test domain only, and DescribeOrganization shows it', async () => {
      const orgId = await newOrganization('domains-e');
      await rejectsWithWorkMail(wm.send(new UpdateDefaultMailDomainCommand({ OrganizationId: orgId, DomainName: 'unknown.example' })), 'MailDomainNotFoundException');
      await wm.send(new RegisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'default.example' }));
      await rejectsWithWorkMail(wm.send(new UpdateDefaultMailDomainCommand({ OrganizationId: orgId, DomainName: 'default.example' })), 'MailDomainStateException');
      assert.equal((await wm.send(new DescribeOrganizationCommand({ OrganizationId: orgId }))).DefaultMailDomain, 'domains-e.godwit.localhost');

      // Published without a GetMailDomain in between: UpdateDefaultMailDomain asks DNS itself.
      await publish(orgId, 'default.example', { ownership: true });
      await wm.send(new UpdateDefaultMailDomainCommand({ OrganizationId: orgId, DomainName: 'Default.Example' }));
      assert.equal((await wm.send(new DescribeOrganizationCommand({ OrganizationId: orgId }))).DefaultMailDomain, 'default.example');
      assert.equal((await getDomain(orgId, 'default.example')).IsDefault, true);
      const listed = await wm.send(new ListMailDomainsCommand({ OrganizationId: orgId }));
      assert.deepEqual(
        listed.MailDomains!.map((d) => [d.DomainName, d.DefaultDomain]),
        [
          ['default.example', true],
          ['domains-e.godwit.localhost', false],
        ],
      );
    });

    test('domains given to CreateOrganization get their DKIM key and records too', async () => {
      const { OrganizationId } = await wm.send(new CreateOrganizationCommand({ Alias: 'domains-h', Domains: [{ DomainName: 'given.example' }] }));
      const stored = await t.server.store.db.selectFrom('wm_mail_domains').selectAll().where('domain_lower', '=', 'given.example').executeTakeFirstOrThrow();
      assert.ok(stored.dkim_public_key && stored.dkim_private_key, 'the key pair is made with the organization');
      const given = await getDomain(OrganizationId!, 'given.example');
      assert.equal(given.OwnershipVerificationStatus, 'PENDING');
      const dkim = record(given.Records!, 'TXT', 'godwit1._domainkey.given.example.', /^v=DKIM1; k=rsa; p=MII/);
      assert.equal(record((await getDomain(OrganizationId!, 'given.example')).Records!, 'TXT', 'godwit1._domainkey.given.example.').Value, dkim.Value, 'the key is kept');
      await publish(OrganizationId!, 'given.example');
      assert.equal((await getDomain(OrganizationId!, 'given.example')).DkimVerificationStatus, 'VERIFIED');
    });

    test('ListMailDomains pages with NextToken', async () => {
      const orgId = await newOrganization('domains-f');
      for (const name of ['a', 'b']) await wm.send(new RegisterMailDomainCommand({ OrganizationId: orgId, DomainName: `${name}.paged.example` }));
      const pages: string[][] = [];
      for await (const page of paginateListMailDomains({ client: wm, pageSize: 2 }, { OrganizationId: orgId })) {
        pages.push(page.MailDomains!.map((d) => d.DomainName!));
      }
      assert.deepEqual(pages, [['a.paged.example', 'b.paged.example'], ['domains-f.godwit.localhost']]);
    });

    test('a dead DNS server: GetMailDomain answers within the timeout and keeps the stored states', async () => {
      const orgId = await newOrganization('domains-g');
      await wm.send(new RegisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'new.example' }));
      await wm.send(new RegisterMailDomainCommand({ OrganizationId: orgId, DomainName: 'known.example' }));
      await publish(orgId, 'known.example');
      assert.equal((await getDomain(orgId, 'known.example')).OwnershipVerificationStatus, 'VERIFIED');
      await publish(orgId, 'new.example');

      dns.setSilent(true);
      try {
        const before = dns.queries();
        const started = Date.now();
        const [fresh, known] = await Promise.all([getDomain(orgId, 'new.example'), getDomain(orgId, 'known.example')]);
        const elapsed = Date.now() - started;
        // Unbounded, c-ares would retry for many seconds; the slack is for a loaded test machine.
        assert.ok(elapsed < LOOKUP_TIMEOUT_MS + 2500, `answered after ${elapsed} ms`);
        assert.ok(dns.queries() > before, 'the server was asked');
        assert.equal(fresh.OwnershipVerificationStatus, 'PENDING', 'published, but DNS could not say so');
        assert.equal(fresh.DkimVerificationStatus, 'PENDING');
        assert.equal(known.OwnershipVerificationStatus, 'VERIFIED', 'an outage does not un-verify a domain');
        assert.equal(known.DkimVerificationStatus, 'VERIFIED');
      } finally {
        dns.setSilent(false);
      }
    });
  });
}
