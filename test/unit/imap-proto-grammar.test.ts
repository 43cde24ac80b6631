// One-line command grammars (src/imap/proto/grammar.ts) and sequence sets (sequence-set.ts):
// what later commands will declare, checked against the reader's tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandReader } from '../../src/imap/proto/command-reader.ts';
import { compileGrammar, matchGrammar } from '../../src/imap/proto/grammar.ts';
import { expandSequenceSet, parseSequenceSet, resolveSequenceSet, sequenceSetHas, STAR } from '../../src/imap/proto/sequence-set.ts';
import type { Token } from '../../src/imap/proto/tokens.ts';
import { COMMANDS } from '../../src/imap/commands/index.ts';

const LIMITS = { maxSequenceRanges: 100 };

function args(line: string): Token[] {
  const reader = new CommandReader({ maxCommandBytes: 4096, maxNestingDepth: 8, maxArguments: 100, literalLimit: () => 1000 });
  reader.push(Buffer.from(`t X ${line}\r\n`, 'latin1'));
  for (let event = reader.next(); event; event = reader.next()) {
    if (event.type === 'command') return event.command.args;
    if (event.type === 'error') throw new Error(event.error.reason);
  }
  throw new Error('no command');
}

/** A set that must parse. */
function set(text: string) {
  const parsed = parseSequenceSet(text, 10);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.set;
}

const match = (grammar: string, line: string) => matchGrammar(compileGrammar(grammar), args(line), LIMITS);

test('LOGIN: two astrings, atoms or strings; a list or a missing one is refused with a reason', () => {
  assert.deepEqual(match('astring astring', 'alice "secret pw"'), { ok: true, values: ['alice', 'secret pw'] });
  assert.deepEqual(match('astring astring', 'alice'), { ok: false, reason: 'missing arguments' });
  assert.deepEqual(match('astring astring', 'alice (x)'), { ok: false, reason: 'expected an atom or a string, not a parenthesized list' });
  assert.deepEqual(match('astring astring', 'a b c'), { ok: false, reason: 'unexpected the atom "c" after the arguments' });
  assert.equal(match('astring', 'a%b').ok, false, 'list wildcards are no astring');
});

test('SELECT mailbox [(params)]: INBOX in any case, optional list', () => {
  assert.deepEqual(match('mailbox [list]', 'inBox'), { ok: true, values: ['INBOX', undefined] });
  const withParams = match('mailbox [list]', '"Sent Items" (CONDSTORE)');
  assert.equal(withParams.ok && withParams.values[0], 'Sent Items');
  assert.deepEqual(withParams.ok && withParams.values[1], [{ type: 'atom', value: 'CONDSTORE' }]);
});

test('APPEND mailbox [flags] [date] message: backtracking gives a lone literal to the message', () => {
  const grammar = 'mailbox [list] [string] message';
  const lone = match(grammar, 'INBOX {2+}\r\nhi');
  assert.equal(lone.ok, true);
  assert.deepEqual(lone.ok && lone.values.slice(0, 3), ['INBOX', undefined, undefined]);
  assert.deepEqual(lone.ok && lone.values[3], Buffer.from('hi'));
  const full = match(grammar, 'INBOX (\\Seen) "17-Jul-1996 02:44:25 -0700" {2+}\r\nhi');
  assert.deepEqual(full.ok && full.values[2], '17-Jul-1996 02:44:25 -0700');
});

test('FETCH seq-set atom|list, ENABLE atom+, numbers and nstring', () => {
  const fetch = match('seq-set atom|list', '1:*,5 FLAGS');
  assert.deepEqual(fetch.ok && fetch.values, [[{ from: 1, to: STAR }, { from: 5, to: 5 }], 'FLAGS']);
  assert.equal(match('seq-set atom|list', '0 FLAGS').ok, false);
  assert.deepEqual(match('atom+', 'CONDSTORE QRESYNC'), { ok: true, values: [['CONDSTORE', 'QRESYNC']] });
  assert.equal(match('atom+', '').ok, false);
  assert.deepEqual(match('number nz-number nstring nstring', '0 7 NIL "x"'), { ok: true, values: [0, 7, null, 'x'] });
  assert.equal(match('nz-number', '0').ok, false);
  assert.equal(match('number', '99999999999').ok, false);
});

test('a grammar naming an unknown type fails at load; every command grammar compiles', () => {
  assert.throws(() => compileGrammar('astring nonsense'), /unknown type "nonsense"/);
  for (const spec of COMMANDS.values()) assert.ok(spec.grammar.terms, spec.name);
});

test('sequence sets: *, reversed ranges, merged and bounded by the mailbox', () => {
  const mixed = set('9:7,1,3:*,2');
  assert.deepEqual(resolveSequenceSet(mixed, 5), [{ from: 1, to: 5 }]);
  assert.deepEqual(resolveSequenceSet(set('9:7,2'), 20), [
    { from: 2, to: 2 },
    { from: 7, to: 9 },
  ]);
  assert.deepEqual([...expandSequenceSet(mixed, 3)], [1, 2, 3]);
  assert.deepEqual([...expandSequenceSet(mixed, 0)], []);
  assert.equal(sequenceSetHas(mixed, 4, 4), true);
  assert.equal(sequenceSetHas(set('1,9:7'), 8, 100), true);
  // n:* with n beyond the largest still names the largest (RFC 3501 section 6.4.8 for UIDs).
  assert.deepEqual(resolveSequenceSet(set('50:*'), 7), [{ from: 7, to: 7 }]);
  // A set of a billion numbers is walked only over the mailbox.
  assert.deepEqual([...expandSequenceSet(set('1:4000000000'), 3)], [1, 2, 3]);
});

test('sequence sets: malformed and too many ranges are refused with a reason', () => {
  for (const bad of ['', '0', '1:', ':5', '1,,2', 'a', '1:2:3', '01', '4294967296', '1.5']) {
    const parsed = parseSequenceSet(bad, 10);
    assert.equal(parsed.ok, false, bad);
  }
  assert.deepEqual(parseSequenceSet('1,2,3', 2), { ok: false, reason: 'a sequence set of more than 2 ranges' });
});
