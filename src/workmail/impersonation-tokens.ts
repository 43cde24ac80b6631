// Impersonation tokens (AssumeImpersonationRole): a random bearer token handed out once and
// stored only as its SHA-256, valid for 15 minutes, and dead as soon as its role is deleted.
// Whoever later serves EWS-style impersonated access checks a presented token with
// verifyImpersonationToken.
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Reader } from '../store/database.ts';
import { writeDirectory } from './directory-write.ts';
import { requireImpersonationRole, rulesOf, type ImpersonationRoleType, type ImpersonationRule } from './impersonation.ts';

export const IMPERSONATION_TOKEN_LIFETIME_SECONDS = 900;

const hashOf = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export interface AssumedRole {
  token: string;
  expiresIn: number;
}

/** A new token for the role, issued under the organization's lock so that a role deleted meanwhile issues none. */
export async function assumeImpersonationRole(db: Db, orgId: string, roleId: string, now: Date): Promise<AssumedRole> {
  // 32 random bytes, base64url: within the model's [\x21-\x7e]{1,256}.
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + IMPERSONATION_TOKEN_LIFETIME_SECONDS * 1000);
  await writeDirectory(db, orgId, async (trx) => {
    await requireImpersonationRole(trx, orgId, roleId);
    // Expired tokens of the role are of no use to anyone; dropping them here bounds the table.
    await trx.deleteFrom('wm_impersonation_tokens').where('role_id', '=', roleId).where('expires_at', '<=', now.toISOString()).execute();
    await trx
      .insertInto('wm_impersonation_tokens')
      .values({ token_hash: hashOf(token), org_id: orgId, role_id: roleId, created_at: now.toISOString(), expires_at: expiresAt.toISOString() })
      .execute();
  });
  return { token, expiresIn: IMPERSONATION_TOKEN_LIFETIME_SECONDS };
}

export interface VerifiedImpersonation {
  orgId: string;
  roleId: string;
  type: ImpersonationRoleType;
  rules: ImpersonationRule[];
  expiresAt: Date;
}

/** The role a token was assumed from, with its current rules; undefined when unknown, expired or the role is gone. */
export async function verifyImpersonationToken(db: Reader, token: string, now: Date): Promise<VerifiedImpersonation | undefined> {
  const row = await db.selectFrom('wm_impersonation_tokens').selectAll().where('token_hash', '=', hashOf(token)).executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return undefined;
  const role = await db
    .selectFrom('wm_impersonation_roles')
    .selectAll()
    .where('org_id', '=', row.org_id)
    .where('id', '=', row.role_id)
    .executeTakeFirst();
  if (!role) return undefined;
  return { orgId: row.org_id, roleId: role.id, type: role.type as ImpersonationRoleType, rules: rulesOf(role), expiresAt: new Date(row.expires_at) };
}
