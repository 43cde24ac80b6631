// Every write to an organization's directory (its users, groups, resources, addresses, domains,
// rules, roles and settings) runs through writeDirectory: one transaction holding the
// organization's lock on PostgreSQL (store/tx.ts), so that the checks made inside it (a name is
// free, a count is under its limit, nesting makes no cycle, an address is unclaimed, an entity is
// in the right state) still hold at commit, and announcing the change once it commits.
//
// The organization is read again under the lock and must still be Active: a DeleteOrganization
// committed after the handler looked at it wins. `fn` must use `trx` only, never the database
// it came from (on SQLite that waits for this very transaction), and must await nothing but it.
import { directoryChange } from '../store/changes.ts';
import { writeTransaction, type Db, type Tx } from '../store/database.ts';
import type { WmOrganizationsTable } from '../store/schema.ts';
import { OrganizationNotFound, OrganizationState } from './errors.ts';
import { ACTIVE } from './organization-states.ts';

export function writeDirectory<T>(db: Db, orgId: string, fn: (trx: Tx, org: WmOrganizationsTable) => Promise<T>): Promise<T> {
  return writeTransaction(db, directoryChange(orgId), async (trx) => {
    const org = await trx.selectFrom('wm_organizations').selectAll().where('id', '=', orgId).executeTakeFirst();
    if (!org) throw new OrganizationNotFound(`Organization ${orgId} not found.`);
    if (org.state !== ACTIVE) throw new OrganizationState(`Organization ${orgId} is in state ${org.state}.`);
    return fn(trx, org);
  });
}
