// Mobile device access overrides: for one user's one device, an effect that replaces the
// result of the organization's mobile device access rules (see mobile-access.ts). Keyed by the
// user's entity id and the device's ActiveSync id.
import type { Db, Reader, Tx } from '../store/database.ts';
import type { WmMobileAccessOverridesTable } from '../store/schema.ts';
import { writeDirectory } from './directory-write.ts';
import { requireEnabled, requireEntity } from './entities.ts';
import { ResourceNotFound } from './errors.ts';
import type { Effect } from './mobile-access.ts';
import { tokenPage, type TokenPage, type TokenRequest } from './pages.ts';

/** Sets the override of a registered user's device; the user is named by id, email address or name. */
export async function putMobileDeviceAccessOverride(
  db: Db,
  orgId: string,
  input: { user: string; deviceId: string; effect: Effect; description: string | undefined },
  now: Date,
): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const user = await requireEntity(trx, orgId, input.user, 'USER');
    requireEnabled(user);
    const values = { effect: input.effect, description: input.description ?? null, modified_at: now.toISOString() };
    await trx
      .insertInto('wm_mobile_access_overrides')
      .values({ org_id: orgId, user_id: user.id, device_id: input.deviceId, ...values, created_at: now.toISOString() })
      .onConflict((conflict) => conflict.columns(['org_id', 'user_id', 'device_id']).doUpdateSet(values))
      .execute();
  });
}

export async function findMobileDeviceAccessOverride(db: Reader, orgId: string, userId: string, deviceId: string): Promise<WmMobileAccessOverridesTable | undefined> {
  return db
    .selectFrom('wm_mobile_access_overrides')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .executeTakeFirst();
}

export async function requireMobileDeviceAccessOverride(db: Reader, orgId: string, userId: string, deviceId: string): Promise<WmMobileAccessOverridesTable> {
  const row = await findMobileDeviceAccessOverride(db, orgId, userId, deviceId);
  if (!row) throw new ResourceNotFound(`No mobile device access override exists for user ${userId} and device ${deviceId}.`);
  return row;
}

/** Idempotent once the user exists, as WorkMail's DeleteMobileDeviceAccessOverride; the user is named by id, email address or name. */
export async function deleteMobileDeviceAccessOverride(db: Db, orgId: string, userIdentifier: string, deviceId: string): Promise<void> {
  await writeDirectory(db, orgId, async (trx) => {
    const user = await requireEntity(trx, orgId, userIdentifier, 'USER');
    await trx
      .deleteFrom('wm_mobile_access_overrides')
      .where('org_id', '=', orgId)
      .where('user_id', '=', user.id)
      .where('device_id', '=', deviceId)
      .execute();
  });
}

// Keyset pages over (user id, device id). Neither contains a newline (device ids are
// alphanumeric, user ids are entity ids), so the two join unambiguously into one token key.
const SEPARATOR = '\n';

export async function listMobileDeviceAccessOverrides(
  db: Reader,
  orgId: string,
  filter: { userId?: string; deviceId?: string },
  page: TokenRequest,
): Promise<TokenPage<WmMobileAccessOverridesTable>> {
  let query = db.selectFrom('wm_mobile_access_overrides').selectAll().where('org_id', '=', orgId);
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
  if (filter.deviceId !== undefined) query = query.where('device_id', '=', filter.deviceId);
  if (page.after !== undefined) {
    const [userId = '', deviceId = ''] = page.after.split(SEPARATOR);
    query = query.where((eb) => eb.or([eb('user_id', '>', userId), eb.and([eb('user_id', '=', userId), eb('device_id', '>', deviceId)])]));
  }
  const rows = await query.orderBy('user_id').orderBy('device_id').limit(page.limit + 1).execute();
  return tokenPage(rows, page, (row) => row.user_id + SEPARATOR + row.device_id);
}

/** Drops the user's overrides; to be called when the user is deleted, so a later user never inherits them. */
export async function dropMobileDeviceAccessOverridesOf(db: Tx, userId: string): Promise<void> {
  await db.deleteFrom('wm_mobile_access_overrides').where('user_id', '=', userId).execute();
}
