// Where mail for a domain goes (RFC 5321 5.1), asked of a real DNS server on loopback: MX hosts
// by preference, the domain's own address when it has no MX, and the final and temporary
// answers; and the retry schedule.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mailDnsResolver } from '../../src/mail/authentication/resolver.ts';
import { routesFor } from '../../src/mail/outbound/routes.ts';
import { nextAttemptAt } from '../../src/mail/outbound/retry-policy.ts';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.ts';

let dns: TestDnsServer;
before(async () => {
  dns = await startDnsServer();
});
after(() => dns.stop());

const resolver = () => mailDnsResolver(dns.address, 500);

test('MX hosts in preference order, each with its addresses', async () => {
  dns.set('pref.example', 'MX', [
    { type: 'MX', preference: 20, exchange: 'backup.pref.example' },
    { type: 'MX', preference: 10, exchange: 'primary.pref.example' },
  ]);
  dns.set('primary.pref.example', 'A', [{ type: 'A', address: '192.0.2.1' }]);
  dns.set('backup.pref.example', 'A', [{ type: 'A', address: '192.0.2.2' }]);
  assert.deepEqual(await routesFor(await resolver(), 'pref.example'), {
    kind: 'routes',
    routes: [
      { host: 'primary.pref.example', addresses: ['192.0.2.1'] },
      { host: 'backup.pref.example', addresses: ['192.0.2.2'] },
    ],
  });
});

test('no MX record: the domain\'s own A record (the implicit MX)', async () => {
  dns.set('plain.example', 'A', [{ type: 'A', address: '192.0.2.3' }]);
  assert.deepEqual(await routesFor(await resolver(), 'plain.example'), { kind: 'routes', routes: [{ host: 'plain.example', addresses: ['192.0.2.3'] }] });
});

test('final answers: no such domain, null MX, neither MX nor address', async () => {
  const missing = await routesFor(await resolver(), 'missing.example');
  assert.deepEqual([missing.kind, missing.kind === 'failed' && missing.permanent, missing.kind === 'failed' && missing.status], ['failed', true, '5.1.2']);
  dns.set('nullmx.example', 'MX', [{ type: 'MX', preference: 0, exchange: '.' }]);
  const nullMx = await routesFor(await resolver(), 'nullmx.example');
  assert.deepEqual([nullMx.kind, nullMx.kind === 'failed' && nullMx.permanent, nullMx.kind === 'failed' && nullMx.status], ['failed', true, '5.1.10']);
  dns.setTxt('textonly.example', 'v=spf1 -all');
  const bare = await routesFor(await resolver(), 'textonly.example');
  assert.deepEqual([bare.kind, bare.kind === 'failed' && bare.permanent], ['failed', true]);
});

test('temporary answers: MX hosts without addresses, and a DNS server that does not answer', async () => {
  dns.set('hostless.example', 'MX', [{ type: 'MX', preference: 10, exchange: 'nowhere.hostless.example' }]);
  const hostless = await routesFor(await resolver(), 'hostless.example');
  assert.deepEqual([hostless.kind, hostless.kind === 'failed' && hostless.permanent, hostless.kind === 'failed' && hostless.status], ['failed', false, '4.4.4']);
  const dead = await routesFor(await mailDnsResolver('127.0.0.1:9', 200), 'pref.example');
  assert.deepEqual([dead.kind, dead.kind === 'failed' && dead.permanent, dead.kind === 'failed' && dead.status], ['failed', false, '4.4.3']);
});

test('backoff doubles from the base, is capped, and never passes the expiry', () => {
  const policy = { baseMs: 60_000, maxDelayMs: 8 * 60_000 };
  const far = 10 ** 12;
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((attempts) => nextAttemptAt(policy, attempts, 0, far)), [60_000, 120_000, 240_000, 480_000, 480_000, 480_000]);
  assert.equal(nextAttemptAt(policy, 3, 1000, 100_000), 100_000, 'one last try at the expiry');
  assert.equal(nextAttemptAt(policy, 3, 200_000, 100_000), 200_000, 'already expired: due now');
});
