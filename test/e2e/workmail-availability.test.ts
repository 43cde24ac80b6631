import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateAvailabilityConfigurationCommand,
  CreateOrganizationCommand,
  DeleteAvailabilityConfigurationCommand,
  ListAvailabilityConfigurationsCommand,
  TestAvailabilityConfigurationCommand,
  UpdateAvailabilityConfigurationCommand,
  paginateListAvailabilityConfigurations,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startTestServer, type Engine, type TestServer } from '../helpers/server.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { rejectsWithWorkMail } from '../helpers/assertions.ts';
import { probeEws } from '../../src/workmail/ews-probe.ts';

const EWS_USER = 'CONTOSO\\freebusy';
const EWS_PASSWORD = 'S3cret pässword';

/**
 * A stand-in Exchange server: its EWS endpoint wants Basic auth with EWS_USER/EWS_PASSWORD and
 * a SOAP GetServerTimeZones request, and answers a SOAP envelope. `/hang` never answers.
 */
async function startFakeEws(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const expected = 'Basic ' + Buffer.from(`${EWS_USER}:${EWS_PASSWORD}`, 'utf8').toString('base64');
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push(`${req.method} ${req.url} ${body.includes('GetServerTimeZones') ? 'GetServerTimeZones' : 'other'}`);
      if (req.url === '/hang') return;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="ews"' }).end();
        return;
      }
      if (req.url === '/not-soap') {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Outlook Web App</body></html>');
        return;
      }
      res
        .writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' })
        .end(
          '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
            '<GetServerTimeZonesResponse xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"><ResponseMessages/></GetServerTimeZonesResponse>' +
            '</s:Body></s:Envelope>',
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('probeEws gives up on an endpoint that never answers', async () => {
  const ews = await startFakeEws();
  try {
    const started = Date.now();
    const result = await probeEws({ endpoint: `${ews.url}/hang`, username: EWS_USER, password: EWS_PASSWORD }, { timeoutMs: 200 });
    assert.equal(result.passed, false);
    assert.match(result.reason!, /did not answer within 0.2 seconds/);
    assert.ok(Date.now() - started < 2000);
  } finally {
    await ews.close();
  }
});

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`WorkMail availability configurations (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestServer;
    let wm: WorkMailClient;
    let orgId: string;
    let ews: Awaited<ReturnType<typeof startFakeEws>>;
    before(async () => {
      [t, ews] = await Promise.all([startTestServer({ engine }), startFakeEws()]);
      wm = t.workmail();
      orgId = (await wm.send(new CreateOrganizationCommand({ Alias: 'availability-org' }))).OrganizationId!;
    });
    after(async () => {
      await ews.close();
      await t.stop();
    });

    const provider = (path = '/EWS/Exchange.asmx', password = EWS_PASSWORD) => ({ EwsEndpoint: `${ews.url}${path}`, EwsUsername: EWS_USER, EwsPassword: password });

    test('create, list without the password, update, test and delete a configuration', async () => {
      await wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'Contoso.com', EwsProvider: provider(), ClientToken: 'create-1' }));
      await wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'Contoso.com', EwsProvider: provider(), ClientToken: 'create-1' }));
      await rejectsWithWorkMail(
        wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'contoso.COM', EwsProvider: provider() })),
        'NameAvailabilityException',
        /contoso\.COM already exists/,
      );

      const listed = (await wm.send(new ListAvailabilityConfigurationsCommand({ OrganizationId: orgId }))).AvailabilityConfigurations!;
      assert.equal(listed.length, 1);
      const [config] = listed;
      assert.equal(config!.DomainName, 'Contoso.com');
      assert.equal(config!.ProviderType, 'EWS');
      assert.deepEqual(config!.EwsProvider, { EwsEndpoint: `${ews.url}/EWS/Exchange.asmx`, EwsUsername: EWS_USER });
      assert.equal(config!.LambdaProvider, undefined);
      assert.ok(config!.DateCreated instanceof Date && config!.DateModified instanceof Date);

      // The password is stored sealed, never in clear.
      const row = await t.server.store.db.selectFrom('wm_availability_configurations').selectAll().executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes(EWS_PASSWORD));
      assert.match(row.ews_password_sealed, /^v1:/);

      const stored = await wm.send(new TestAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'contoso.com' }));
      assert.equal(stored.TestPassed, true, stored.FailureReason);
      assert.equal(stored.FailureReason, undefined);
      assert.equal(ews.requests.at(-1), 'POST /EWS/Exchange.asmx GetServerTimeZones', 'a real EWS request was made with the unsealed password');

      await wm.send(new UpdateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'contoso.com', EwsProvider: provider('/EWS/Exchange.asmx', 'wrong') }));
      const afterUpdate = await wm.send(new TestAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'Contoso.com' }));
      assert.equal(afterUpdate.TestPassed, false);
      assert.match(afterUpdate.FailureReason!, /Authentication failed.*401/);
      const updated = (await wm.send(new ListAvailabilityConfigurationsCommand({ OrganizationId: orgId }))).AvailabilityConfigurations![0]!;
      assert.equal(updated.DomainName, 'Contoso.com', 'the name keeps the case it was created with');
      assert.ok(updated.DateModified!.getTime() >= updated.DateCreated!.getTime());

      await wm.send(new DeleteAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'CONTOSO.com' }));
      assert.deepEqual((await wm.send(new ListAvailabilityConfigurationsCommand({ OrganizationId: orgId }))).AvailabilityConfigurations, []);
      await wm.send(new DeleteAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'contoso.com' }));
      await rejectsWithWorkMail(wm.send(new TestAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'contoso.com' })), 'ResourceNotFoundException');
      await rejectsWithWorkMail(
        wm.send(new UpdateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'contoso.com', EwsProvider: provider() })),
        'ResourceNotFoundException',
      );
    });

    test('testing an inline EWS provider: success, bad password, not SOAP, unreachable', async () => {
      const ok = await wm.send(new TestAvailabilityConfigurationCommand({ OrganizationId: orgId, EwsProvider: provider() }));
      assert.deepEqual([ok.TestPassed, ok.FailureReason], [true, undefined]);

      const denied = await wm.send(new TestAvailabilityConfigurationCommand({ OrganizationId: orgId, EwsProvider: provider('/EWS/Exchange.asmx', 'guess') }));
      assert.equal(denied.TestPassed, false);
      assert.match(denied.FailureReason!, /Authentication failed/);
      assert.ok(!denied.FailureReason!.includes('guess'), 'the password is never echoed');

      const html = await wm.send(new TestAvailabilityConfigurationCommand({ OrganizationId: orgId, EwsProvider: provider('/not-soap') }));
      assert.equal(html.TestPassed, false);
      assert.match(html.FailureReason!, /not with a SOAP envelope/);

      const port = await closedPort();
      const down = await wm.send(
        new TestAvailabilityConfigurationCommand({ OrganizationId: orgId, EwsProvider: { EwsEndpoint: `http://127.0.0.1:${port}/EWS/Exchange.asmx`, EwsUsername: EWS_USER, EwsPassword: EWS_PASSWORD } }),
      );
      assert.equal(down.TestPassed, false);
      assert.match(down.FailureReason!, /Could not connect to the EWS endpoint: .*ECONNREFUSED/);
    });

    test('Lambda providers: refused when stored, failing when tested', async () => {
      const LambdaProvider = { LambdaArn: `arn:aws:lambda:us-east-1:${t.admin.accountId}:function:free-busy` };
      await rejectsWithWorkMail(
        wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'fabrikam.com', LambdaProvider })),
        'InvalidParameterException',
        /Lambda availability providers are not supported by Godwit/,
      );
      const tested = await wm.send(new TestAvailabilityConfigurationCommand({ OrganizationId: orgId, LambdaProvider }));
      assert.equal(tested.TestPassed, false);
      assert.match(tested.FailureReason!, /not supported by Godwit/);

      await wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'fabrikam.com', EwsProvider: provider() }));
      await rejectsWithWorkMail(
        wm.send(new UpdateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'fabrikam.com', LambdaProvider })),
        'InvalidParameterException',
        /not supported by Godwit/,
      );
      await wm.send(new DeleteAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'fabrikam.com' }));
    });

    test('exactly one provider (or domain to test), valid domains and the model', async () => {
      const LambdaProvider = { LambdaArn: `arn:aws:lambda:us-east-1:${t.admin.accountId}:function:free-busy` };
      await rejectsWithWorkMail(wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'example.org' })), 'InvalidParameterException', /exactly one provider/);
      await rejectsWithWorkMail(
        wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'example.org', EwsProvider: provider(), LambdaProvider })),
        'InvalidParameterException',
        /exactly one provider/,
      );
      await rejectsWithWorkMail(wm.send(new TestAvailabilityConfigurationCommand({ OrganizationId: orgId })), 'InvalidParameterException', /either one provider definition/);
      await rejectsWithWorkMail(
        wm.send(new TestAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'example.org', EwsProvider: provider() })),
        'InvalidParameterException',
      );
      await rejectsWithWorkMail(
        wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'nodots', EwsProvider: provider() })),
        'InvalidParameterException',
        /not a valid domain name/,
      );
      await rejectsWithWorkMail(
        wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'example.org', EwsProvider: { ...provider(), EwsEndpoint: 'ftp://mail.example.org/ews' } })),
        'InvalidParameterException',
        /at 'ewsProvider.ewsEndpoint' failed to satisfy constraint/,
      );
      await rejectsWithWorkMail(
        wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName: 'example.org', LambdaProvider: { LambdaArn: 'arn:aws:lambda:nowhere' } })),
        'InvalidParameterException',
        /lambdaProvider.lambdaArn/,
      );
      await rejectsWithWorkMail(
        wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: 'm-' + 'b'.repeat(32), DomainName: 'example.org', EwsProvider: provider() })),
        'OrganizationNotFoundException',
      );
      assert.deepEqual((await wm.send(new ListAvailabilityConfigurationsCommand({ OrganizationId: orgId }))).AvailabilityConfigurations, []);
    });

    test('ListAvailabilityConfigurations pages with NextToken, per organization', async () => {
      const other = (await wm.send(new CreateOrganizationCommand({ Alias: 'availability-other' }))).OrganizationId!;
      await wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: other, DomainName: 'elsewhere.net', EwsProvider: provider() }));
      const domains = ['d1.example', 'd2.example', 'd3.example', 'd4.example', 'd5.example'];
      for (const DomainName of domains) await wm.send(new CreateAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName, EwsProvider: provider() }));
      const seen: string[] = [];
      let pages = 0;
      for await (const page of paginateListAvailabilityConfigurations({ client: wm, pageSize: 2 }, { OrganizationId: orgId })) {
        pages++;
        assert.ok(page.AvailabilityConfigurations!.length <= 2);
        seen.push(...page.AvailabilityConfigurations!.map((config) => config.DomainName!));
      }
      assert.deepEqual(seen, domains);
      assert.equal(pages, 3);
      for (const DomainName of domains) await wm.send(new DeleteAvailabilityConfigurationCommand({ OrganizationId: orgId, DomainName }));
    });
  });
}
