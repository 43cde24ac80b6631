// Every organization now gets WorkMail's two allow-all default rules (access control and mobile
// device access) when it is created; before, they were written on the first use of either rule
// set, so reading rules could write. This writes them for the organizations that never had them
// written: those without a marker row of that kind. A marker without its rule means an
// administrator deleted the default, which stays deleted.
//
// The rows are spelled out here rather than taken from the domain code, so that this migration
// keeps doing what it did when it shipped.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

const NAME = 'default';
const DESCRIPTION = 'Default WorkMail Rule';

// Untyped: a migration sees the schema of its own time, not today's.
export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  const organizations: { id: string; created_at: string }[] = await db.selectFrom('wm_organizations').select(['id', 'created_at']).execute();
  const markers: { org_id: string; kind: string }[] = await db.selectFrom('wm_rule_defaults').select(['org_id', 'kind']).execute();
  const marked = new Set(markers.map((marker) => `${marker.org_id}/${marker.kind}`));
  for (const org of organizations) {
    const rule = { org_id: org.id, name: NAME, effect: 'ALLOW', description: DESCRIPTION, conditions: '{}', created_at: org.created_at, modified_at: org.created_at };
    if (!marked.has(`${org.id}/access`)) {
      await db.insertInto('wm_access_control_rules').values(rule).onConflict((conflict) => conflict.columns(['org_id', 'name']).doNothing()).execute();
      await db.insertInto('wm_rule_defaults').values({ org_id: org.id, kind: 'access', installed_at: now }).execute();
    }
    if (!marked.has(`${org.id}/mobile`)) {
      await db.insertInto('wm_mobile_access_rules').values({ ...rule, id: randomUUID(), client_token: null }).execute();
      await db.insertInto('wm_rule_defaults').values({ org_id: org.id, kind: 'mobile', installed_at: now }).execute();
    }
  }
}
