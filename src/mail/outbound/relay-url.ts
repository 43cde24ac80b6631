// The smarthost URL of `--relay` / GODWIT_RELAY: `smtp://user:pass@host:port` (STARTTLS) or
// `smtps://user:pass@host:port` (TLS from the first byte). Every refusal names what is wrong,
// and none repeats the password: the URL is a secret once it carries one.

export interface RelayTarget {
  /** TLS from the first byte (smtps), else STARTTLS. */
  secure: boolean;
  host: string;
  port: number;
  /** From the URL's user and password, percent-decoded; undefined: no AUTH. */
  auth: { user: string; pass: string } | undefined;
}

/** 587 (submission, STARTTLS) and 465 (submissions, implicit TLS): what smarthosts listen on. */
const DEFAULT_PORTS = { 'smtp:': 587, 'smtps:': 465 } as const;

export class RelayUrlError extends Error {
  override name = 'RelayUrlError';
}

function fail(problem: string): never {
  throw new RelayUrlError(`relay URL: ${problem}; expected smtp://user:password@host:port or smtps://user:password@host:port`);
}

export function parseRelayUrl(text: string): RelayTarget {
  const trimmed = text.trim();
  if (!trimmed) fail('it is empty');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimmed)?.[1]?.toLowerCase();
  if (!scheme) fail(`'${redacted(trimmed)}' has no scheme`);
  if (scheme !== 'smtp' && scheme !== 'smtps') fail(`the scheme '${scheme}:' is not smtp: or smtps:`);
  if (!/^[A-Za-z]+:\/\//.test(trimmed)) fail(`'${scheme}:' must be followed by '//' and the host`);
  // The authority is read by hand first, so that a bad port is named as such rather than as "not a URL".
  const authority = trimmed.slice(scheme.length + 3).split(/[/?#]/)[0] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const portText = /^(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort)?.[1];
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) fail(`the port '${portText}' is not a number`);
    if (Number(portText) < 1 || Number(portText) > 65535) fail(`the port ${portText} is not between 1 and 65535`);
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return fail(`'${redacted(trimmed)}' is not a URL (a user name or password with '@', ':' or '/' must be percent-encoded, e.g. %40)`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) fail('the host is missing');
  if (url.pathname !== '' && url.pathname !== '/') fail(`a path ('${url.pathname}') is not allowed`);
  if (url.search) fail(`a query ('${url.search}') is not allowed`);
  if (url.hash) fail('a fragment (#…) is not allowed');
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol as keyof typeof DEFAULT_PORTS];
  let auth: RelayTarget['auth'];
  if (url.username || url.password) {
    if (!url.username) fail('a password is given without a user name');
    if (!url.password) fail(`the user '${decode(url.username, 'user name')}' has no password (smtp://user:password@host)`);
    auth = { user: decode(url.username, 'user name'), pass: decode(url.password, 'password') };
  }
  return { secure: scheme === 'smtps', host, port, auth };
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return fail(`the ${what} has a broken percent-encoding`);
  }
}

/** The URL with its password replaced, for error messages and logs. */
export function redacted(text: string): string {
  return text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:@/]*):[^/?#]*@/, '$1:****@');
}
