// The test DNS server speaks RFC 1035: checked byte by byte, and through node's own resolver
// (c-ares), which is what domain verification uses.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { decodeName, encodeName, encodeResponse, parseQuery, startDnsServer, TYPE, type TestDnsServer } from '../helpers/dns-server.ts';
import { dkimPublicKeyOf, dnsTxtLookup } from '../../src/workmail/domain-verification.ts';

/** A query as a stub resolver sends it: id, RD set, one question, optionally an EDNS0 OPT record. */
function query(id: number, name: string, type: number, ednsPayload?: number): Buffer {
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, ednsPayload ? 1 : 0]);
  const question = Buffer.concat([encodeName(name), Buffer.from([0, type, 0, 1])]);
  const opt = ednsPayload ? Buffer.from([0, 0, TYPE.OPT, ednsPayload >> 8, ednsPayload & 0xff, 0, 0, 0, 0, 0, 0]) : Buffer.alloc(0);
  return Buffer.concat([header, question, opt]);
}

describe('test DNS server wire format', () => {
  test('names are length-prefixed labels, case-folded, ending with the root label', () => {
    assert.deepEqual([...encodeName('Sel._DomainKey.Example.COM.')], [3, ...Buffer.from('sel'), 10, ...Buffer.from('_domainkey'), 7, ...Buffer.from('example'), 3, ...Buffer.from('com'), 0]);
    const pointed = Buffer.concat([Buffer.alloc(12), encodeName('example.com'), Buffer.from([3, 0x77, 0x77, 0x77, 0xc0, 12])]);
    assert.deepEqual(decodeName(pointed, 25), { name: 'www.example.com', end: 31 }, 'a compression pointer is followed');
  });

  test('a query is parsed: id, name, type, class and the EDNS0 payload size', () => {
    const parsed = parseQuery(query(0xbeef, 'godwit1._domainkey.example.com', TYPE.TXT, 1232));
    assert.deepEqual(parsed, { id: 0xbeef, flags: 0x0100, name: 'godwit1._domainkey.example.com', type: TYPE.TXT, qclass: 1, udpPayloadSize: 1232 });
    assert.equal(parseQuery(query(1, 'example.com', TYPE.MX)).udpPayloadSize, 512, 'RFC 1035 limit without EDNS0');
  });

  test('a TXT answer longer than 255 bytes is split into character-strings of one record', () => {
    const value = 'v=DKIM1; k=rsa; p=' + 'A'.repeat(392);
    const question = parseQuery(query(7, 'sel._domainkey.example.com', TYPE.TXT, 4096));
    const reply = encodeResponse(question, 0, [{ type: 'TXT', value }]);
    assert.equal(reply.readUInt16BE(0), 7, 'the id is echoed');
    const flags = reply.readUInt16BE(2);
    assert.equal(flags & 0x8000, 0x8000, 'QR: a response');
    assert.equal(flags & 0x0400, 0x0400, 'AA: authoritative');
    assert.equal(flags & 0x0100, 0x0100, 'RD echoed');
    assert.equal(flags & 0x000f, 0, 'NOERROR');
    assert.deepEqual([reply.readUInt16BE(4), reply.readUInt16BE(6)], [1, 1], 'one question, one answer');
    const answer = 12 + encodeName(question.name).length + 4;
    assert.equal(reply.readUInt16BE(answer), 0xc00c, 'the owner name points at the question');
    assert.equal(reply.readUInt16BE(answer + 2), TYPE.TXT);
    const rdLength = reply.readUInt16BE(answer + 10);
    const rdata = reply.subarray(answer + 12, answer + 12 + rdLength);
    assert.equal(rdata[0], 255);
    assert.equal(rdata[256], value.length - 255);
    assert.equal(rdLength, value.length + 2, 'two length bytes and the value');
    assert.equal(rdata.subarray(1, 256).toString() + rdata.subarray(257).toString(), value);
  });

  test('an answer larger than the client takes is truncated with TC and no records', () => {
    const question = parseQuery(query(9, 'example.com', TYPE.TXT));
    const reply = encodeResponse(question, 0, [{ type: 'TXT', value: 'x'.repeat(600) }]);
    assert.equal(reply.readUInt16BE(2) & 0x0200, 0x0200);
    assert.equal(reply.readUInt16BE(6), 0);
  });
});

describe('test DNS server through node:dns', () => {
  let dns: TestDnsServer;
  let resolver: Resolver;
  before(async () => {
    dns = await startDnsServer();
    resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dns.address]);
  });
  after(() => dns.stop());

  test('TXT, MX and CNAME answers; NXDOMAIN and NODATA', async () => {
    const key = 'v=DKIM1; k=rsa; p=' + 'B'.repeat(392);
    dns.setTxt('sel._domainkey.example.com', key);
    dns.set('example.com', 'MX', [{ type: 'MX', preference: 10, exchange: 'mail.example.net' }]);
    dns.set('autodiscover.example.com', 'CNAME', [{ type: 'CNAME', target: 'mail.example.net' }]);

    const txt = await resolver.resolveTxt('SEL._domainkey.example.com');
    assert.equal(txt.length, 1, 'one record');
    assert.deepEqual(txt[0]!.map((chunk) => chunk.length), [255, key.length - 255]);
    assert.equal(txt[0]!.join(''), key);
    assert.deepEqual(await resolver.resolveMx('example.com'), [{ priority: 10, exchange: 'mail.example.net' }]);
    assert.deepEqual(await resolver.resolveCname('autodiscover.example.com'), ['mail.example.net']);
    await assert.rejects(resolver.resolveTxt('nothing.example.com'), { code: 'ENOTFOUND' });
    await assert.rejects(resolver.resolveTxt('example.com'), { code: 'ENODATA' }, 'the name exists, without TXT');
    dns.remove('example.com');
    await assert.rejects(resolver.resolveMx('example.com'), { code: 'ENOTFOUND' });
  });

  test('dnsTxtLookup tells records, absence and silence apart, and bounds the wait', async () => {
    dns.setTxt('_godwit.example.org', 'token-1', 'other');
    const lookup = await dnsTxtLookup(dns.address, 300);
    assert.deepEqual(await lookup.txt('_godwit.example.org'), { kind: 'records', values: ['token-1', 'other'] });
    assert.deepEqual(await lookup.txt('_godwit.example.net'), { kind: 'absent' });
    lookup.close();

    const dead = await startDnsServer({ silent: true });
    try {
      const silent = await dnsTxtLookup(dead.address, 300);
      const started = Date.now();
      const answer = await silent.txt('_godwit.example.org');
      silent.close();
      assert.equal(answer.kind, 'unknown');
      assert.ok(Date.now() - started < 1000, `answered after ${Date.now() - started} ms`);
      assert.ok(dead.queries() >= 1, 'the query reached the dead server');
    } finally {
      await dead.stop();
    }
  });

  test('the p= tag of a DKIM record, whitespace removed', () => {
    assert.equal(dkimPublicKeyOf('v=DKIM1; k=rsa; p=MIIB IjAN\tBgkq'), 'MIIBIjANBgkq');
    assert.equal(dkimPublicKeyOf('v=DKIM1;p=abc=='), 'abc==');
    assert.equal(dkimPublicKeyOf('v=DKIM1; k=rsa'), undefined);
  });
});
