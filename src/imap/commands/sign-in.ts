// The end both LOGIN and AUTHENTICATE PLAIN reach: MailLogin decides (throttle, password,
// disabled users, inactive organizations, access control rules for IMAP), the door only words
// the answer. A failure is answered after the throttle's delay, and says no more than
// "Authentication failed"; the password never reaches a log line.
import { logEvent } from '../../log/logger.ts';
import type { CommandContext } from './command.ts';

export async function signIn(ctx: CommandContext, email: string, password: string, mechanism: 'LOGIN' | 'PLAIN'): Promise<void> {
  const { session, services } = ctx;
  const result = await services.login.login({ email, password, sourceIp: session.remoteAddress, action: 'IMAP' }, services.clock.now());
  if (result.ok) {
    session.user = result.user;
    session.state = 'authenticated';
    session.failedLogins = 0;
    logEvent(services.logger, 'imap.login_succeeded', { session: session.id, ip: session.remoteAddress, userId: result.user.userId, orgId: result.user.orgId, mechanism });
    return ctx.ok('Logged in', `CAPABILITY ${session.capabilities().join(' ')}`);
  }
  logEvent(services.logger, 'imap.login_failed', { session: session.id, ip: session.remoteAddress, reason: result.reason, mechanism }, 'warn');
  if (result.reason === 'throttled') {
    const seconds = Math.ceil((result.retryAfterMs ?? 0) / 1000);
    return ctx.no(`Too many failed logins from your address; try again later${seconds ? ` (in ${seconds} s)` : ''}`, 'UNAVAILABLE');
  }
  if (result.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, result.delayMs));
  await ctx.no('Authentication failed', 'AUTHENTICATIONFAILED');
  if (++session.failedLogins >= services.limits.maxFailedLogins) await ctx.bye('Too many failed logins');
}

/** LOGINDISABLED (RFC 3501 section 6.2.3): no password in cleartext, before STARTTLS. */
export async function refuseWithoutTls(ctx: CommandContext): Promise<boolean> {
  if (ctx.session.secure) return false;
  await ctx.no('Use STARTTLS before logging in: passwords are not accepted in cleartext', 'PRIVACYREQUIRED');
  return true;
}
