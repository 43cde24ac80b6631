// The envelope and body structure computed once at delivery, which IMAP will serve as they are:
// raw header values, addresses split as RFC 3501 wants them, each part's type, parameters,
// encoding, octet size and line count, nested messages, and the bounded nesting depth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DEPTH, parseAddressList, parseMessage } from '../../src/mail/store/mime.ts';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

const pdf = Buffer.from('%PDF-1.4 not really a pdf, but bytes all the same').toString('base64');
const MESSAGE = crlf([
  'From: "Alice Liddell" <alice@example.com>',
  'Sender: secretary@example.com',
  'To: Bob <bob@org-a.example>, carol@org-a.example',
  'Cc: Friends: dan@example.net, "Erin E." <erin@example.net>;',
  'Subject: =?UTF-8?B?UXVhcnRlcmx5IHLDqXN1bcOp?=',
  'Date: Mon, 1 Jun 2026 12:00:00 +0000',
  'Message-ID: <abc@example.com>',
  'In-Reply-To: <prev@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  'preamble',
  '--outer',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'The r=C3=A9sum=C3=A9 mentions a zeppelin.',
  'Second line.',
  '--inner',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>The <b>résumé</b></p>',
  '--inner--',
  '--outer',
  'Content-Type: application/pdf; name="report.pdf"',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename*=utf-8\'\'r%C3%A9sum%C3%A9.pdf',
  'Content-ID: <part3@example.com>',
  'Content-Description: The report',
  'Content-Language: en, fr',
  '',
  pdf,
  '--outer',
  'Content-Type: message/rfc822',
  '',
  'From: old@example.org',
  'Subject: Forwarded',
  '',
  'Inner body.',
  '--outer--',
  'epilogue',
  '',
]);

test('envelope: raw values, defaults for sender and reply-to, groups, message ids', () => {
  const { envelope } = parseMessage(MESSAGE);
  assert.equal(envelope.subject, '=?UTF-8?B?UXVhcnRlcmx5IHLDqXN1bcOp?=');
  assert.equal(envelope.date, 'Mon, 1 Jun 2026 12:00:00 +0000');
  assert.deepEqual(envelope.from, [{ name: 'Alice Liddell', mailbox: 'alice', host: 'example.com' }]);
  assert.deepEqual(envelope.sender, [{ name: null, mailbox: 'secretary', host: 'example.com' }]);
  assert.deepEqual(envelope.replyTo, envelope.from);
  assert.deepEqual(envelope.to, [
    { name: 'Bob', mailbox: 'bob', host: 'org-a.example' },
    { name: null, mailbox: 'carol', host: 'org-a.example' },
  ]);
  assert.deepEqual(envelope.cc, [
    {
      group: 'Friends',
      members: [
        { name: null, mailbox: 'dan', host: 'example.net' },
        { name: 'Erin E.', mailbox: 'erin', host: 'example.net' },
      ],
    },
  ]);
  assert.equal(envelope.bcc, null);
  assert.equal(envelope.messageId, '<abc@example.com>');
  assert.equal(envelope.inReplyTo, '<prev@example.com>');
});

test('body structure: the MIME tree with types, parameters, encodings, sizes, lines, disposition and a nested message', () => {
  const { body } = parseMessage(MESSAGE);
  assert.equal(`${body.type}/${body.subtype}`, 'multipart/mixed');
  assert.equal(body.params.boundary, 'outer');
  assert.equal(body.parts!.length, 3);
  const [alternative, attachment, forwarded] = body.parts!;
  assert.equal(`${alternative.type}/${alternative.subtype}`, 'multipart/alternative');
  const [plain, html] = alternative.parts!;
  assert.deepEqual([plain.type, plain.subtype, plain.params, plain.encoding], ['text', 'plain', { charset: 'utf-8' }, 'quoted-printable']);
  const plainBody = 'The r=C3=A9sum=C3=A9 mentions a zeppelin.\r\nSecond line.';
  assert.equal(plain.size, Buffer.byteLength(plainBody));
  assert.equal(plain.lines, 2);
  assert.equal(html.encoding, '7bit');
  assert.equal(html.size, Buffer.byteLength('<p>The <b>résumé</b></p>'));
  assert.deepEqual([attachment.type, attachment.subtype, attachment.params], ['application', 'pdf', { name: 'report.pdf' }]);
  assert.equal(attachment.encoding, 'base64');
  assert.equal(attachment.size, pdf.length);
  assert.equal(attachment.lines, undefined);
  assert.deepEqual(attachment.disposition, { type: 'attachment', params: { filename: 'résumé.pdf' } });
  assert.equal(attachment.id, '<part3@example.com>');
  assert.equal(attachment.description, 'The report');
  assert.deepEqual(attachment.language, ['en', 'fr']);
  assert.equal(`${forwarded.type}/${forwarded.subtype}`, 'message/rfc822');
  assert.equal(forwarded.lines, 4);
  assert.equal(forwarded.message!.envelope.subject, 'Forwarded');
  assert.deepEqual(forwarded.message!.envelope.from, [{ name: null, mailbox: 'old', host: 'example.org' }]);
  assert.deepEqual([forwarded.message!.body.type, forwarded.message!.body.subtype, forwarded.message!.body.size], ['text', 'plain', 'Inner body.'.length]);
});

test('search text: decoded subject, addresses and body text (quoted-printable, HTML without tags), no attachment bytes', () => {
  const { text } = parseMessage(MESSAGE);
  assert.equal(text.subject, 'Quarterly résumé');
  assert.match(text.addresses, /alice@example\.com/);
  assert.match(text.body, /The résumé mentions a zeppelin\./);
  assert.match(text.body, /The\s+résumé/);
  assert.doesNotMatch(text.body, /PDF/);
  assert.match(text.body, /Inner body/);
});

test('a message without MIME headers is one text/plain part in us-ascii', () => {
  const { body } = parseMessage(crlf(['Subject: plain', '', 'one', 'two', '']));
  assert.deepEqual([body.type, body.subtype, body.params, body.encoding, body.size, body.lines], ['text', 'plain', { charset: 'us-ascii' }, '7bit', 'one\r\ntwo\r\n'.length, 2]);
});

test('nesting is bounded: past the depth limit a multipart is one opaque part', () => {
  const depth = MAX_DEPTH + 5;
  const lines: string[] = ['Subject: deep', `Content-Type: multipart/mixed; boundary=b0`, ''];
  for (let i = 1; i < depth; i++) lines.push(`--b${i - 1}`, `Content-Type: multipart/mixed; boundary=b${i}`, '');
  lines.push(`--b${depth - 1}`, 'Content-Type: text/plain', '', 'bottom');
  for (let i = depth - 1; i >= 0; i--) lines.push(`--b${i}--`);
  const { body } = parseMessage(crlf(lines));
  let level = 0;
  let part = body;
  while (part.parts) {
    part = part.parts[0];
    level++;
  }
  assert.equal(level, MAX_DEPTH);
  assert.deepEqual([part.type, part.subtype], ['application', 'octet-stream']);
});

test('address lists: comments, quoted names with commas, bare addresses, route-less angles', () => {
  assert.deepEqual(parseAddressList('"Doe, John" <john@example.com> (work), jane@example.com, <x@y.z>'), [
    { name: 'Doe, John', mailbox: 'john', host: 'example.com' },
    { name: null, mailbox: 'jane', host: 'example.com' },
    { name: null, mailbox: 'x', host: 'y.z' },
  ]);
  assert.deepEqual(parseAddressList('undisclosed-recipients:;'), [{ group: 'undisclosed-recipients', members: [] }]);
});
