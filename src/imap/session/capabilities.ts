// The capabilities a session announces: only what is built. Before TLS on the cleartext port,
// STARTTLS and LOGINDISABLED and no AUTH= mechanism, so that no client offers a password in
// clear; after login, no STARTTLS/AUTH (they no longer apply).
import type { SessionState } from '../commands/command.ts';

const ALWAYS = ['IMAP4rev1', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE'];

export function capabilitiesFor(session: { state: SessionState; secure: boolean; canStartTls: boolean }): string[] {
  if (session.state !== 'not-authenticated') return [...ALWAYS];
  if (!session.secure) return [...ALWAYS, ...(session.canStartTls ? ['STARTTLS'] : []), 'LOGINDISABLED'];
  return [...ALWAYS, 'AUTH=PLAIN'];
}
