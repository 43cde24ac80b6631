import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, parseCidr, parseIp } from '../../src/net/cidr.ts';

function inside(block: string, ip: string): boolean {
  const c = parseCidr(block);
  const a = parseIp(ip);
  assert.ok(c, `block ${block} should parse`);
  assert.ok(a, `address ${ip} should parse`);
  return cidrContains(c, a);
}

test('IPv4 block edges', () => {
  assert.equal(inside('192.0.2.0/24', '192.0.2.0'), true);
  assert.equal(inside('192.0.2.0/24', '192.0.2.255'), true);
  assert.equal(inside('192.0.2.0/24', '192.0.3.0'), false);
  assert.equal(inside('192.0.2.0/24', '192.0.1.255'), false);
  assert.equal(inside('10.0.0.0/8', '10.255.255.255'), true);
  assert.equal(inside('10.0.0.0/8', '11.0.0.0'), false);
  assert.equal(inside('0.0.0.0/0', '255.255.255.255'), true);
  assert.equal(inside('192.0.2.7/32', '192.0.2.7'), true);
  assert.equal(inside('192.0.2.7/32', '192.0.2.6'), false);
  assert.equal(inside('192.0.2.7', '192.0.2.7'), true);
  assert.equal(inside('128.0.0.0/1', '127.255.255.255'), false);
  assert.equal(inside('128.0.0.0/1', '200.1.1.1'), true);
  assert.equal(inside('192.0.2.128/25', '192.0.2.127'), false);
  assert.equal(inside('192.0.2.128/25', '192.0.2.128'), true);
  // Host bits in the block are ignored.
  assert.equal(inside('10.1.2.3/8', '10.200.0.1'), true);
});

test('IPv6 block edges, compressed forms and case', () => {
  assert.equal(inside('2001:db8::/32', '2001:db8::'), true);
  assert.equal(inside('2001:db8::/32', '2001:0DB8:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF'), true);
  assert.equal(inside('2001:db8::/32', '2001:db9::'), false);
  assert.equal(inside('2001:db8::/32', '2001:db7:ffff::'), false);
  assert.equal(inside('2001:db8:0:1::/64', '2001:db8::1:0:0:0:1'), true);
  assert.equal(inside('2001:db8:0:1::/64', '2001:db8:0:2::1'), false);
  assert.equal(inside('2001:db8::/127', '2001:db8::1'), true);
  assert.equal(inside('2001:db8::/127', '2001:db8::2'), false);
  assert.equal(inside('2001:db8::1/128', '2001:db8::1'), true);
  assert.equal(inside('2001:db8::1', '2001:db8:0:0:0:0:0:1'), true);
  assert.equal(inside('::/0', '2001:db8::1'), true);
  assert.equal(inside('::1/128', '::1'), true);
  assert.equal(inside('fe80::/10', 'febf::1'), true);
  assert.equal(inside('fe80::/10', 'fec0::1'), false);
  assert.equal(inside('2001:db8::/33', '2001:db8:7fff::1'), true);
  assert.equal(inside('2001:db8::/33', '2001:db8:8000::1'), false);
});

test('IPv4-mapped IPv6 addresses and blocks are IPv4; the families otherwise stay apart', () => {
  assert.equal(inside('192.0.2.0/24', '::ffff:192.0.2.9'), true);
  assert.equal(inside('192.0.2.0/24', '::FFFF:c000:209'), true);
  assert.equal(inside('::ffff:192.0.2.0/120', '192.0.2.9'), true);
  assert.equal(inside('::ffff:0:0/96', '203.0.113.1'), true);
  assert.equal(inside('::ffff:192.0.2.0/120', '192.0.3.9'), false);
  assert.equal(inside('::/0', '192.0.2.9'), false);
  assert.equal(inside('0.0.0.0/0', '2001:db8::1'), false);
  assert.equal(inside('0.0.0.0/0', '::ffff:10.0.0.1'), true);
});

test('malformed addresses and blocks are refused', () => {
  for (const ip of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-4', 'a.b.c.d', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', 'fe80::1%eth0', ':::', '::1.2.3']) {
    assert.equal(parseIp(ip), undefined, ip);
  }
  for (const block of ['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8', 'x/8', '10.0.0.0/a']) {
    assert.equal(parseCidr(block), undefined, block);
  }
});

test('IPv4 with an embedded IPv6 tail parses', () => {
  assert.deepEqual(parseIp('64:ff9b::192.0.2.33')?.family, 6);
  assert.deepEqual(parseIp('::'), { family: 6, words: [0, 0, 0, 0] });
});
