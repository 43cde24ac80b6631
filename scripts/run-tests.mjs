#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's own test runner (CI reads its summary).
// Node 20's `--test` does not expand globs or pick up .ts files, so we list them here.
// Optional arguments narrow the run to files whose path contains one of them.
// Before any test, the tools from outside npm are checked (installed when we may) and the
// PostgreSQL tests are announced as run or skipped: see prerequisites.mjs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { announcePostgres, ensureTestTools } from './prerequisites.mjs';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

if (!existsSync(join(root, 'node_modules/tsx'))) {
  console.error('npm test: the npm dependencies are not installed; run: npm ci');
  process.exit(1);
}
ensureTestTools();
// tsx lets this script read the tests' own PostgreSQL helper.
const { register } = await import('tsx/esm/api');
register();
await announcePostgres();

function collect(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (entry.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const files = collect(join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched', filters);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
