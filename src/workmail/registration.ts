// Registration to WorkMail: a user, group or resource becomes ENABLED with a primary address on
// one of the organization's usable domains (a user also gets its mailbox), and DISABLED again
// when deregistered, which frees its addresses but keeps the mailbox, its quota and the
// entity's attributes for a later registration. Also the primary address change and the
// mailbox's quota and size.
import { isUniqueViolation, type Db, type Reader, type Tx } from '../store/database.ts';
import type { WmEntitiesTable } from '../store/schema.ts';
import { writeDirectory } from './directory-write.ts';
import { claimAddress, releaseAllAddresses } from './emails.ts';
import { requireEntity, requireEntityOrDeleted, requireLiveEntity } from './entities.ts';
import { EmailAddressInUse, EntityAlreadyRegistered, EntityNotFound, EntityState, InvalidParameter } from './errors.ts';
import { DEFAULT_MAILBOX_QUOTA_MB, MAX_MAILBOX_QUOTA_MB, userAttributes } from './users.ts';

/**
 * Runs `work` as a directory write that claims `email`: the claim is checked under the
 * organization's lock, and the address's key has the last word, as EmailAddressInUse.
 */
async function claiming(db: Db, orgId: string, email: string, work: (trx: Tx) => Promise<void>): Promise<void> {
  try {
    await writeDirectory(db, orgId, work);
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailAddressInUse(`The email address ${email} is already in use.`);
    throw error;
  }
}

const deletedEntity = (entity: WmEntitiesTable) => new EntityState(`The entity ${entity.id} is deleted.`);

export async function registerToWorkMail(db: Db, orgId: string, entityId: string, email: string, now: Date): Promise<void> {
  await claiming(db, orgId, email, async (trx) => {
    const entity = await requireEntityOrDeleted(trx, orgId, entityId);
    if (entity.state === 'DELETED') throw deletedEntity(entity);
    if (entity.state === 'ENABLED') throw new EntityAlreadyRegistered(`The entity ${entity.id} is already registered to WorkMail as ${entity.email}.`);
    await claimAddress(trx, orgId, entity.id, email, true);
    let mailbox: { mailbox_quota_mb: number | null; attributes: string } = { mailbox_quota_mb: entity.mailbox_quota_mb, attributes: entity.attributes };
    if (entity.type === 'USER') {
      // The mailbox is created at the first registration and survives deregistration.
      const attributes = userAttributes(entity);
      attributes.mailboxProvisionedAt ??= now.toISOString();
      mailbox = { mailbox_quota_mb: entity.mailbox_quota_mb ?? DEFAULT_MAILBOX_QUOTA_MB, attributes: JSON.stringify(attributes) };
    }
    const updated = await trx
      .updateTable('wm_entities')
      .set({ state: 'ENABLED', email: email.toLowerCase(), enabled_at: now.toISOString(), ...mailbox })
      .where('id', '=', entity.id)
      .where('state', '=', 'DISABLED')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new EntityAlreadyRegistered(`The entity ${entity.id} is already registered to WorkMail.`);
  });
}

export async function deregisterFromWorkMail(db: Db, orgId: string, entityId: string, now: Date): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const entity = await requireEntityOrDeleted(trx, orgId, entityId);
    if (entity.state === 'DELETED') throw deletedEntity(entity);
    if (entity.state !== 'ENABLED') throw new EntityState(`The entity ${entity.id} is not registered to WorkMail.`);
    await releaseAllAddresses(trx, entity.id);
    await trx.updateTable('wm_entities').set({ state: 'DISABLED', email: null, disabled_at: now.toISOString() }).where('id', '=', entity.id).execute();
  });
}

/**
 * The new address becomes the primary one; the former primary stays as an alias (or the two
 * swap, when the new one was an alias already), as WorkMail documents it.
 */
export async function updatePrimaryEmailAddress(db: Db, orgId: string, entityId: string, email: string): Promise<void> {
  await claiming(db, orgId, email, async (trx) => {
    const entity = await requireEntityOrDeleted(trx, orgId, entityId);
    if (entity.state === 'DELETED') throw deletedEntity(entity);
    if (entity.state !== 'ENABLED') throw new EntityState(`The entity ${entity.id} is not registered to WorkMail.`);
    const previous = entity.email?.toLowerCase();
    if (previous === email.toLowerCase()) return;
    await claimAddress(trx, orgId, entity.id, email, true);
    if (previous) await trx.updateTable('wm_emails').set({ is_primary: 0 }).where('email_lower', '=', previous).where('entity_id', '=', entity.id).execute();
    await trx.updateTable('wm_entities').set({ email: email.toLowerCase() }).where('id', '=', entity.id).execute();
  });
}

/** The directory's side of a mailbox; its size is the mailbox store's (mail/), composed by the API layer. */
export interface MailboxDetails {
  userId: string;
  quotaMb: number;
}

/** The user's mailbox; EntityNotFoundException when the user never had one (never registered) or it was removed. */
export async function mailboxDetails(db: Reader, orgId: string, userId: string): Promise<MailboxDetails> {
  const user = await requireEntity(db, orgId, userId, 'USER');
  if (!userAttributes(user).mailboxProvisionedAt) throw new EntityNotFound(`The user ${user.id} has no mailbox.`);
  return { userId: user.id, quotaMb: user.mailbox_quota_mb ?? DEFAULT_MAILBOX_QUOTA_MB };
}

/** A registered user's quota, 1 to 51,200 MB. */
export async function updateMailboxQuota(db: Db, orgId: string, userId: string, quotaMb: number): Promise<void> {
  if (!Number.isInteger(quotaMb) || quotaMb < 1 || quotaMb > MAX_MAILBOX_QUOTA_MB) {
    throw new InvalidParameter(`The mailbox quota must be between 1 and ${MAX_MAILBOX_QUOTA_MB} MB.`);
  }
  await writeDirectory(db, orgId, async (trx) => {
    const user = await requireLiveEntity(trx, orgId, userId, 'USER');
    if (user.state !== 'ENABLED') throw new EntityState(`The user ${user.id} is not registered to WorkMail.`);
    await trx.updateTable('wm_entities').set({ mailbox_quota_mb: quotaMb }).where('id', '=', user.id).execute();
  });
}
