// The programs from outside npm that the test suite judges Godwit with: one list, checked by
// `npm test` (scripts/run-tests.mjs, through prerequisites.mjs) before any test runs. Each comes
// from a Debian package. A test calls the tool at `path`, never whichever one comes first on PATH.
export const TEST_TOOLS = [
  {
    name: 'the AWS CLI v2',
    path: '/usr/bin/aws',
    // Its answer when it works; dev machines may carry an unrelated v1 elsewhere on PATH.
    check: { args: ['--version'], expect: /^aws-cli\/2\./ },
    debianPackage: 'awscli',
  },
  {
    name: 'swaks',
    path: '/usr/bin/swaks',
    // One of the SMTP clients the MX tests send with (test/unit/smtp-mx.test.ts, test/e2e/smtp-delivery.test.ts).
    check: { args: ['--version'], expect: /^swaks version / },
    debianPackage: 'swaks',
  },
];
