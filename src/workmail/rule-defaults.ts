// WorkMail gives every organization an allow-all access control rule and an allow-all mobile
// device access rule, which administrators may edit or delete (deleting every rule then blocks
// all access). Godwit writes them on the organization's first use of either rule set, so the
// organizations module need not know about rules; a marker row keeps a deleted default deleted.
import type { Transaction } from 'kysely';
import { inTransaction, isUniqueViolation, type Db } from '../store/database.ts';
import type { Database } from '../store/schema.ts';

export type RuleSetKind = 'access' | 'mobile';

/** Runs `install` once per organization and kind, in the transaction that writes the marker. */
export async function ensureDefaultRule(db: Db, orgId: string, kind: RuleSetKind, now: Date, install: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
  const marker = await db.selectFrom('wm_rule_defaults').select('org_id').where('org_id', '=', orgId).where('kind', '=', kind).executeTakeFirst();
  if (marker) return;
  try {
    await inTransaction(db, async (trx) => {
      await trx.insertInto('wm_rule_defaults').values({ org_id: orgId, kind, installed_at: now.toISOString() }).execute();
      await install(trx);
    });
  } catch (error) {
    // Another request installed it first: the default exists, which is all that was wanted.
    if (!isUniqueViolation(error)) throw error;
  }
}
