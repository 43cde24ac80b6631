// The one keyset pagination (src/store/page.ts) and its two protocol adapters: cursors round-trip
// any key, and anything that is not a cursor Godwit issued is refused, never read as page one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor, pageOf, pageOfSorted, pageRequest } from '../../src/store/page.ts';
import { pageRequest as iamPageRequest } from '../../src/iam/pages.ts';
import { tokenRequest } from '../../src/workmail/pages.ts';
import { InvalidInput } from '../../src/errors.ts';
import { InvalidParameter } from '../../src/workmail/errors.ts';

class BadCursor extends Error {}
const bad = () => new BadCursor('bad cursor');

test('a cursor carries any key, and only a cursor decodes', () => {
  for (const key of ['alice', '', 'aws/administratoraccess', 'u\u0000d', 'ünïcödé ✉', 'k:42', 'a.b.c']) {
    assert.equal(decodeCursor(encodeCursor(key), bad), key);
  }
});

test('garbage, truncated, edited or forged cursors are refused with the caller’s error', () => {
  const good = encodeCursor('bob');
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const forged = [
    'garbage',
    '',
    '.',
    '!!!',
    good.slice(0, -1),
    good.slice(1),
    good + 'x',
    flip(good, 0),
    flip(good, good.length - 1),
    good.replace('.', '..'),
    good.replace('.', '=.'),
    // What the old format wrote for 'bob' ('k:' + key, base64url) is no cursor now.
    Buffer.from('k:bob').toString('base64url'),
    // A key re-encoded by hand without its check.
    Buffer.from('carol').toString('base64url') + '.' + good.split('.')[1],
  ];
  for (const cursor of forged) {
    assert.throws(() => decodeCursor(cursor, bad), BadCursor, JSON.stringify(cursor));
    assert.throws(() => pageRequest(cursor, 10, bad), BadCursor, JSON.stringify(cursor));
  }
});

test('pageOf cuts limit + 1 rows into a page and a cursor after its last key', () => {
  const rows = ['a', 'b', 'c'];
  const first = pageOf(rows, { after: undefined, limit: 2 }, (r) => r);
  assert.deepEqual(first.items, ['a', 'b']);
  assert.equal(first.isTruncated, true);
  assert.equal(decodeCursor(first.next!, bad), 'b');
  const last = pageOf(['c'], { after: 'b', limit: 2 }, (r) => r);
  assert.deepEqual(last, { items: ['c'], isTruncated: false, next: undefined });
});

test('pageOfSorted pages a sorted list after a key, also one no longer in the list', () => {
  const items = ['a', 'c', 'e', 'g'];
  const request = (after: string | undefined) => pageRequest(after === undefined ? undefined : encodeCursor(after), 2, bad);
  const one = pageOfSorted(items, request(undefined), (x) => x);
  assert.deepEqual(one.items, ['a', 'c']);
  assert.deepEqual(pageOfSorted(items, pageRequest(one.next, 2, bad), (x) => x).items, ['e', 'g']);
  assert.deepEqual(pageOfSorted(items, request('d'), (x) => x).items, ['e', 'g'], 'the key was removed meanwhile');
  assert.deepEqual(pageOfSorted(items, request('z'), (x) => x), { items: [], isTruncated: false, next: undefined });
});

test('IAM refuses a bad Marker with InvalidInput, WorkMail a bad NextToken with InvalidParameterException', () => {
  assert.throws(
    () => iamPageRequest({ Marker: 'garbage' }),
    (error: Error) => error instanceof InvalidInput && error.message === 'Invalid Marker.',
  );
  assert.throws(
    () => tokenRequest({ NextToken: 'garbage' }),
    (error: Error) => error instanceof InvalidParameter && error.message === 'The NextToken is not valid.',
  );
  assert.deepEqual(iamPageRequest({}), { after: undefined, limit: 100 });
  assert.deepEqual(tokenRequest({ NextToken: encodeCursor('m-1'), MaxResults: 5 }), { after: 'm-1', limit: 5 });
});
