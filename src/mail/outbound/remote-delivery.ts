// Sends one message to a group of its recipients of one domain: to the domain's MX hosts in
// turn (the next host only when one could not be reached or put us off as a whole), or to the
// smarthost when a relay is set.
//
// TLS: with MX hosts STARTTLS is used whenever offered and the certificate is not checked.
// That is opportunistic TLS (RFC 7435): MX names come from unauthenticated DNS, so a checked
// certificate proves nothing an attacker who controls the answer cannot also arrange, and most
// MX certificates do not match their MX names anyway; refusing them would only push the
// message into clear text or bounce it. Encryption still defeats passive eavesdroppers. For
// the same reason a host whose STARTTLS handshake fails (no shared cipher, a broken setup) is
// tried once more in clear at once, as Postfix does, rather than deferred until it expires.
// (MTA-STS and DANE, which make checks meaningful, are not built.) A relay is a server the
// administrator named, usually given our password: its certificate is checked, and with a
// password STARTTLS is required, so the credentials never cross the network in clear.
import type { DNSResolver } from 'mailauth';
import type { ConnectionOptions } from 'node:tls';
import type { RelayTarget } from './relay-url.ts';
import { routesFor } from './routes.ts';
import { sendMessage, type RecipientOutcome, type SendOptions } from './transport.ts';

export const MAX_ADDRESSES_PER_ATTEMPT = 5;

export interface RemoteDeliveryOptions extends SendOptions {
  resolver: DNSResolver;
  /** The port of MX hosts: 25, another only for tests or a tunnel. */
  remotePort: number;
  relay: RelayTarget | undefined;
  /** Extra TLS options for the relay connection (a private CA, for instance). */
  relayTls: ConnectionOptions | undefined;
}

export interface GroupResult {
  /** Per recipient; every recipient of the group has one. */
  outcomes: Map<string, RecipientOutcome>;
  /** Who answered (or the last host tried), for the DSN's Remote-MTA. */
  remoteMta: string | undefined;
}

export async function deliverGroup(
  domain: string,
  envelope: { from: string; to: readonly string[] },
  body: Buffer,
  options: RemoteDeliveryOptions,
): Promise<GroupResult> {
  const everyone = (outcome: RecipientOutcome, remoteMta: string | undefined): GroupResult => ({
    outcomes: new Map(envelope.to.map((to) => [to, outcome])),
    remoteMta,
  });
  if (options.relay) {
    const relay = options.relay;
    const result = await sendMessage(
      {
        connect: relay.host,
        name: relay.host,
        port: relay.port,
        secure: relay.secure,
        requireTls: relay.auth !== undefined && !relay.secure,
        verifyCertificate: true,
        tls: options.relayTls,
        auth: relay.auth,
      },
      envelope,
      body,
      options,
    );
    if (result.kind === 'answered') return { outcomes: result.outcomes, remoteMta: relay.host };
    return everyone({ delivered: false, permanent: false, status: result.status, error: result.error }, relay.host);
  }
  const routes = await routesFor(options.resolver, domain);
  if (routes.kind === 'failed') return everyone({ delivered: false, permanent: routes.permanent, status: routes.status, error: routes.error }, undefined);
  let last = { status: '4.4.1', error: `no mail host of ${domain} could be reached`, host: undefined as string | undefined };
  // Like Postfix's smtp_mx_address_limit: a domain with many dead addresses cannot hold one
  // attempt (and its lease) for long.
  let addressesLeft = MAX_ADDRESSES_PER_ATTEMPT;
  for (const route of routes.routes) {
    for (const address of route.addresses) {
      if (addressesLeft-- <= 0) break;
      const target = { connect: address, name: route.host, port: options.remotePort, secure: false, requireTls: false, verifyCertificate: false };
      let result = await sendMessage(target, envelope, body, options);
      if (result.kind === 'unreachable' && result.tlsFailed) result = await sendMessage({ ...target, ignoreTls: true }, envelope, body, options);
      if (result.kind === 'answered') return { outcomes: result.outcomes, remoteMta: route.host };
      last = { status: result.status, error: result.error, host: route.host };
    }
  }
  // Nobody could be reached: temporary, whatever the last greeting said (RFC 5321 4.5.4.1).
  return everyone({ delivered: false, permanent: false, status: last.status.replace(/^5/, '4'), error: last.error }, last.host);
}
