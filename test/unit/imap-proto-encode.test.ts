// The IMAP response encoder (src/imap/proto/encode.ts, body-structure.ts): strings quoted or as
// literals, lists and NIL, status lines that cannot be split, and ENVELOPE / BODY /
// BODYSTRUCTURE from messages parsed by the mailbox store, against RFC 3501's own examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atom, continuation, encodeString, encodeValue, status, untagged } from '../../src/imap/proto/encode.ts';
import { encodeBodyStructure, encodeEnvelope } from '../../src/imap/proto/body-structure.ts';
import { parseMessage } from '../../src/mail/store/mime.ts';

const text = (b: Buffer) => b.toString('latin1');

test('strings: quoted with their two escapes, literal for CR, LF, NUL, 8-bit or length', () => {
  assert.equal(text(encodeString('plain')), '"plain"');
  assert.equal(text(encodeString('say "hi" \\o/')), '"say \\"hi\\" \\\\o/"');
  assert.equal(text(encodeString('two\r\nlines')), '{10}\r\ntwo\r\nlines');
  assert.equal(text(encodeString('café')), '{5}\r\ncaf\xc3\xa9');
  assert.equal(text(encodeString('x'.repeat(2000))).slice(0, 8), '{2000}\r\n');
  assert.equal(text(encodeString('')), '""');
});

test('values, untagged, tagged, continuation lines', () => {
  assert.equal(text(encodeValue([null, 5, atom('\\Seen'), 'a', []])), '(NIL 5 \\Seen "a" ())');
  assert.equal(text(untagged(atom('CAPABILITY'), atom('IMAP4rev1'))), '* CAPABILITY IMAP4rev1\r\n');
  assert.equal(text(status('a1', 'NO', 'no\r\n* BYE forged', 'AUTHENTICATIONFAILED')), 'a1 NO [AUTHENTICATIONFAILED] no * BYE forged\r\n');
  assert.equal(text(status(null, 'BAD', 'x')), '* BAD x\r\n');
  assert.equal(text(continuation()), '+ \r\n');
});

// RFC 3501 section 8's FETCH example, as a message: 3028 octets and 92 lines of US-ASCII text.
const bodyLines = [...Array.from({ length: 84 }, () => 'a'.repeat(31)), ...Array.from({ length: 8 }, () => 'b'.repeat(30))];
const RFC_EXAMPLE = Buffer.from(
  [
    'Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)',
    'From: Terry Gray <gray@cac.washington.edu>',
    'Subject: IMAP4rev1 WG mtg summary and minutes',
    'To: imap@cac.washington.edu',
    'cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>',
    'Message-Id: <B27397-0100000@cac.washington.edu>',
    'MIME-Version: 1.0',
    'Content-Type: TEXT/PLAIN; CHARSET=US-ASCII',
    '',
    bodyLines.join('\r\n') + '\r\n',
  ].join('\r\n'),
);

test('ENVELOPE of RFC 3501 section 8 example', () => {
  const parsed = parseMessage(RFC_EXAMPLE);
  assert.equal(
    text(encodeEnvelope(parsed.envelope)),
    '("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" ' +
      '(("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ' +
      '(("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ' +
      '((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL ' +
      '"<B27397-0100000@cac.washington.edu>")',
  );
});

test('BODY of RFC 3501 section 8 example, and its BODYSTRUCTURE with the extension data', () => {
  const parsed = parseMessage(RFC_EXAMPLE);
  assert.equal(text(encodeBodyStructure(parsed.body, false)), '("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92)');
  assert.equal(text(encodeBodyStructure(parsed.body, true)), '("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92 NIL NIL NIL NIL)');
});

test('a multipart with an attachment and an attached message: parts without spaces, extension data, the inner envelope', () => {
  const raw = Buffer.from(
    [
      'From: =?utf-8?q?J=C3=B6rg?= <jorg@example.org>',
      'To: undisclosed-recipients:;',
      'Subject: files',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Gr=C3=BC=C3=9Fe',
      '--b1',
      'Content-Type: application/pdf; name="r.pdf"',
      'Content-Disposition: attachment; filename="r.pdf"',
      'Content-Transfer-Encoding: base64',
      'Content-Language: en, de',
      '',
      'JVBERi0=',
      '--b1',
      'Content-Type: message/rfc822',
      '',
      'From: a@b.example',
      'Subject: inner',
      '',
      'hi',
      '--b1--',
      '',
    ].join('\r\n'),
  );
  const parsed = parseMessage(raw);
  assert.equal(
    text(encodeEnvelope(parsed.envelope)),
    '(NIL "files" (("=?utf-8?q?J=C3=B6rg?=" NIL "jorg" "example.org")) (("=?utf-8?q?J=C3=B6rg?=" NIL "jorg" "example.org")) ' +
      '(("=?utf-8?q?J=C3=B6rg?=" NIL "jorg" "example.org")) ((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) NIL NIL NIL NIL)',
  );
  const body = text(encodeBodyStructure(parsed.body, false));
  assert.match(body, /^\(\("TEXT" "PLAIN" \("CHARSET" "utf-8"\) NIL NIL "QUOTED-PRINTABLE" \d+ 1\)\("APPLICATION" "PDF" \("NAME" "r.pdf"\) NIL NIL "BASE64" 8\)\("MESSAGE" "RFC822" NIL NIL NIL "7BIT" \d+ \(NIL "inner" /);
  assert.match(body, /\("TEXT" "PLAIN" \("CHARSET" "us-ascii"\) NIL NIL "7BIT" \d+ \d+\) \d+\) "MIXED"\)$/);
  const structure = text(encodeBodyStructure(parsed.body, true));
  assert.match(structure, /"BASE64" 8 NIL \("ATTACHMENT" \("FILENAME" "r.pdf"\)\) \("en" "de"\) NIL\)/);
  assert.match(structure, /"MIXED" \("BOUNDARY" "b1"\) NIL NIL NIL\)$/);
});

test('8-bit header text goes out as a literal, never as raw octets in a quoted string', () => {
  const parsed = parseMessage(Buffer.from('Subject: Grüße\r\nFrom: a@b.example\r\n\r\nx\r\n', 'utf8'));
  const envelope = encodeEnvelope(parsed.envelope);
  assert.ok(envelope.includes(Buffer.from('{7}\r\nGrüße', 'utf8')), text(envelope));
});
