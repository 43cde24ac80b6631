// Whether an organization's access control rules let a request in: what GetAccessControlEffect
// answers, and what the SMTP and IMAP listeners ask before they let a user sign in. The request
// names either a user (by id, email address or name) or an impersonation role (EWS only); the
// decision itself is access-control.ts, over the rules as they are stored now.
import type { Reader } from '../store/database.ts';
import { accessControlEffect, isAccessControlAction, type AccessDecision } from './access-control.ts';
import { listAccessControlRules } from './access-control-rules.ts';
import { requireEntity } from './entities.ts';
import { InvalidParameter } from './errors.ts';
import { requireImpersonationRole } from './impersonation.ts';

export interface AccessQuestion {
  action: string;
  ipAddress: string;
  /** The user acting: an id, email address or name. */
  userId?: string;
  /** The impersonation role acting, instead of a user. */
  impersonationRoleId?: string;
}

/** EntityNotFound for an unknown user, ResourceNotFound for an unknown role, InvalidParameter for a malformed question. */
export async function decideAccess(db: Reader, orgId: string, question: AccessQuestion): Promise<AccessDecision> {
  if (!isAccessControlAction(question.action)) {
    throw new InvalidParameter(`Invalid action ${question.action}. Valid actions are ActiveSync, AutoDiscover, EWS, IMAP, SMTP, WindowsOutlook, WebMail.`);
  }
  if ((question.userId === undefined) === (question.impersonationRoleId === undefined)) {
    throw new InvalidParameter('You must provide either the user ID or the impersonation role ID.');
  }
  let userId: string | undefined;
  if (question.userId !== undefined) userId = (await requireEntity(db, orgId, question.userId, 'USER')).id;
  if (question.impersonationRoleId !== undefined) {
    if (question.action !== 'EWS') throw new InvalidParameter('An impersonation role ID can only be used with the EWS action.');
    await requireImpersonationRole(db, orgId, question.impersonationRoleId);
  }
  return accessControlEffect(await listAccessControlRules(db, orgId), {
    ipAddress: question.ipAddress,
    action: question.action,
    userId,
    impersonationRoleId: question.impersonationRoleId,
  });
}
