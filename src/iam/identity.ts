// The one authentication and authorization point for API requests.
//
// Keys and compiled policies are cached per account (account-cache.ts) and dropped whenever a
// committed change to that account's IAM is heard on the store's change bus (server/app.ts calls
// `invalidate`), so a decision reflects the latest committed state without re-reading it on every
// request. A change this process makes is heard before its request is answered; one made by
// another process on the same PostgreSQL database is heard as soon as its notification arrives.
import { AccessDenied } from '../errors.ts';
import type { Db } from '../store/database.ts';
import type { Clock } from '../clock.ts';
import { findAccessKey } from './access-keys.ts';
import { compileSources, policySourcesForUser } from './effective-policies.ts';
import { loadUserPrincipal, rootPrincipal, type Principal } from './principal.ts';
import { buildGlobalContext, describeDenial, evaluate, type CompiledPolicy, type Evaluation, type RequestContext } from './policy/index.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { KeyUsageRecorder } from './key-usage.ts';
import { PasswordAttempts } from './password-attempts.ts';
import { AccountCache } from './account-cache.ts';

export interface RequestFacts {
  sourceIp: string;
  secureTransport: boolean;
  region: string;
  now: Date;
}

interface CachedKey {
  secretAccessKey: string;
  principal: Principal;
}

export class Identity {
  /** Generations and cached reads per account; API handlers read through it too. */
  readonly cache = new AccountCache();
  /** Which account each access key belongs to, so a key's cache entry can be found before its account is known. */
  private readonly keyAccounts = new Map<string, string>();
  readonly usage: KeyUsageRecorder;
  readonly passwordAttempts = new PasswordAttempts();

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    readonly clock: Clock,
  ) {
    this.usage = new KeyUsageRecorder(db);
  }

  /** Forget everything cached for an account: its IAM state changed (called from the change bus). */
  invalidate(accountId: string): void {
    this.cache.invalidate(accountId);
  }

  /** Forget everything cached, for every account: changes may have been missed. */
  invalidateAll(): void {
    this.cache.invalidateAll();
  }

  /** The secret and principal behind an access key, or null for an unknown, inactive or orphaned key. */
  async resolveKey(accessKeyId: string): Promise<CachedKey | null> {
    const accountId = this.keyAccounts.get(accessKeyId);
    if (accountId) return this.cache.read(accountId, `key:${accessKeyId}`, () => this.loadKey(accessKeyId));
    const row = await findAccessKey(this.db, accessKeyId);
    if (!row) return null;
    if (this.keyAccounts.size >= 100_000) this.keyAccounts.clear();
    this.keyAccounts.set(accessKeyId, row.account_id);
    return this.cache.read(row.account_id, `key:${accessKeyId}`, () => this.loadKey(accessKeyId));
  }

  private async loadKey(accessKeyId: string): Promise<CachedKey | null> {
    const row = await findAccessKey(this.db, accessKeyId);
    if (!row || row.status !== 'Active') return null;
    const principal = row.user_id === null ? rootPrincipal(row.account_id, accessKeyId) : await loadUserPrincipal(this.db, row.user_id, accessKeyId);
    if (!principal) return null;
    return { secretAccessKey: this.box.open(row.secret_ciphertext, row.id), principal };
  }

  policiesFor(principal: Principal): Promise<CompiledPolicy[]> {
    return this.cache.read(principal.accountId, `policies:${principal.userId}`, async () =>
      compileSources(await policySourcesForUser(this.db, principal.userId)),
    );
  }

  contextFor(principal: Principal, facts: RequestFacts): RequestContext {
    return buildGlobalContext({
      sourceIp: facts.sourceIp,
      now: facts.now,
      secureTransport: facts.secureTransport,
      username: principal.userName,
      userId: principal.userId,
      principalArn: principal.arn,
      principalAccount: principal.accountId,
      principalType: principal.type === 'root' ? 'Account' : 'User',
      principalTags: principal.tags,
      requestedRegion: facts.region,
    });
  }

  /** Decides as AWS does; throws AccessDenied in AWS's words when the answer is no. */
  async authorize(
    principal: Principal,
    action: string,
    resource: string,
    context: RequestContext,
    implicitAllow?: () => Promise<boolean>,
  ): Promise<void> {
    if (principal.type === 'root') {
      // The root user is unrestricted within its own account, and may read AWS managed policies
      // (their ARNs carry the account 'aws'; changing them is refused by the policy operations).
      const account = resourceAccount(resource);
      if (account === principal.accountId || account === '' || account === 'aws') return;
      throw new AccessDenied(`User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource}`);
    }
    const evaluation = await this.evaluate(principal, action, resource, context);
    if (evaluation.decision === 'implicitDeny' && implicitAllow && (await implicitAllow())) return;
    if (evaluation.decision !== 'allowed') {
      throw new AccessDenied(describeDenial(principal.arn, action, resource, evaluation));
    }
  }

  async evaluate(principal: Principal, action: string, resource: string, context: RequestContext): Promise<Evaluation> {
    return evaluate({ action, resource, context }, await this.policiesFor(principal));
  }

  async close(): Promise<void> {
    await this.usage.close();
  }
}

/** The account segment of an ARN ('' for '*' or an ARN without one). */
function resourceAccount(arn: string): string {
  if (arn === '*') return '';
  return arn.split(':')[4] ?? '';
}
