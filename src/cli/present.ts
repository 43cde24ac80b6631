// What the commands print for people and scripts, on standard output apart from the JSON log
// lines: new credentials, once (never through the logger), with the warning AWS gives that the
// secret cannot be shown again; and where a started server listens.

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

/** The members of the credentials JSON object, for `init`, `account create` and a first `serve`. */
export function credentialsMembers(c: NewCredentials): Record<string, unknown> {
  return {
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
  };
}

export function credentialsJson(c: NewCredentials): string {
  return JSON.stringify(credentialsMembers(c));
}

/**
 * The AWS CLI profile the printed commands configure: `godwit` for the first account, and one
 * per further account, so that setting up a second account does not overwrite the first's.
 */
export function profileName(accountId: string, firstAccount: boolean): string {
  return firstAccount ? 'godwit' : `godwit-${accountId}`;
}

export function credentialsText(c: NewCredentials, heading: string, profile: string): string {
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
    `  aws configure set aws_access_key_id ${c.accessKeyId} --profile ${profile}`,
    `  aws configure set aws_secret_access_key <the secret above> --profile ${profile}`,
    `  aws configure set region ${c.region} --profile ${profile}`,
    `  aws --profile ${profile} --endpoint-url ${c.endpoint} sts get-caller-identity`,
  ];
  return lines.join('\n') + '\n';
}

export interface Listening {
  endpoint: string;
  httpsEndpoint: string | undefined;
  /** The certificate HTTPS clients must trust (e.g. `aws --ca-bundle`), when HTTPS is on. */
  tlsCertificate: string | undefined;
  region: string;
}

export function listeningMembers(l: Listening): Record<string, unknown> {
  return { endpoint: l.endpoint, httpsEndpoint: l.httpsEndpoint, tlsCertificate: l.tlsCertificate, region: l.region };
}

export function listeningText(l: Listening): string {
  const where = l.httpsEndpoint ? `${l.endpoint} and ${l.httpsEndpoint} (certificate ${l.tlsCertificate})` : l.endpoint;
  return `Godwit serves IAM, STS and WorkMail for region ${l.region} on ${where}\n`;
}
