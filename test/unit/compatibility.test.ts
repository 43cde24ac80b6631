// docs/compatibility.md must say what the code does: it is generated from the operation tables,
// and this test fails as soon as an operation is added or removed without regenerating it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadModel } from '../../src/aws/model.ts';
import { COMPATIBILITY_DOC, REGENERATE_COMMAND, renderCompatibility } from '../../scripts/compatibility.ts';

test('docs/compatibility.md is what scripts/compatibility.ts generates from the code', () => {
  const committed = readFileSync(COMPATIBILITY_DOC, 'utf8');
  const generated = renderCompatibility();
  if (committed !== generated) {
    const committedLines = committed.split('\n');
    const generatedLines = generated.split('\n');
    const differs = generatedLines.findIndex((line, i) => committedLines[i] !== line);
    assert.fail(
      `docs/compatibility.md is out of date with the operation tables; regenerate it with:\n\n    ${REGENERATE_COMMAND}\n\n` +
        `first difference at line ${differs + 1}:\n  committed: ${committedLines[differs] ?? '(end of file)'}\n  generated: ${generatedLines[differs] ?? '(end of file)'}`,
    );
  }
});

test('the page lists every model operation of IAM, STS and WorkMail with a status', () => {
  const page = renderCompatibility();
  for (const service of ['iam', 'sts', 'workmail'] as const) {
    for (const name of Object.keys(loadModel(service).operations)) {
      const rows = page.split('\n').filter((line) => line.startsWith(`| ${name} |`));
      // A few names exist in two services (e.g. CreateGroup in IAM and WorkMail), one row each.
      assert.ok(rows.length >= 1, `${service} ${name} is listed`);
      for (const row of rows) assert.match(row, /\| (implemented|not built yet: `(InvalidAction|UnsupportedOperationException)`) \|/);
    }
  }
  assert.match(page, /\| CreateUser \| implemented \| `iam:CreateUser` \|/);
  assert.match(page, /\| CreateRole \| not built yet: `InvalidAction` \| \|/);
  assert.match(page, /\| GetCallerIdentity \| implemented \| — \|/);
  assert.match(page, /\| ListOrganizations \| implemented \| `workmail:ListOrganizations` \|/);
  assert.match(page, /\| ListMailboxExportJobs \| not built yet: `UnsupportedOperationException` \| \|/);
});
