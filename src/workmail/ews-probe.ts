// Tests an Exchange Web Services endpoint the way WorkMail's TestAvailabilityConfiguration
// does for an EWS provider: a real, Basic-authenticated SOAP request, here GetServerTimeZones
// (cheap, read-only, answered by every Exchange since 2010). The answer is pass/fail with a
// reason an administrator can act on; the password never appears in a reason.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { XMLParser } from 'fast-xml-parser';

export interface EwsCredentials {
  endpoint: string;
  username: string;
  password: string;
}

export interface ProbeResult {
  passed: boolean;
  reason: string | undefined;
}

const REQUEST = `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">
  <soap:Header><t:RequestServerVersion Version="Exchange2010_SP1"/></soap:Header>
  <soap:Body><m:GetServerTimeZones ReturnFullTimeZoneData="false"/></soap:Body>
</soap:Envelope>
`;

/** Enough for any GetServerTimeZones answer without full data; a bigger body is cut off. */
const MAX_BODY_BYTES = 1 << 20;

const fail = (reason: string): ProbeResult => ({ passed: false, reason });

function isSoapEnvelope(body: string): boolean {
  try {
    const parsed = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true }).parse(body) as Record<string, unknown>;
    return parsed !== null && typeof parsed === 'object' && 'Envelope' in parsed;
  } catch {
    return false;
  }
}

function judge(response: IncomingMessage, body: string): ProbeResult {
  const status = response.statusCode ?? 0;
  if (status === 200) return isSoapEnvelope(body) ? { passed: true, reason: undefined } : fail('The EWS endpoint answered HTTP 200 but not with a SOAP envelope; check the EwsEndpoint URL.');
  if (status === 401) return fail('Authentication failed: the EWS endpoint refused the EwsUsername and EwsPassword (HTTP 401).');
  if (status === 403) return fail('Access denied: the EWS endpoint accepted the credentials but refused the request (HTTP 403).');
  if (status >= 300 && status < 400) return fail(`The EWS endpoint redirected (HTTP ${status}) to ${response.headers.location ?? 'another address'}; configure the final URL.`);
  return fail(`The EWS endpoint answered HTTP ${status} ${response.statusMessage ?? ''}`.trimEnd() + '.');
}

function connectionReason(error: NodeJS.ErrnoException): string {
  return `Could not connect to the EWS endpoint: ${error.message}.`;
}

export function probeEws(credentials: EwsCredentials, options: { timeoutMs?: number } = {}): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  let url: URL;
  try {
    url = new URL(credentials.endpoint);
  } catch {
    return Promise.resolve(fail(`The EwsEndpoint ${credentials.endpoint} is not a valid URL.`));
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const authorization = 'Basic ' + Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64');
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    // One connection, closed afterwards: a probe must not leave sockets in a shared pool.
    const req = send(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'text/xml; charset=utf-8', Authorization: authorization, Connection: 'close', 'Content-Length': Buffer.byteLength(REQUEST) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
          else response.destroy();
        });
        response.on('close', () => finish(judge(response, Buffer.concat(chunks).toString('utf8'))));
        response.on('error', () => undefined);
      },
    );
    const timer = setTimeout(() => {
      finish(fail(`The EWS endpoint did not answer within ${timeoutMs / 1000} seconds.`));
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish(fail(connectionReason(error))));
    req.end(REQUEST);
  });
}
