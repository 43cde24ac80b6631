// parseRelayUrl: the smarthost URL of --relay / GODWIT_RELAY, and refusals that name the mistake
// without repeating the password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRelayUrl, RelayUrlError } from '../../src/mail/outbound/relay-url.ts';

test('smtp:// and smtps:// with credentials, percent-decoded, and default ports', () => {
  assert.deepEqual(parseRelayUrl('smtp://user%40acme:p%40ss%3Aw@relay.example:2525'), { secure: false, host: 'relay.example', port: 2525, auth: { user: 'user@acme', pass: 'p@ss:w' } });
  assert.deepEqual(parseRelayUrl('smtps://relay.example'), { secure: true, host: 'relay.example', port: 465, auth: undefined });
  assert.deepEqual(parseRelayUrl('SMTP://relay.example/'), { secure: false, host: 'relay.example', port: 587, auth: undefined });
  assert.deepEqual(parseRelayUrl('smtp://[::1]:25'), { secure: false, host: '::1', port: 25, auth: undefined });
});

test('each mistake is named, and the password never appears in the message', () => {
  const cases: [string, RegExp][] = [
    ['', /it is empty/],
    ['relay.example:587', /scheme 'relay.example:' is not smtp: or smtps:/],
    ['http://u:secret@relay.example', /the scheme 'http:' is not smtp: or smtps:/],
    ['smtp:relay.example', /'smtp:' must be followed by '\/\/' and the host/],
    ['smtp://u:secret@relay.example:99999', /the port 99999 is not between 1 and 65535/],
    ['smtp://u:secret@relay.example:0', /the port 0 is not between 1 and 65535/],
    ['smtp://u:secret@relay.example:abc', /the port 'abc' is not a number/],
    ['smtp://u:secret@:25', /the host is missing|is not a URL/],
    ['smtp://u@relay.example', /the user 'u' has no password/],
    ['smtp://:secret@relay.example', /a password is given without a user name/],
    ['smtp://u:secret@relay.example/mail', /a path \('\/mail'\) is not allowed/],
    ['smtp://u:secret@relay.example?tls=1', /a query \('\?tls=1'\) is not allowed/],
    ['smtp://u:secret@relay.example#x', /a fragment/],
    ['smtp://u:sec%ZZret@relay.example', /broken percent-encoding|is not a URL/],
  ];
  for (const [url, expected] of cases) {
    assert.throws(
      () => parseRelayUrl(url),
      (error: unknown) => {
        assert.ok(error instanceof RelayUrlError, url);
        assert.match(error.message, expected, url);
        assert.match(error.message, /^relay URL: /);
        assert.doesNotMatch(error.message, /secret/, `${url}: the password leaked`);
        return true;
      },
    );
  }
});
