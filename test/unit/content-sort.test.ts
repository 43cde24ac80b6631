// SORT (RFC 5256, RFC 5957): base subjects by the RFC's extraction steps, every sort key, REVERSE
// on one key of several, ties in folder order, and the fallbacks for missing headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage, type Envelope } from '../../src/mail/store/mime.ts';
import { baseSubject } from '../../src/mail/content/base-subject.ts';
import { sortMessages, type SortItem } from '../../src/mail/content/sort.ts';

test('base subject (RFC 5256 2.1): leaders, blobs, trailers, [fwd: …] and encoded words', () => {
  const table: Array<[string | null, string]> = [
    ['Hello', 'Hello'],
    ['Re: Hello', 'Hello'],
    ['RE: re: Re:Hello', 'Hello'],
    ['Fwd: Hello', 'Hello'],
    ['fw: Hello', 'Hello'],
    ['Re [2]: Hello', 'Hello'],
    ['Re : Hello', 'Hello'],
    ['[list] Re: Hello', 'Hello'],
    ['[list] [other] Re: [list] Hello', 'Hello'],
    ['Re: [list] Hello', 'Hello'],
    ['Hello (fwd)', 'Hello'],
    ['Hello (FWD) (fwd)  ', 'Hello'],
    ['[fwd: Re: Hello]', 'Hello'],
    ['[Fwd: [fwd: Hello (fwd)]]', 'Hello'],
    ['Re: [fwd: Hello]', 'Hello'],
    ['[only a blob]', '[only a blob]'],
    ['Re: [only a blob]', '[only a blob]'],
    ['Reply: Hello', 'Reply: Hello'],
    ['Fwded: Hello', 'Fwded: Hello'],
    ['Hello\t  world', 'Hello world'],
    ['Re:', ''],
    ['', ''],
    [null, ''],
    ['=?UTF-8?Q?Re=3A_R=C3=A9sum=C3=A9?=', 'Résumé'],
    ['Re: =?UTF-8?B?' + Buffer.from('Zoë').toString('base64') + '?= (fwd)', 'Zoë'],
    ['Fwd: Re: [list] AW: Hello', 'AW: Hello'],
  ];
  for (const [subject, base] of table) assert.equal(baseSubject(subject), base, JSON.stringify(subject));
});

const item = (uid: number, headers: string[], internal: string, size = 100): SortItem => ({
  uid,
  internalDate: Date.parse(internal),
  size,
  envelope: parseMessage(Buffer.from([...headers, '', 'body'].join('\r\n'))).envelope as Envelope,
});

const items = [
  item(1, ['From: Zed <zed@example.com>', 'To: amy@example.com', 'Cc: Bea <bea@example.com>', 'Subject: Re: banana', 'Date: Tue, 2 Jun 2026 10:00:00 +0200'], '2026-06-05T00:00:00Z', 300),
  item(2, ['From: "Adam" <adam@example.com>', 'To: Zoe <zoe@example.com>', 'Subject: apple', 'Date: Tue, 2 Jun 2026 09:00:00 +0000'], '2026-06-04T00:00:00Z', 100),
  item(3, ['From: mallory@example.com', 'To: =?UTF-8?Q?=C3=89mile?= <emile@example.com>', 'Cc: aaron@example.com', 'Subject: [list] Banana (fwd)'], '2026-06-01T00:00:00Z', 200),
  item(4, ['From: Bob <BOB@example.com>', 'To: Team: amy@example.com, zoe@example.com;', 'Subject: Fwd: Cherry', 'Date: not a date'], '2026-06-03T00:00:00Z', 200),
];

test('each sort key, with REVERSE', () => {
  const by = (key: Parameters<typeof sortMessages>[1][number]['key'], reverse = false) => sortMessages(items, [{ key, reverse }]);
  assert.deepEqual(by('ARRIVAL'), [3, 4, 2, 1]);
  assert.deepEqual(by('ARRIVAL', true), [1, 2, 4, 3]);
  // Item 1 was sent at 08:00 UTC, before item 2; item 3 has no Date and item 4 an unreadable one: their internal dates.
  assert.deepEqual(by('DATE'), [3, 1, 2, 4]);
  assert.deepEqual(by('SIZE'), [2, 3, 4, 1]);
  assert.deepEqual(by('SUBJECT'), [2, 1, 3, 4]);
  // Mailboxes case-folded: adam, BOB, mallory, zed.
  assert.deepEqual(by('FROM'), [2, 4, 3, 1]);
  assert.deepEqual(by('FROM', true), [1, 3, 4, 2]);
  // amy (1), amy as the group's first member (4), emile, zoe.
  assert.deepEqual(by('TO'), [1, 4, 3, 2]);
  // No Cc sorts first (as an empty string): 2 and 4 in folder order, then aaron, bea.
  assert.deepEqual(by('CC'), [2, 4, 3, 1]);
  // Display names: Adam, Bob, mallory@example.com (no name), Zed.
  assert.deepEqual(by('DISPLAYFROM'), [2, 4, 3, 1]);
  // amy@example.com, amy@… (group member without name), Émile (É is past ASCII), Zoe.
  assert.deepEqual(by('DISPLAYTO'), [1, 4, 2, 3]);
});

test('several keys: later keys break earlier ties; equal messages stay in folder order whatever REVERSE says', () => {
  assert.deepEqual(sortMessages(items, [{ key: 'SUBJECT' }, { key: 'SIZE', reverse: true }]), [2, 1, 3, 4]);
  assert.deepEqual(sortMessages(items, [{ key: 'SIZE' }, { key: 'ARRIVAL', reverse: true }]), [2, 4, 3, 1]);
  assert.deepEqual(sortMessages(items, [{ key: 'SIZE', reverse: true }]), [1, 3, 4, 2]);
  const same = [item(9, ['Subject: x'], '2026-06-01T00:00:00Z'), item(5, ['Subject: Re: x'], '2026-06-01T00:00:00Z'), item(7, ['Subject: x (fwd)'], '2026-06-01T00:00:00Z')];
  assert.deepEqual(sortMessages(same, [{ key: 'SUBJECT', reverse: true }, { key: 'ARRIVAL', reverse: true }]), [5, 7, 9]);
  assert.deepEqual(sortMessages([], [{ key: 'DATE' }]), []);
});
