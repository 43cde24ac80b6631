// How new credentials are shown: once, on standard output (never through the logger), with the
// warning AWS gives that the secret cannot be shown again.

export interface NewCredentials {
  accountId: string;
  region: string;
  endpoint: string;
  email: string;
  userName: string;
  userArn: string;
  accessKeyId: string;
  secretAccessKey: string;
  generatedRootPassword: string | undefined;
  csvPath?: string;
}

export function credentialsJson(c: NewCredentials): string {
  return JSON.stringify({
    accountId: c.accountId,
    region: c.region,
    endpoint: c.endpoint,
    rootEmail: c.email,
    rootPassword: c.generatedRootPassword,
    userName: c.userName,
    userArn: c.userArn,
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    csvPath: c.csvPath,
  });
}

export function credentialsText(c: NewCredentials, heading: string): string {
  const lines = [
    heading,
    `  Account ID         ${c.accountId}`,
    `  Region             ${c.region}`,
    `  Endpoint           ${c.endpoint}`,
    `  Root user          ${c.email}` + (c.generatedRootPassword ? `  (password: ${c.generatedRootPassword})` : ''),
    `  IAM user           ${c.userName} in group Administrators (AdministratorAccess)`,
    `  Access key ID      ${c.accessKeyId}`,
    `  Secret access key  ${c.secretAccessKey}`,
    '',
    'WARNING: this is the only time the secret access key' + (c.generatedRootPassword ? ' and the root password are' : ' is') + ' shown.',
    c.csvPath
      ? `It was also saved to ${c.csvPath} (mode 0600): store it somewhere safe, then delete that file.`
      : 'Store it somewhere safe now; it cannot be recovered, only replaced with a new key.',
    '',
    'Use it with the AWS CLI:',
    `  aws configure set aws_access_key_id ${c.accessKeyId} --profile godwit`,
    '  aws configure set aws_secret_access_key <the secret above> --profile godwit',
    `  aws configure set region ${c.region} --profile godwit`,
    `  aws --profile godwit --endpoint-url ${c.endpoint} sts get-caller-identity`,
  ];
  return lines.join('\n') + '\n';
}
