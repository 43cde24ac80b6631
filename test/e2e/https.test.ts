// The AWS API over HTTPS, as an administrator turns it on: `godwit serve --https-port`, with the
// self-signed certificate Godwit makes in the data folder, or with the administrator's own pair;
// judged by the AWS SDK and the AWS CLI, each trusting only the certificate it was given.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListUsersCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { generate } from 'selfsigned';
import { godwit, serveJson } from '../helpers/cli.ts';
import { awsCli } from '../helpers/awscli.ts';

interface Printed {
  accountId: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'godwit-https-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** SDK clients that trust exactly `ca`, as an administrator configures them for a private certificate. */
function clients(endpoint: string, printed: Printed, ca: string | undefined) {
  const config = {
    endpoint,
    region: printed.region,
    credentials: { accessKeyId: printed.accessKeyId, secretAccessKey: printed.secretAccessKey },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca, keepAlive: false }) }),
  };
  return { sts: new STSClient(config), iam: new IAMClient(config) };
}

/** The certificate a new TLS connection to `endpoint` is shown. */
function servedCertificate(endpoint: string): Promise<X509Certificate> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), rejectUnauthorized: false }, () => {
      const raw = socket.getPeerX509Certificate();
      socket.end();
      if (raw) resolve(raw);
      else reject(new Error('no peer certificate'));
    });
    socket.once('error', reject);
  });
}

async function init(data: string): Promise<Printed> {
  const result = await godwit(['init', '--data', data, '--json', '--region', 'eu-west-1']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Printed;
}

describe('HTTPS', () => {
  test('init makes a self-signed certificate for the mail host; serve answers the SDK and the AWS CLI over HTTPS with it, and SIGHUP reloads it', async () => {
    const data = join(tempDir(), 'data');
    const printed = await init(data);
    const certFile = join(data, 'tls-cert.pem');
    const keyFile = join(data, 'tls-key.pem');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the private key is readable by its owner only');
    const made = new X509Certificate(readFileSync(certFile));
    assert.equal(made.checkHost('mail.godwit.localhost'), 'mail.godwit.localhost');
    assert.equal(made.checkHost('localhost'), 'localhost');
    assert.equal(made.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(made.checkIP('::1'), '::1');

    const server = await serveJson(['--data', data, '--http-port', '0', '--https-port', '0']);
    try {
      const { httpsEndpoint, tlsCertificate } = server.printed;
      assert.match(httpsEndpoint!, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.doesNotMatch(httpsEndpoint!, /:0$/, 'the real port, not the 0 asked for');
      assert.equal(tlsCertificate, certFile);
      const ca = readFileSync(certFile, 'utf8');

      const { sts, iam } = clients(httpsEndpoint!, printed, ca);
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, printed.accountId);
      const users = await iam.send(new ListUsersCommand({}));
      assert.deepEqual(users.Users?.map((u) => u.UserName), ['admin']);
      await assert.rejects(clients(httpsEndpoint!, printed, undefined).sts.send(new GetCallerIdentityCommand({})), /self[- ]signed/i, 'a client that does not trust the certificate refuses it');

      const cli = awsCli({ endpoint: httpsEndpoint!, region: printed.region, credentials: printed });
      try {
        const caller = await cli.ok(['sts', 'get-caller-identity', '--ca-bundle', certFile]);
        assert.equal(caller.json.Account, printed.accountId);
        const listed = await cli.ok(['iam', 'list-users', '--ca-bundle', certFile]);
        assert.deepEqual(listed.json.Users.map((u: { UserName: string }) => u.UserName), ['admin']);
        const untrusted = await cli.run(['sts', 'get-caller-identity']);
        assert.notEqual(untrusted.code, 0);
        assert.match(untrusted.stderr, /SSL|certificate/i);
      } finally {
        cli.dispose();
      }

      // The old pair goes away; SIGHUP makes a new one and serves it to new connections.
      rmSync(certFile);
      rmSync(keyFile);
      server.child.kill('SIGHUP');
      const deadline = Date.now() + 15_000;
      let served = await servedCertificate(httpsEndpoint!);
      while (served.fingerprint256 === made.fingerprint256 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        served = await servedCertificate(httpsEndpoint!);
      }
      assert.ok(existsSync(certFile), 'a new certificate was made');
      assert.equal(served.fingerprint256, new X509Certificate(readFileSync(certFile)).fingerprint256, 'the new certificate is served');
      const renewed = clients(httpsEndpoint!, printed, readFileSync(certFile, 'utf8'));
      assert.equal((await renewed.sts.send(new GetCallerIdentityCommand({}))).Account, printed.accountId);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test('aws:SecureTransport is true over HTTPS only: a policy that requires it allows the call there and not over HTTP', async () => {
    const data = join(tempDir(), 'data');
    const printed = await init(data);
    const server = await serveJson(['--data', data, '--http-port', '0', '--https-port', '0']);
    try {
      const ca = readFileSync(server.printed.tlsCertificate!, 'utf8');
      const admin = clients(server.printed.httpsEndpoint!, printed, ca).iam;
      await admin.send(new CreateUserCommand({ UserName: 'tls-only' }));
      const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] };
      await admin.send(new PutUserPolicyCommand({ UserName: 'tls-only', PolicyName: 'tls-only', PolicyDocument: JSON.stringify(document) }));
      const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'tls-only' }))).AccessKey!;
      const tlsOnly = { ...printed, accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };

      const overHttps = await clients(server.printed.httpsEndpoint!, tlsOnly, ca).iam.send(new ListUsersCommand({}));
      assert.deepEqual(overHttps.Users?.map((u) => u.UserName).sort(), ['admin', 'tls-only']);
      await assert.rejects(clients(server.printed.endpoint, tlsOnly, undefined).iam.send(new ListUsersCommand({})), { name: 'AccessDenied' });
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test('a data folder from before TLS gets its certificate at the first serve', async () => {
    const data = join(tempDir(), 'data');
    const printed = await init(data);
    rmSync(join(data, 'tls-cert.pem'));
    rmSync(join(data, 'tls-key.pem'));
    const server = await serveJson(['--data', data, '--http-port', '0', '--https-port', '0']);
    try {
      assert.equal(statSync(join(data, 'tls-key.pem')).mode & 0o777, 0o600);
      const { sts } = clients(server.printed.httpsEndpoint!, printed, readFileSync(join(data, 'tls-cert.pem'), 'utf8'));
      assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, printed.accountId);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test("the administrator's own certificate (--tls-cert, --tls-key) is served instead, and a mismatched pair is refused", async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const printed = await init(data);
    // A private CA and a server certificate it signed, as a company CA would issue.
    const ca = await generate([{ name: 'commonName', value: 'Example Test CA' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    const leaf = await generate([{ name: 'commonName', value: 'godwit.example.test' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'godwit.example.test' }, { type: 7, ip: '127.0.0.1' }] },
      ],
    });
    const caFile = join(dir, 'ca.pem');
    const certFile = join(dir, 'server.pem');
    const keyFile = join(dir, 'server.key');
    writeFileSync(caFile, ca.cert);
    writeFileSync(certFile, leaf.cert);
    writeFileSync(keyFile, leaf.private, { mode: 0o600 });

    const server = await serveJson(['--data', data, '--http-port', '0', '--https-port', '0', '--tls-cert', certFile, '--tls-key', keyFile]);
    try {
      const endpoint = server.printed.httpsEndpoint!;
      assert.equal(server.printed.tlsCertificate, certFile);
      const served = await servedCertificate(endpoint);
      assert.equal(served.fingerprint256, new X509Certificate(leaf.cert).fingerprint256);
      const { sts } = clients(endpoint, printed, ca.cert);
      assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, printed.accountId);
      const cli = awsCli({ endpoint, region: printed.region, credentials: printed });
      try {
        const caller = await cli.ok(['sts', 'get-caller-identity', '--ca-bundle', caFile]);
        assert.equal(caller.json.Account, printed.accountId);
      } finally {
        cli.dispose();
      }
    } finally {
      assert.equal((await server.stop()).code, 0);
    }

    const wrongKey = join(data, 'tls-key.pem');
    const refused = await godwit(['serve', '--data', data, '--http-port', '0', '--https-port', '0'], { GODWIT_TLS_CERT: certFile, GODWIT_TLS_KEY: wrongKey });
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim(), `godwit: the private key ${wrongKey} does not belong to the certificate ${certFile}`);

    const half = await godwit(['serve', '--data', data, '--http-port', '0', '--tls-cert', certFile]);
    assert.equal(half.code, 1);
    assert.match(half.stderr, /--tls-cert and --tls-key .* go together/);
  });
});
