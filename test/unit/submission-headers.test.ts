// What submission reads from a message's header (src/smtp/submission-headers.ts): every From
// and Sender address, however the field is folded or written, and the Date and Message-ID it
// adds only when they are missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressesOf, headerFields, missingOriginFields } from '../../src/smtp/submission-headers.ts';

const message = (text: string) => Buffer.from(text.replace(/\n/g, '\r\n'));

test('From addresses: display names, comments, quoted names, folding, several fields and groups', () => {
  const fields = headerFields(
    message(
      'Subject: x\nFrom: "Smith, Alice" <alice@a.example>,\n\tbob@b.example (Bob),\n =?utf-8?q?Caf=C3=A9?= <carol@c.example>\nFrom: team: dave@d.example, erin@e.example;\nSender: <ALICE@a.example>\n\nFrom: body@not.header\n',
    ),
  );
  assert.deepEqual(addressesOf(fields, 'from'), ['alice@a.example', 'bob@b.example', 'carol@c.example', 'dave@d.example', 'erin@e.example']);
  assert.deepEqual(addressesOf(fields, 'sender'), ['ALICE@a.example']);
});

test('an address without a domain is kept (so the check refuses it); an empty group or no From gives none', () => {
  assert.deepEqual(addressesOf(headerFields(message('From: alice\n\nx')), 'from'), ['alice']);
  assert.deepEqual(addressesOf(headerFields(message('From: undisclosed-recipients:;\n\nx')), 'from'), []);
  assert.deepEqual(addressesOf(headerFields(message('Subject: none\n\nFrom: a@b.example')), 'from'), []);
  assert.deepEqual(headerFields(message('\nFrom: a@b.example')), [], 'a message starting with its empty line has no header');
});

test('Date and Message-ID are added only when missing, the Message-ID in the given domain', () => {
  const at = new Date('2026-12-02T18:30:05Z');
  const none = missingOriginFields(headerFields(message('From: a@b.example\n\nx')), at, 'acme.example');
  assert.match(none, /^Date: Wed, 02 Dec 2026 18:30:05 \+0000\r\nMessage-ID: <[0-9a-f-]{36}@acme\.example>\r\n$/);
  assert.equal(missingOriginFields(headerFields(message('date: Tue, 1 Dec 2026 10:00:00 +0100\nMESSAGE-ID: <x@y>\n\nx')), at, 'acme.example'), '');
});
