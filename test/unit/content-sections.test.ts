// FETCH body sections cut from the raw message with the structure mime.ts stored: the whole
// message, header and text, header field subsets, part numbers in nested multiparts and inside
// message/rfc822 parts, a single-part message's part 1, MIME headers, partial fetches at the
// edges, BINARY decoding, and offsets that agree with every size mime.ts recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DEPTH, parseMessage, type BodyPart } from '../../src/mail/store/mime.ts';
import { extractSection, RFC822_SECTIONS, UnknownTransferEncoding, type SectionSpec } from '../../src/mail/content/sections.ts';
import { locatePart } from '../../src/mail/content/part-locator.ts';

const crlf = (lines: string[]) => lines.join('\r\n');

const INNER = crlf([
  'From: Carol <carol@example.org>',
  'Subject: the forwarded one',
  'Content-Type: multipart/alternative; boundary="alt2"',
  '',
  '--alt2',
  'Content-Type: text/plain',
  '',
  'inner plain',
  '--alt2',
  'Content-Type: text/html',
  '',
  '<p>inner html</p>',
  '--alt2--',
  '',
]);

const HEADER = crlf([
  'From: "Alice" <alice@example.com>',
  'To: Bob <bob@org-a.example>,',
  '  carol@org-a.example',
  'Subject: =?UTF-8?B?UXVhcnRlcmx5IHLDqXN1bcOp?=',
  'Date: Mon, 1 Jun 2026 12:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '',
]);
const PART_1_1 = crlf(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', '', 'Caf=C3=A9 au lait, soft=', 'break.']);
const PART_1_2 = crlf(['Content-Type: text/html; charset=utf-8', '', '<p>Caf&eacute;</p>']);
const PART_2 = crlf(['Content-Type: application/pdf; name="report.pdf"', 'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment', '', Buffer.from('%PDF-1.4 bytes').toString('base64')]);
const PART_3 = crlf(['Content-Type: message/rfc822', '', INNER]);
const BODY = crlf([
  'preamble',
  '--outer',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  PART_1_1,
  '--inner',
  PART_1_2,
  '--inner--',
  '--outer',
  PART_2,
  '--outer',
  PART_3,
  '--outer--',
  'epilogue',
]);
const MESSAGE = Buffer.from(HEADER + BODY, 'utf8');
const structure = parseMessage(MESSAGE).body;

const cut = (spec: SectionSpec, raw = MESSAGE, body: BodyPart = structure) => extractSection(raw, body, spec)?.toString('utf8') ?? null;
const bodyOf = (entity: string) => entity.slice(entity.indexOf('\r\n\r\n') + 4);
const headerOf = (entity: string) => entity.slice(0, entity.indexOf('\r\n\r\n') + 4);

test('the whole message, its header (with the empty line) and its text; RFC822 items are the same sections', () => {
  assert.equal(cut({ part: [] }), MESSAGE.toString('utf8'));
  assert.equal(cut({ part: [], specifier: 'HEADER' }), HEADER);
  assert.equal(cut({ part: [], specifier: 'TEXT' }), BODY);
  assert.equal(cut(RFC822_SECTIONS.RFC822), MESSAGE.toString('utf8'));
  assert.equal(cut(RFC822_SECTIONS['RFC822.HEADER']), HEADER);
  assert.equal(cut(RFC822_SECTIONS['RFC822.TEXT']), BODY);
  assert.equal(cut({ part: [], specifier: 'MIME' }), null);
});

test('HEADER.FIELDS and HEADER.FIELDS.NOT: case-insensitive names, folded lines kept whole, the empty line kept', () => {
  assert.equal(cut({ part: [], specifier: 'HEADER.FIELDS', fields: ['to', 'SUBJECT', 'X-Missing'] }), crlf(['To: Bob <bob@org-a.example>,', '  carol@org-a.example', 'Subject: =?UTF-8?B?UXVhcnRlcmx5IHLDqXN1bcOp?=', '', '']));
  assert.equal(cut({ part: [], specifier: 'HEADER.FIELDS', fields: ['X-Missing'] }), '\r\n');
  assert.equal(
    cut({ part: [], specifier: 'HEADER.FIELDS.NOT', fields: ['To', 'Subject', 'Date', 'MIME-Version', 'Content-Type'] }),
    crlf(['From: "Alice" <alice@example.com>', '', '']),
  );
  // Of the message a message/rfc822 part carries.
  assert.equal(cut({ part: [3], specifier: 'HEADER.FIELDS', fields: ['subject'] }), 'Subject: the forwarded one\r\n\r\n');
});

test('part numbers: nested multipart parts, a multipart part as its body, MIME headers of parts', () => {
  assert.equal(cut({ part: [1, 1] }), bodyOf(PART_1_1));
  assert.equal(cut({ part: [1, 2] }), bodyOf(PART_1_2));
  assert.equal(cut({ part: [1, 1], specifier: 'MIME' }), headerOf(PART_1_1));
  assert.equal(cut({ part: [2] }), bodyOf(PART_2));
  assert.equal(cut({ part: [2], specifier: 'MIME' }), headerOf(PART_2));
  // A multipart part's content is its body, delimiters included.
  assert.equal(cut({ part: [1] }), crlf(['--inner', PART_1_1, '--inner', PART_1_2, '--inner--']));
  assert.equal(cut({ part: [1], specifier: 'MIME' }), 'Content-Type: multipart/alternative; boundary=inner\r\n\r\n');
  for (const missing of [[4], [1, 3], [2, 1], [0], [1, 1, 1]]) assert.equal(cut({ part: missing }), null, missing.join('.'));
  assert.equal(cut({ part: [2], specifier: 'HEADER' }), null, 'HEADER of a part that is no message');
  assert.equal(cut({ part: [1, 1], specifier: 'TEXT' }), null);
});

test('message/rfc822 parts: the part is the whole message inside; HEADER, TEXT and numbers count within it', () => {
  assert.equal(cut({ part: [3] }), INNER);
  assert.equal(cut({ part: [3], specifier: 'MIME' }), 'Content-Type: message/rfc822\r\n\r\n');
  assert.equal(cut({ part: [3], specifier: 'HEADER' }), headerOf(INNER));
  assert.equal(cut({ part: [3], specifier: 'TEXT' }), bodyOf(INNER));
  assert.equal(cut({ part: [3, 1] }), 'inner plain');
  assert.equal(cut({ part: [3, 2] }), '<p>inner html</p>');
  assert.equal(cut({ part: [3, 2], specifier: 'MIME' }), 'Content-Type: text/html\r\n\r\n');
  assert.equal(cut({ part: [3, 3] }), null);
});

test('a single-part message: part 1 is its body, its MIME header the message header; a nested single-part message likewise', () => {
  const raw = Buffer.from(crlf(['From: a@example.com', 'Subject: plain', '', 'just text', '']));
  const plain = parseMessage(raw).body;
  assert.equal(cut({ part: [1] }, raw, plain), 'just text\r\n');
  assert.equal(cut({ part: [1], specifier: 'MIME' }, raw, plain), 'From: a@example.com\r\nSubject: plain\r\n\r\n');
  assert.equal(cut({ part: [2] }, raw, plain), null);
  assert.equal(cut({ part: [1, 1] }, raw, plain), null);

  const wrapper = Buffer.from(crlf(['Content-Type: message/rfc822', '', 'Subject: inside', '', 'inner body']));
  const wrapped = parseMessage(wrapper).body;
  assert.equal(cut({ part: [1] }, wrapper, wrapped), 'Subject: inside\r\n\r\ninner body');
  assert.equal(cut({ part: [1, 1] }, wrapper, wrapped), 'inner body');
  assert.equal(cut({ part: [1], specifier: 'HEADER' }, wrapper, wrapped), 'Subject: inside\r\n\r\n');
  assert.equal(cut({ part: [1], specifier: 'TEXT' }, wrapper, wrapped), 'inner body');
});

test('messages without an empty line or without a header, and LF-only line ends', () => {
  const noBody = Buffer.from('Subject: only a header\r\n');
  assert.equal(cut({ part: [], specifier: 'HEADER' }, noBody, parseMessage(noBody).body), 'Subject: only a header\r\n');
  assert.equal(cut({ part: [], specifier: 'TEXT' }, noBody, parseMessage(noBody).body), '');
  assert.equal(cut({ part: [], specifier: 'HEADER.FIELDS', fields: ['subject'] }, noBody, parseMessage(noBody).body), 'Subject: only a header\r\n');
  const noHeader = Buffer.from('\r\nbody only');
  assert.equal(cut({ part: [], specifier: 'TEXT' }, noHeader, parseMessage(noHeader).body), 'body only');
  const lf = Buffer.from('Subject: lf\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nfirst\n--b\n\nsecond\n--b--\n');
  const lfBody = parseMessage(lf).body;
  assert.equal(cut({ part: [], specifier: 'HEADER' }, lf, lfBody), 'Subject: lf\nContent-Type: multipart/mixed; boundary=b\n\n');
  assert.equal(cut({ part: [1] }, lf, lfBody), 'first');
  assert.equal(cut({ part: [2] }, lf, lfBody), 'second');
  assert.equal(cut({ part: [2], specifier: 'MIME' }, lf, lfBody), '\n');
});

test('partial fetches: from an origin, at most a length, empty past the end, cut at the last octet', () => {
  const size = MESSAGE.length;
  assert.equal(cut({ part: [], partial: { origin: 0, length: 5 } }), 'From:');
  assert.equal(cut({ part: [], partial: { origin: size - 3, length: 100 } }), MESSAGE.subarray(size - 3).toString());
  assert.equal(cut({ part: [], partial: { origin: size, length: 10 } }), '');
  assert.equal(cut({ part: [], partial: { origin: size + 10, length: 10 } }), '');
  assert.equal(cut({ part: [], partial: { origin: 0, length: 0 } }), '');
  assert.equal(cut({ part: [3, 1], partial: { origin: 6, length: 5 } }), 'plain');
  assert.equal(cut({ part: [], specifier: 'HEADER', partial: { origin: 0, length: 1000000 } }), HEADER);
  assert.equal(cut({ part: [9], partial: { origin: 0, length: 1 } }), null);
});

test('BINARY: base64 and quoted-printable undone, 7bit as it is, an unknown encoding refused', () => {
  assert.equal(extractSection(MESSAGE, structure, { part: [2], binary: true })!.toString(), '%PDF-1.4 bytes');
  assert.equal(extractSection(MESSAGE, structure, { part: [1, 1], binary: true })!.toString('utf8'), 'Café au lait, softbreak.');
  assert.equal(extractSection(MESSAGE, structure, { part: [3, 1], binary: true })!.toString(), 'inner plain');
  assert.equal(extractSection(MESSAGE, structure, { part: [2], binary: true, partial: { origin: 1, length: 3 } })!.toString(), 'PDF');
  const odd = Buffer.from(crlf(['Content-Transfer-Encoding: x-uuencode', '', 'begin 644 x']));
  assert.throws(() => extractSection(odd, parseMessage(odd).body, { part: [1], binary: true }), UnknownTransferEncoding);
});

test('every part located agrees with the size mime.ts stored, in a real-world-shaped tree and past the depth limit', () => {
  const check = (raw: Buffer, top: BodyPart) => {
    let checked = 0;
    const visit = (part: BodyPart, path: number[]) => {
      const entity = locatePart(raw, top, path);
      assert.ok(entity, path.join('.'));
      assert.equal(entity.end - entity.bodyStart, part.size, `size of ${path.join('.')}`);
      checked++;
      part.parts?.forEach((child, i) => visit(child, [...path, i + 1]));
      if (part.message) {
        const inner = part.message.body;
        if (inner.parts) inner.parts.forEach((child, i) => visit(child, [...path, i + 1]));
      }
    };
    top.parts?.forEach((child, i) => visit(child, [i + 1]));
    return checked;
  };
  assert.equal(check(MESSAGE, structure), 7, '1, 1.1, 1.2, 2, 3, 3.1, 3.2');

  // Deeper than MAX_DEPTH: mime.ts made the deepest multipart opaque, and so do the sections.
  let deep = 'Content-Type: text/plain\r\n\r\nbottom';
  for (let level = MAX_DEPTH + 2; level > 0; level--) deep = `Content-Type: multipart/mixed; boundary=b${level}\r\n\r\n--b${level}\r\n${deep}\r\n--b${level}--`;
  const raw = Buffer.from(deep);
  const top = parseMessage(raw).body;
  assert.ok(check(raw, top) >= MAX_DEPTH - 1);
  const path = Array.from({ length: MAX_DEPTH }, () => 1);
  const opaque = locatePart(raw, top, path);
  assert.ok(opaque);
  assert.equal(opaque.part.type, 'application');
  assert.equal(locatePart(raw, top, [...path, 1]), null);
  assert.ok(extractSection(raw, top, { part: path })!.toString().includes('bottom'));
});
