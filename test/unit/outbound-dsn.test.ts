// The DSN the queue files for failed recipients: RFC 3464 fields per recipient inside an
// RFC 6522 multipart/report, CRLF only, read back through the mailbox store's own MIME parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDsn } from '../../src/mail/outbound/dsn.ts';
import { parseMessage } from '../../src/mail/store/mime.ts';

const original = Buffer.from('From: alice@acme.example\r\nTo: bob@remote.example\r\nSubject: hello\r\n\r\nthe body, which is not quoted\r\n');

test('a multipart/report with a text part, one delivery-status block per recipient, and the original header', () => {
  const raw = buildDsn({
    reportingMta: 'mail.godwit.test',
    sender: 'alice@acme.example',
    original,
    arrivedAt: new Date('2026-12-01T12:00:00Z'),
    now: new Date('2026-12-01T12:05:00Z'),
    failed: [
      { recipient: 'bob@remote.example', status: '5.1.1', diagnostic: '550 5.1.1 no such user', remoteMta: 'mx.remote.example', lastAttemptAt: new Date('2026-12-01T12:04:00Z') },
      { recipient: 'carol@other.example', status: '5.4.7', diagnostic: 'mx.other.example: ECONNREFUSED\r\nInjected: header', remoteMta: undefined, lastAttemptAt: undefined },
    ],
  });
  const text = raw.toString('utf8');
  assert.doesNotMatch(text, /[^\r]\n/, 'CRLF only');
  assert.match(text, /^From: Mail Delivery System <MAILER-DAEMON@mail\.godwit\.test>\r$/m);
  assert.match(text, /^Auto-Submitted: auto-replied\r$/m);
  assert.match(text, /^Content-Type: multipart\/report; report-type=delivery-status; boundary="[^"]+"\r$/m);
  assert.match(text, /^Reporting-MTA: dns; mail\.godwit\.test\r\nArrival-Date: Tue, 01 Dec 2026 12:00:00 \+0000\r$/m);
  assert.match(
    text,
    /\r\nFinal-Recipient: rfc822; bob@remote\.example\r\nAction: failed\r\nStatus: 5\.1\.1\r\nRemote-MTA: dns; mx\.remote\.example\r\nDiagnostic-Code: smtp; 550 5\.1\.1 no such user\r\nLast-Attempt-Date: Tue, 01 Dec 2026 12:04:00 \+0000\r\n/,
  );
  assert.match(text, /\r\nFinal-Recipient: rfc822; carol@other\.example\r\nAction: failed\r\nStatus: 5\.4\.7\r\nDiagnostic-Code: x-godwit; mx\.other\.example: ECONNREFUSED Injected: header\r\n/);
  assert.doesNotMatch(text, /^Injected:/m, 'a remote reply cannot add a header field');
  assert.match(text, /Subject: hello\r\n/);
  assert.doesNotMatch(text, /the body, which is not quoted/);

  const parsed = parseMessage(raw);
  const structure = parsed.body as unknown as { type: string; subtype: string; params: Record<string, string>; parts: { type: string; subtype: string }[] };
  assert.equal(`${structure.type}/${structure.subtype}`, 'multipart/report');
  assert.equal(structure.params['report-type'], 'delivery-status');
  assert.deepEqual(structure.parts.map((part) => `${part.type}/${part.subtype}`), ['text/plain', 'message/delivery-status', 'text/rfc822-headers']);
});
