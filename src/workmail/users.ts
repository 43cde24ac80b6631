// WorkMail users: created DISABLED in the organization's directory (RegisterToWorkMail gives
// them an address and a mailbox), described, listed, updated, deleted once deregistered, and
// given a new password under WorkMail's password policy. Names are unique per organization
// across users, groups and resources.
import { sql, type Expression, type SqlBool } from 'kysely';
import { hashPassword } from '../security/passwords.ts';
import type { Db, Reader } from '../store/database.ts';
import type { WmEntitiesTable } from '../store/schema.ts';
import { writeDirectory } from './directory-write.ts';
import { checkNotReservedName, insertEntity, requireEntityOrDeleted, requireLiveEntity, requireNameAvailable } from './entities.ts';
import { markEntityDeleted } from './entity-deletion.ts';
import { EntityNotFound, EntityState, InvalidParameter } from './errors.ts';
import { newDirectoryEntityId } from './ids.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';
import { checkPassword } from './password-rules.ts';

/** A user's mailbox quota when none was set, and the most WorkMail allows: 50 GB. */
export const DEFAULT_MAILBOX_QUOTA_MB = 51200;
export const MAX_MAILBOX_QUOTA_MB = 51200;

/** The user's directory attributes, kept in `attributes` under the model's member names. */
export const PROFILE_FIELDS = [
  'FirstName',
  'LastName',
  'Initials',
  'Telephone',
  'Street',
  'JobTitle',
  'City',
  'Company',
  'ZipCode',
  'Department',
  'Country',
  'Office',
  'IdentityProviderUserId',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type UserProfile = Partial<Record<ProfileField, string>>;

/** What `attributes` holds for a user: the profile, and when its mailbox was created and removed. */
export interface UserAttributes extends UserProfile {
  mailboxProvisionedAt?: string;
  mailboxDeprovisionedAt?: string;
}

export const userAttributes = (user: WmEntitiesTable): UserAttributes => JSON.parse(user.attributes) as UserAttributes;

export type UserRole = 'USER' | 'RESOURCE' | 'SYSTEM_USER' | 'REMOTE_USER';

/** WorkMail gives SYSTEM_USER and RESOURCE roles itself; CreateUser and UpdateUser refuse them. */
function checkAssignableRole(role: UserRole | undefined): void {
  if (role === 'SYSTEM_USER' || role === 'RESOURCE') throw new InvalidParameter(`You cannot pass the ${role} role.`);
}

export interface NewUser {
  name: string;
  displayName: string;
  password: string | undefined;
  role: UserRole | undefined;
  hidden: boolean;
  profile: UserProfile;
}

export async function createUser(db: Db, orgId: string, input: NewUser, now: Date): Promise<WmEntitiesTable> {
  checkNotReservedName(input.name);
  checkAssignableRole(input.role);
  if (input.password !== undefined) checkPassword(input.password);
  // Only spares the password hashing when the name is plainly taken; insertEntity decides.
  await requireNameAvailable(db, orgId, input.name);
  const row: WmEntitiesTable = {
    id: newDirectoryEntityId(),
    org_id: orgId,
    type: 'USER',
    name: input.name,
    name_lower: input.name.toLowerCase(),
    display_name: input.displayName,
    email: null,
    state: 'DISABLED',
    created_at: now.toISOString(),
    enabled_at: null,
    disabled_at: null,
    role: input.role ?? 'USER',
    hidden: input.hidden ? 1 : 0,
    // Hashed outside any transaction: scrypt takes ~100 ms and must not hold a write lock.
    password_hash: input.password === undefined ? null : await hashPassword(input.password),
    mailbox_quota_mb: null,
    attributes: JSON.stringify(definedOnly(input.profile)),
  };
  return insertEntity(db, row);
}

const definedOnly = (profile: UserProfile): UserProfile =>
  Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined && value !== '')) as UserProfile;

/** The user by id (deleted ones too, which WorkMail still describes), email address or name. */
export const describeUser = (db: Reader, orgId: string, userId: string) => requireEntityOrDeleted(db, orgId, userId, 'USER');

export interface UserFilters {
  usernamePrefix?: string;
  displayNamePrefix?: string;
  primaryEmailPrefix?: string;
  state?: string;
  identityProviderUserIdPrefix?: string;
}

/**
 * `expression` begins with `prefix`, compared literally (LIKE would read '%' and '_', legal in
 * names, as wildcards) and case-insensitively: the caller lower-cases the column side.
 * substr counts characters on both engines, hence the code-point length.
 */
const startsWith = (expression: Expression<string | null>, prefix: string): Expression<SqlBool> =>
  sql<SqlBool>`substr(${expression}, 1, ${[...prefix].length}) = ${prefix.toLowerCase()}`;

/** One page of the organization's users (deleted ones included, as WorkMail lists them), by id. */
export async function listUsers(db: Reader, orgId: string, filters: UserFilters, page: TokenRequest): Promise<TokenPage<WmEntitiesTable>> {
  let query = db.selectFrom('wm_entities').selectAll().where('org_id', '=', orgId).where('type', '=', 'USER');
  if (filters.usernamePrefix) query = query.where(startsWith(sql.ref('name_lower'), filters.usernamePrefix));
  if (filters.displayNamePrefix) query = query.where(startsWith(sql`lower(display_name)`, filters.displayNamePrefix));
  if (filters.primaryEmailPrefix) query = query.where(startsWith(sql.ref('email'), filters.primaryEmailPrefix));
  if (filters.state) query = query.where('state', '=', filters.state);
  if (filters.identityProviderUserIdPrefix) {
    // The id lives in the attributes JSON, written by JSON.stringify (no spaces), and the
    // prefix is hex digits and '-' only (the model's pattern), so a LIKE on the text is exact
    // and the same on both engines.
    const needle = `%"identityprovideruserid":"${filters.identityProviderUserIdPrefix.toLowerCase()}%`;
    query = query.where(sql<SqlBool>`lower(attributes) like ${needle}`);
  }
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  const rows = await query.orderBy('id').limit(page.limit + 1).execute();
  return tokenPage(rows, page, (row) => row.id);
}

export interface UserChanges {
  role?: UserRole;
  displayName?: string;
  hidden?: boolean;
  profile: UserProfile;
}

/** Sets the given members; an empty string clears an attribute, as WorkMail's UpdateUser does. */
export async function updateUser(db: Db, orgId: string, userId: string, changes: UserChanges): Promise<void> {
  checkAssignableRole(changes.role);
  await writeDirectory(db, orgId, async (trx) => {
    const user = await requireLiveEntity(trx, orgId, userId, 'USER');
    const attributes = userAttributes(user);
    for (const field of PROFILE_FIELDS) {
      const value = changes.profile[field];
      if (value === undefined) continue;
      if (value === '') delete attributes[field];
      else attributes[field] = value;
    }
    await trx
      .updateTable('wm_entities')
      .set({
        role: changes.role ?? user.role,
        display_name: changes.displayName === undefined ? user.display_name : changes.displayName || null,
        hidden: changes.hidden === undefined ? user.hidden : changes.hidden ? 1 : 0,
        attributes: JSON.stringify(attributes),
      })
      .where('id', '=', user.id)
      .execute();
  });
}

/**
 * WorkMail deletes only users that are not registered (EntityStateException otherwise), and its
 * DeleteUser declares no EntityNotFoundException: deleting a user that is absent or already
 * deleted succeeds. The row stays (State DELETED) with its mailbox marked deprovisioned; the
 * name, addresses and group memberships are freed.
 */
export async function deleteUser(db: Db, orgId: string, userId: string, now: Date): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const user = await requireEntityOrDeleted(trx, orgId, userId, 'USER').catch((error: unknown) => {
      if (error instanceof EntityNotFound) return undefined;
      throw error;
    });
    if (!user || user.state === 'DELETED') return;
    if (user.state === 'ENABLED') throw new EntityState(`The user ${user.id} is registered to WorkMail; deregister it before deleting it.`);
    await markEntityDeleted(trx, user, now);
    const attributes = userAttributes(user);
    if (attributes.mailboxProvisionedAt) attributes.mailboxDeprovisionedAt = now.toISOString();
    await trx.updateTable('wm_entities').set({ password_hash: null, attributes: JSON.stringify(attributes) }).where('id', '=', user.id).execute();
  });
}

export async function resetPassword(db: Db, orgId: string, userId: string, password: string): Promise<void> {
  // Fails fast on an unknown user before spending ~100 ms on scrypt, which must not run under the lock.
  await requireLiveEntity(db, orgId, userId, 'USER');
  checkPassword(password);
  const hash = await hashPassword(password);
  await writeDirectory(db, orgId, async (trx) => {
    const user = await requireLiveEntity(trx, orgId, userId, 'USER');
    await trx.updateTable('wm_entities').set({ password_hash: hash }).where('id', '=', user.id).execute();
  });
}
