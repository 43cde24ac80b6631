// The two policies printed in the Amazon WorkMail Administrator Guide, copied verbatim (one per
// line) into fixtures/seed-policies.txt: both hold JSON syntax errors that must be reported at
// their exact place, and both are accepted once mended.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePolicyDocument, PolicySyntaxError } from '../../../src/iam/policy/index.ts';

const [fullAccess, readOnly] = readFileSync(new URL('./fixtures/seed-policies.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);

function syntaxError(text: string): PolicySyntaxError {
  try {
    parsePolicyDocument(text);
  } catch (e) {
    assert.ok(e instanceof PolicySyntaxError);
    return e;
  }
  assert.fail('expected a syntax error');
}

test('the fixture holds the two one-line seed policies', () => {
  assert.equal(fullAccess!.length, 1816);
  assert.equal(readOnly!.length, 300);
});

test('full-access seed: missing comma after "kms:ListAliases" at line 1, column 867', () => {
  const e = syntaxError(fullAccess!);
  assert.equal(e.line, 1);
  assert.equal(e.column, 867);
  assert.equal(e.offset, fullAccess!.indexOf('"lambda:ListFunctions"'));
  assert.equal(e.message, `line 1, column 867: expected ',' or ']' after array element, found '"'`);
});

test('read-only seed: missing comma after "ses:Describe*" at line 1, column 92', () => {
  const e = syntaxError(readOnly!);
  assert.equal(e.line, 1);
  assert.equal(e.column, 92);
  assert.equal(e.offset, readOnly!.indexOf('"ses:Get*"'));
  assert.equal(e.message, `line 1, column 92: expected ',' or ']' after array element, found '"'`);
});

test('read-only seed: the stray } at the end is reported once the comma is mended', () => {
  // With the comma inserted the stray brace, last character of the original line (column 300), moves to 301.
  const commaMended = readOnly!.replace('"ses:Describe*" ', '"ses:Describe*", ');
  const e = syntaxError(commaMended);
  assert.equal(e.line, 1);
  assert.equal(e.column, 301);
  assert.equal(e.column, commaMended.length);
  assert.equal(e.message, "line 1, column 301: unexpected '}' after the end of the policy document");
});

test('the mended seed texts are accepted', () => {
  const full = parsePolicyDocument(fullAccess!.replace('"kms:ListAliases" ', '"kms:ListAliases", '));
  assert.equal(full.statements.length, 4);
  assert.equal(full.statements[0]!.action!.length, 45);
  const ro = parsePolicyDocument(readOnly!.replace('"ses:Describe*" ', '"ses:Describe*", ').replace(/ \}$/, ''));
  assert.equal(ro.statements.length, 1);
  assert.deepEqual(ro.statements[0]!.action!.slice(0, 2), ['ses:Describe*', 'ses:Get*']);
});
