// Runs the AWS CLI v2 from Debian's `awscli` package (/usr/bin/aws) as an administrator would,
// but in a sealed environment: its own HOME, config and credentials files, and no AWS_* or
// proxy variables from the machine, so that nothing outside the test changes what it does.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Not the first `aws` on PATH: dev machines may carry an unrelated v1 (e.g. under pyenv). */
export const AWS_CLI = '/usr/bin/aws';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AwsResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (commands run with `--output json`); undefined when empty. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface AwsCli {
  home: string;
  /** Runs `aws <args> --endpoint-url <endpoint> --output json`, as `credentials` (the profile's by default). */
  run(args: string[], credentials?: AwsCredentials): Promise<AwsResult>;
  /** Like run, but fails the test with the CLI's own words unless it exits 0. */
  ok(args: string[], credentials?: AwsCredentials): Promise<AwsResult>;
  dispose(): void;
}

export function awsCliVersion(): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(AWS_CLI, ['--version'], { env: { PATH: '/usr/bin:/bin', HOME: tmpdir() } }, (error, stdout, stderr) =>
      error ? reject(error) : resolve((stdout || stderr).trim()),
    ),
  );
}

export function awsCli(options: { endpoint: string; region: string; credentials: AwsCredentials }): AwsCli {
  const home = mkdtempSync(join(tmpdir(), 'godwit-awscli-'));
  const configFile = join(home, 'config');
  const credentialsFile = join(home, 'credentials');
  writeFileSync(configFile, `[default]\nregion = ${options.region}\noutput = json\n`);
  writeFileSync(
    credentialsFile,
    `[default]\naws_access_key_id = ${options.credentials.accessKeyId}\naws_secret_access_key = ${options.credentials.secretAccessKey}\n`,
    { mode: 0o600 },
  );

  const run = (args: string[], credentials = options.credentials): Promise<AwsResult> => {
    const env = {
      PATH: '/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: options.region,
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    return new Promise((resolve) => {
      execFile(
        AWS_CLI,
        [...args, '--endpoint-url', options.endpoint, '--output', 'json'],
        { env, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          let json: unknown;
          try {
            json = stdout.trim() ? JSON.parse(stdout) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ code, stdout, stderr, json });
        },
      );
    });
  };

  return {
    home,
    run,
    async ok(args, credentials) {
      const result = await run(args, credentials);
      if (result.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
      return result;
    },
    dispose: () => rmSync(home, { recursive: true, force: true }),
  };
}
