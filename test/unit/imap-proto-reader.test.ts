// The IMAP wire reader (src/imap/proto/command-reader.ts): commands fed in pieces, literals
// synchronizing and not, and each bound refused with a reason, never a throw or a held buffer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandReader, type ReaderLimits } from '../../src/imap/proto/command-reader.ts';
import type { ReaderEvent, Token } from '../../src/imap/proto/tokens.ts';

const LIMITS: ReaderLimits = {
  maxCommandBytes: 1024,
  maxNestingDepth: 4,
  maxArguments: 50,
  literalLimit: (name) => (name === 'APPEND' ? 10_000 : 100),
};

function readAll(input: string | Buffer, limits = LIMITS, chunk = Infinity): ReaderEvent[] {
  const reader = new CommandReader(limits);
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, 'latin1');
  const events: ReaderEvent[] = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    reader.push(bytes.subarray(at, Math.min(bytes.length, at + chunk)));
    for (let event = reader.next(); event; event = reader.next()) events.push(event);
  }
  return events;
}

const plain = (token: Token): unknown => {
  if (token.type === 'atom') return token.value;
  if (token.type === 'list') return token.items.map(plain);
  return { [token.type]: token.value.toString('latin1') };
};
const commands = (events: ReaderEvent[]) =>
  events.map((e) => (e.type === 'command' ? { tag: e.command.tag, name: e.command.name, uid: e.command.uid, args: e.command.args.map(plain) } : e));

test('tag, command name, atoms, quoted strings with escapes, lists, NIL and sequence sets as atoms', () => {
  const events = readAll('a1 login alice "pa\\"ss\\\\word"\r\nA2 UID FETCH 1:*,5 (FLAGS BODY.PEEK[HEADER.FIELDS (From To)]<0.100>) NIL\r\n');
  assert.deepEqual(commands(events), [
    { tag: 'a1', name: 'LOGIN', uid: false, args: ['alice', { quoted: 'pa"ss\\word' }] },
    { tag: 'A2', name: 'FETCH', uid: true, args: ['1:*,5', ['FLAGS', 'BODY.PEEK[HEADER.FIELDS (From To)]<0.100>'], 'NIL'] },
  ]);
});

test('the same commands read one octet at a time, and LF alone ends a line too', () => {
  const input = 'a1 LOGIN {5}\r\nalice {3+}\r\npwd\r\na2 NOOP\n';
  const whole = commands(readAll(input));
  assert.deepEqual(commands(readAll(input, LIMITS, 1)), whole);
  assert.deepEqual(whole, [
    { type: 'continue', size: 5 },
    { tag: 'a1', name: 'LOGIN', uid: false, args: [{ literal: 'alice' }, { literal: 'pwd' }] },
    { tag: 'a2', name: 'NOOP', uid: false, args: [] },
  ]);
});

test('a literal holds any octets, CRLF and 8-bit included; LITERAL+ asks for no continuation', () => {
  const body = Buffer.from('Subject: hé\r\n\r\nline\r\n', 'utf8');
  const events = readAll(Buffer.concat([Buffer.from(`a APPEND INBOX (\\Seen) {${body.length}+}\r\n`), body, Buffer.from('\r\n')]));
  assert.equal(events.length, 1);
  const command = events[0].type === 'command' ? events[0].command : assert.fail('no command');
  const literal = command.args[2];
  assert.equal(literal.type, 'literal');
  assert.deepEqual(literal.type === 'literal' && literal.value, body);
  assert.deepEqual(plain(command.args[1]), ['\\Seen']);
});

test('an empty literal is an empty string, complete at once', () => {
  assert.deepEqual(commands(readAll('a LOGIN {0}\r\n {0+}\r\n\r\nb NOOP\r\n')), [
    { type: 'continue', size: 0 },
    { tag: 'a', name: 'LOGIN', uid: false, args: [{ literal: '' }, { literal: '' }] },
    { tag: 'b', name: 'NOOP', uid: false, args: [] },
  ]);
});

test('a synchronizing literal over the limit is refused before the client sends it; the next command is read', () => {
  const events = readAll('a LOGIN {101}\r\nb NOOP\r\n');
  assert.deepEqual(events[0], { type: 'too-big', tag: 'a', name: 'LOGIN', size: 101, limit: 100 });
  assert.deepEqual(commands(events.slice(1)), [{ tag: 'b', name: 'NOOP', uid: false, args: [] }]);
});

test('a non-synchronizing literal over the limit is skipped without being kept, the rest of its command too', () => {
  const reader = new CommandReader(LIMITS);
  reader.push(Buffer.from('a APPEND INBOX {20000+}\r\n'));
  assert.deepEqual(reader.next(), { type: 'too-big', tag: 'a', name: 'APPEND', size: 20000, limit: 10_000 });
  for (let i = 0; i < 20; i++) {
    reader.push(Buffer.alloc(1000, 0x41));
    assert.equal(reader.next(), undefined);
    assert.ok(reader.buffered < 1000, 'the skipped octets are not held');
  }
  reader.push(Buffer.from(' more {3+}\r\nabc\r\nb NOOP\r\n'));
  const next = reader.next();
  assert.equal(next?.type, 'command');
  assert.equal(next?.type === 'command' && next.command.tag, 'b');
});

test('a line over the limit is BAD with its tag, dropped as it streams in, and the session reads on', () => {
  const reader = new CommandReader(LIMITS);
  reader.push(Buffer.from('t1 LOGIN ' + 'x'.repeat(2000)));
  const event = reader.next();
  assert.equal(event?.type, 'error');
  assert.equal(event?.type === 'error' && event.error.tag, 't1');
  assert.match(event?.type === 'error' ? event.error.reason : '', /longer than 1024 octets/);
  reader.push(Buffer.alloc(5000, 0x78));
  assert.equal(reader.next(), undefined);
  assert.ok(reader.buffered === 0);
  reader.push(Buffer.from('yyy\r\nt2 NOOP\r\n'));
  assert.deepEqual(commands([reader.next()!]), [{ tag: 't2', name: 'NOOP', uid: false, args: [] }]);
});

test('syntax errors come back with a tag when there is one and a positioned reason', () => {
  const cases: [string, string | null, RegExp][] = [
    ['\r\n', null, /Empty command line/],
    ['+tag NOOP\r\n', null, /tag/],
    ['a1\r\n', 'a1', /Missing command name/],
    ['a1 LOGIN "unterminated\r\n', 'a1', /without its closing quote at octet/],
    ['a1 LOGIN "bad\\escape"\r\n', 'a1', /escapes only/],
    ['a1 X (a (b)\r\n', 'a1', /"\(" without "\)"/],
    ['a1 X a)\r\n', 'a1', /"\)" without "\("/],
    ['a1 X ((((((deep))))))\r\n', 'a1', /nested deeper than 4 levels/],
    ['a1 X "a"b\r\n', 'a1', /no space between/],
    ['a1 X {3}x\r\n', 'a1', /does not begin a literal/],
    ['a1 X caf\xe9\r\n', 'a1', /8-bit octet outside a string/],
    ['a1 X ' + 'a '.repeat(60) + '\r\n', 'a1', /more than 50 arguments/],
  ];
  for (const [input, tag, reason] of cases) {
    const events = readAll(input);
    assert.equal(events.length, 1, input);
    const event = events[0];
    assert.equal(event.type, 'error', input);
    if (event.type !== 'error') continue;
    assert.equal(event.error.tag, tag, input);
    assert.match(event.error.reason, reason, input);
  }
});

test('STARTTLS: what was buffered behind it is forgotten', () => {
  const reader = new CommandReader(LIMITS);
  reader.push(Buffer.from('a STARTTLS\r\nb LOGIN injected x\r\n'));
  assert.equal(reader.next()?.type, 'command');
  reader.discardBuffered();
  assert.equal(reader.next(), undefined);
  assert.equal(reader.buffered, 0);
});

test('a SASL line is read raw, bounded', () => {
  const reader = new CommandReader(LIMITS);
  reader.push(Buffer.from('AGFsaWNlAHB3\r\n'));
  assert.deepEqual(reader.nextLine(100), { line: Buffer.from('AGFsaWNlAHB3') });
  reader.push(Buffer.alloc(200, 0x41));
  assert.deepEqual(reader.nextLine(100), { tooLong: true });
});
