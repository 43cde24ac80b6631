import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyLengthWithoutWhitespace } from '../../../src/iam/policy/index.ts';

test('whitespace outside strings is not counted, inside strings it is', () => {
  assert.equal(policyLengthWithoutWhitespace('{ "a" :\n\t[ 1 , 2 ]\r\n}'), '{"a":[1,2]}'.length);
  assert.equal(policyLengthWithoutWhitespace('{"Sid": "a b"}'), '{"Sid":"a b"}'.length);
  assert.equal(policyLengthWithoutWhitespace('{"k": "say \\"hi there\\" "}'), '{"k":"say \\"hi there\\" "}'.length);
  assert.equal(policyLengthWithoutWhitespace(''), 0);
});

test('the same policy pretty-printed or minified has the same size', () => {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get Object'], Resource: '*' }] };
  assert.equal(policyLengthWithoutWhitespace(JSON.stringify(doc, null, 4)), JSON.stringify(doc).length);
});
