// Signing in to a mailbox with its email address and password, as SMTP submission and IMAP
// do. One function decides, so both doors refuse the same people for the same reasons:
//
// - a source address locked out by the login throttle is refused before any password check;
// - the password is checked first, so a guesser learns nothing about the account's state;
//   an unknown address costs the same scrypt run as a known one;
// - the user must be registered (ENABLED) in an Active organization;
// - the organization's access control rules for the door's action (SMTP, IMAP) must allow the
//   user from that source address, as GetAccessControlEffect answers.
//
// A verified password is remembered for a while (security/verified-passwords.ts) so that clients
// that reconnect often do not pay scrypt each time; a changed password no longer matches.
import { hashPassword, verifyPassword } from '../security/passwords.ts';
import { LoginThrottle } from '../security/login-throttle.ts';
import { VerifiedPasswords } from '../security/verified-passwords.ts';
import type { Reader } from '../store/database.ts';
import { decideAccess } from './access-decision.ts';
import { ACTIVE } from './organization-states.ts';

export type MailAction = 'SMTP' | 'IMAP';

export interface MailLoginRequest {
  email: string;
  password: string;
  sourceIp: string;
  action: MailAction;
}

export interface MailUser {
  userId: string;
  orgId: string;
  /** The user's primary address. */
  email: string;
}

export type MailLoginResult =
  | { ok: true; user: MailUser }
  /**
   * `delayMs`: how long the door should wait before it answers (the throttle's doubling delay).
   * `reason` is for the log only; the door tells the client no more than "authentication failed".
   */
  | { ok: false; reason: 'throttled' | 'bad-credentials' | 'not-enabled' | 'denied-by-rule'; delayMs: number; retryAfterMs?: number };

export interface MailLoginDeps {
  throttle?: LoginThrottle;
  verified?: VerifiedPasswords;
  /** The password check; scrypt by default (tests count its calls). */
  verify?: (password: string, storedHash: string) => Promise<boolean>;
}

interface Candidate {
  id: string;
  org_id: string;
  state: string;
  password_hash: string | null;
  org_state: string;
}

export class MailLogin {
  readonly throttle: LoginThrottle;
  private readonly verified: VerifiedPasswords;
  private readonly verify: (password: string, storedHash: string) => Promise<boolean>;
  /** A real hash to check unknown addresses against, so that they take as long as known ones. */
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly db: Reader,
    deps: MailLoginDeps = {},
  ) {
    this.throttle = deps.throttle ?? new LoginThrottle();
    this.verified = deps.verified ?? new VerifiedPasswords();
    this.verify = deps.verify ?? verifyPassword;
  }

  async login(request: MailLoginRequest, now: Date): Promise<MailLoginResult> {
    const lockedFor = this.throttle.lockedFor(request.sourceIp, now);
    if (lockedFor > 0) return { ok: false, reason: 'throttled', delayMs: 0, retryAfterMs: lockedFor };

    const user = await this.findUser(request.email);
    if (!user?.password_hash || !(await this.passwordMatches(user.id, user.password_hash, request.password, now))) {
      if (!user?.password_hash) await this.verify(request.password, await (this.decoy ??= hashPassword('not a password')));
      return this.fail(request, 'bad-credentials', now);
    }
    if (user.state !== 'ENABLED' || user.org_state !== ACTIVE) return this.fail(request, 'not-enabled', now);
    const decision = await decideAccess(this.db, user.org_id, { action: request.action, ipAddress: request.sourceIp, userId: user.id });
    if (decision.effect !== 'ALLOW') return this.fail(request, 'denied-by-rule', now);

    this.throttle.succeeded(request.sourceIp);
    const primary = await this.db
      .selectFrom('wm_emails')
      .select('email')
      .where('entity_id', '=', user.id)
      .where('is_primary', '=', 1)
      .executeTakeFirst();
    return { ok: true, user: { userId: user.id, orgId: user.org_id, email: primary?.email ?? request.email.toLowerCase() } };
  }

  private async passwordMatches(userId: string, storedHash: string, password: string, now: Date): Promise<boolean> {
    if (this.verified.has(userId, storedHash, password, now)) return true;
    if (!(await this.verify(password, storedHash))) return false;
    this.verified.remember(userId, storedHash, password, now);
    return true;
  }

  private fail(request: MailLoginRequest, reason: 'bad-credentials' | 'not-enabled' | 'denied-by-rule', now: Date): MailLoginResult {
    return { ok: false, reason, delayMs: this.throttle.failed(request.sourceIp, now) };
  }

  /** The user an address (primary or alias) belongs to; groups and resources cannot sign in. */
  private findUser(email: string): Promise<Candidate | undefined> {
    return this.db
      .selectFrom('wm_emails')
      .innerJoin('wm_entities', 'wm_entities.id', 'wm_emails.entity_id')
      .innerJoin('wm_organizations', 'wm_organizations.id', 'wm_entities.org_id')
      .select(['wm_entities.id', 'wm_entities.org_id', 'wm_entities.state', 'wm_entities.password_hash', 'wm_organizations.state as org_state'])
      .where('wm_emails.email_lower', '=', email.toLowerCase())
      .where('wm_entities.type', '=', 'USER')
      .executeTakeFirst();
  }
}
