// The layering rules of the architecture, checked on the source so that they stay true:
// transactions only through store/tx.ts, no SQL in the doors, and the domain never imports a door.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (entry.endsWith('.ts')) out.push(path);
  }
  return out;
}

const files = sources(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));
const under = (...dirs: string[]) => files.filter((file) => dirs.some((dir) => file.path.startsWith(dir + '/')));

/** `file:line: text` of each line matching `pattern`, for a readable failure. */
function offending(list: typeof files, pattern: RegExp): string[] {
  const hits: string[] = [];
  for (const file of list) {
    file.text.split('\n').forEach((line, index) => {
      if (pattern.test(line)) hits.push(`${file.path}:${index + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

// The doors (edges) of the architecture and the layers below them.
const EDGES = ['api', 'aws', 'cli', 'smtp', 'imap', 'web'];
const DOMAIN = ['iam', 'workmail', 'mail', 'store', 'blobs', 'security', 'net'];

test('only src/store starts transactions (everything else uses inTransaction / writeTransaction)', () => {
  const outside = files.filter((file) => !file.path.startsWith('store/'));
  assert.deepEqual(offending(outside, /\.transaction\(\)/), []);
});

test('the domain never imports a door or the composition root', () => {
  assert.deepEqual(offending(under(...DOMAIN), /from '(\.\.\/)+(api|aws|cli|server|smtp|imap|web)\//), []);
});

test('domain errors carry a kind, never an HTTP status', () => {
  assert.deepEqual(offending(under(...DOMAIN), /super\([^)]*\b[45]\d\d\b/), []);
  assert.deepEqual(offending(files, /new DomainError\(\s*'[A-Za-z]+'\s*,\s*\d/), []);
});

test('the doors write no SQL', () => {
  const sql = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(|\bsql`/;
  assert.deepEqual(offending(under(...EDGES), sql), []);
});
