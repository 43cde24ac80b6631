import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson, PolicySyntaxError, MalformedPolicyError, type JsonObject } from '../../../src/iam/policy/index.ts';

function syntaxError(text: string): PolicySyntaxError {
  try {
    parseJson(text);
  } catch (e) {
    assert.ok(e instanceof PolicySyntaxError, `expected PolicySyntaxError, got ${String(e)}`);
    assert.ok(e instanceof MalformedPolicyError);
    return e;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be refused`);
}

test('values carry 1-based start and end positions, members keep key positions', () => {
  const root = parseJson('{\n  "a": [1, true],\n  "b": "x"\n}') as JsonObject;
  assert.equal(root.kind, 'object');
  assert.deepEqual(root.start, { line: 1, column: 1, offset: 0 });
  assert.deepEqual(root.end, { line: 4, column: 2, offset: 32 });
  const [a, b] = root.members;
  assert.deepEqual(a!.keyStart, { line: 2, column: 3, offset: 4 });
  assert.deepEqual(a!.keyEnd, { line: 2, column: 6, offset: 7 });
  assert.equal(a!.value.kind, 'array');
  assert.deepEqual(a!.value.start, { line: 2, column: 8, offset: 9 });
  assert.deepEqual(a!.value.end, { line: 2, column: 17, offset: 18 });
  assert.equal(b!.value.kind, 'string');
  assert.deepEqual(b!.value.start, { line: 3, column: 8, offset: 27 });
});

test('CRLF and lone CR each count as one line break', () => {
  // Line 2 ends with CRLF, line 3 is empty between two lone CRs.
  const e = syntaxError('{\r\n"a": 1\r\r x}');
  assert.equal(e.line, 4);
  assert.equal(e.column, 2);
});

test('parses strings with every escape and numbers in every form', () => {
  const root = parseJson('["a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00", -0, 12.5e-3, 1E+2, 0.5]');
  assert.equal(root.kind, 'array');
  const items = root.kind === 'array' ? root.items : [];
  assert.deepEqual(items[0], { ...items[0], value: 'a"b\\c/d\b\f\n\r\t\u00e9\ud83d\ude00' });
  const nums = items.slice(1).map((n) => (n.kind === 'number' ? [n.value, n.raw] : null));
  assert.deepEqual(nums, [[-0, '-0'], [0.0125, '12.5e-3'], [100, '1E+2'], [0.5, '0.5']]);
});

test('error messages carry the position and what was found', () => {
  const e = syntaxError('[1 2]');
  assert.equal(e.message, "line 1, column 4: expected ',' or ']' after array element, found '2'");
  assert.equal(e.reason, "expected ',' or ']' after array element, found '2'");
  assert.equal(e.offset, 3);
});

const refusals: [string, string, number, number][] = [
  ['trailing comma in array', '[1, 2,]', 1, 7],
  ['trailing comma in object', '{"a": 1,}', 1, 9],
  ['line comment', '{"a": 1 // no\n}', 1, 9],
  ['block comment', '/* c */ {}', 1, 1],
  ['hash comment', '{"a": 1}\n# c', 2, 1],
  ['single-quoted value', "{\"a\": 'x'}", 1, 7],
  ['single-quoted key', "{'a': 1}", 1, 2],
  ['unquoted key', '{a: 1}', 1, 2],
  ['raw newline in string', '["a\nb"]', 1, 4],
  ['raw tab in string', '["a\tb"]', 1, 4],
  ['leading zero', '[01]', 1, 3],
  ['leading zero after minus', '[-01]', 1, 4],
  ['bare minus', '[-]', 1, 3],
  ['dot without digits', '[1.]', 1, 4],
  ['exponent without digits', '[1e]', 1, 4],
  ['plus sign', '[+1]', 1, 2],
  ['NaN', '[NaN]', 1, 2],
  ['bad escape', '["\\x"]', 1, 3],
  ['short unicode escape', '["\\u12"]', 1, 3],
  ['unterminated string', '["abc', 1, 6],
  ['unterminated array', '[1', 1, 3],
  ['missing colon', '{"a" 1}', 1, 6],
  ['trailing garbage', '{} x', 1, 4],
  ['truncated literal', '[tru]', 1, 2],
  ['empty document', '  ', 1, 3],
];

for (const [name, text, line, column] of refusals) {
  test(`refuses ${name} at line ${line}, column ${column}`, () => {
    const e = syntaxError(text);
    assert.equal([e.line, e.column].join(':'), `${line}:${column}`, e.message);
  });
}

test('a } after the document is reported as such', () => {
  const e = syntaxError('{"a": [1]} }');
  assert.equal(e.message, "line 1, column 12: unexpected '}' after the end of the policy document");
});

test('duplicate keys are refused at the second occurrence', () => {
  const e = syntaxError('{"Effect": "Allow",\n "Effect": "Deny"}');
  assert.equal(e.line, 2);
  assert.equal(e.column, 2);
  assert.match(e.message, /duplicate key "Effect" \(first at line 1, column 2\)/);
});

test('keys differing only in case are not duplicates for JSON', () => {
  assert.doesNotThrow(() => parseJson('{"a": 1, "A": 2}'));
});

test('control characters are described by code point', () => {
  const e = syntaxError('["\u0001"]');
  assert.match(e.message, /control character U\+0001 must be escaped/);
});

test('deep nesting is refused rather than overflowing the stack', () => {
  const e = syntaxError('['.repeat(100000));
  assert.match(e.message, /nested more than/);
});

test('a managed-policy-sized document parses in well under a millisecond', () => {
  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: Array.from({ length: 20 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: ['s3:Get*', 'iam:List*'], Resource: '*' })),
  });
  for (let i = 0; i < 200; i++) parseJson(doc);
  const started = process.hrtime.bigint();
  const n = 2000;
  for (let i = 0; i < n; i++) parseJson(doc);
  const micros = Number(process.hrtime.bigint() - started) / 1000 / n;
  assert.ok(micros < 1000, `took ${micros.toFixed(1)} µs per parse`);
});
