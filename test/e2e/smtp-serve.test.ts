// `godwit serve --smtp-port 0 --json` as an administrator runs it: the SMTP endpoint is printed
// with the port the system gave, swaks delivers a bounce (null sender) to the organization's
// test domain through it, and a taken port stops the start naming --smtp-port.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateOrganizationCommand, CreateUserCommand, RegisterToWorkMailCommand, WorkMailClient } from '@aws-sdk/client-workmail';
import { godwit, serveJson, type ServeProcess } from '../helpers/cli.ts';

const run = promisify(execFile);

describe('godwit serve --smtp-port', () => {
  let server: ServeProcess & { printed: Record<string, unknown> };
  const data = join(mkdtempSync(join(tmpdir(), 'godwit-smtp-serve-')), 'data');
  before(async () => {
    server = await serveJson(['--data', data, '--http-port', '0', '--smtp-port', '0']);
  });
  after(() => server.stop());

  test('prints the SMTP endpoint, and a bounce (MAIL FROM:<>) sent there by swaks is accepted after it is stored', async () => {
    const smtpEndpoint = String(server.printed.smtpEndpoint);
    const match = /^smtp:\/\/127\.0\.0\.1:(\d+)$/.exec(smtpEndpoint);
    assert.ok(match, smtpEndpoint);
    const wm = new WorkMailClient({
      endpoint: server.endpoint,
      region: String(server.printed.region),
      credentials: { accessKeyId: String(server.printed.accessKeyId), secretAccessKey: String(server.printed.secretAccessKey) },
      maxAttempts: 1,
    });
    const orgId = (await wm.send(new CreateOrganizationCommand({ Alias: 'served' }))).OrganizationId!;
    const userId = (await wm.send(new CreateUserCommand({ OrganizationId: orgId, Name: 'dana', DisplayName: 'Dana' }))).UserId!;
    await wm.send(new RegisterToWorkMailCommand({ OrganizationId: orgId, EntityId: userId, Email: 'dana@served.godwit.localhost' }));
    const { stdout } = await run('/usr/bin/swaks', ['--server', '127.0.0.1', '--port', match[1], '--tls', '--from', '<>', '--to', 'dana@served.godwit.localhost', '--header', 'Subject: bounce'], { timeout: 30_000 });
    assert.match(stdout, /~> MAIL FROM:<>\n<~  250 /, "the null sender, inside TLS");
    assert.match(stdout, /<~\s+250 2\.6\.0 Message accepted and stored as /);
  });

  test('a taken SMTP port stops the start with a message naming --smtp-port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const other = join(mkdtempSync(join(tmpdir(), 'godwit-smtp-taken-')), 'data');
      const result = await godwit(['serve', '--data', other, '--http-port', '0', '--smtp-port', String(port)]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`godwit: the SMTP port ${port} on 127\\.0\\.0\\.1 is already in use .*--smtp-port`));
    } finally {
      blocker.close();
    }
  });
});
