#!/usr/bin/env node
// Copies the AWS service models from ../shared/reference/aws-models into src/aws/models,
// without their documentation strings (about two thirds of their size). The project reads
// only these copies, so it builds and tests without ../shared. Run again when the models change.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const models = {
  iam: 'iam/2010-05-08',
  sts: 'sts/2011-06-15',
  workmail: 'workmail/2017-10-01',
  workmailmessageflow: 'workmailmessageflow/2019-05-01',
};

const strip = (value) => {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'documentation' && key !== 'documentationUrl')
        .map(([key, inner]) => [key, strip(inner)]),
    );
  }
  return value;
};

for (const [name, base] of Object.entries(models)) {
  for (const kind of ['service-2', 'paginators-1']) {
    const source = `${root}../shared/reference/aws-models/${base}.${kind}.json`;
    const target = `${root}src/aws/models/${name}${kind === 'service-2' ? '' : '.paginators'}.json`;
    writeFileSync(target, JSON.stringify(strip(JSON.parse(readFileSync(source, 'utf8')))) + '\n');
  }
}
