// The queue's rows under leases, on both engines: a claim takes only due, unleased recipients;
// a lease that ran out can be claimed by another worker, and then the first can neither renew
// it (so it does not send) nor record over the new owner's work.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { claimDue, insertQueued, recordDeferred, removeRecipients, renewLease } from '../../src/mail/outbound/queue-store.ts';
import { referencedBlobs } from '../../src/mail/store/blob-references.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { openTestStore, type Engine, type TestStore } from '../helpers/smtp.ts';

const BLOB = 'ab'.repeat(32);

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`outbound queue rows (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let t: TestStore;
    before(async () => {
      t = await openTestStore(engine);
    });
    after(() => t.close());

    test('claims, lease expiry, renewal and removal', async () => {
      const db = t.store.db;
      await insertQueued(db, { id: 'q1', org_id: 'm-x', sender: 'a@x.example', sender_mailbox_id: null, blob_id: BLOB, size: 10, received_at: 1000, expires_at: 10_000 }, ['r1@y.example', 'r2@z.example'], 1000);
      assert.deepEqual([...(await referencedBlobs(db, [BLOB]))], [BLOB], 'a queued body is referenced');

      assert.deepEqual(await claimDue(db, 'a', 999, 100, 10), [], 'not due before its first attempt time');
      const claimed = await claimDue(db, 'a', 1000, 100, 10);
      assert.deepEqual(claimed.map((row) => [row.id, row.domain, row.lease_owner]).sort(), [
        ['q1.1', 'y.example', 'a'],
        ['q1.2', 'z.example', 'a'],
      ]);
      assert.deepEqual(await claimDue(db, 'b', 1050, 100, 10), [], 'leased rows are not claimed again');

      // a's lease runs out; b takes q1.1 (a batch of one).
      const taken = await claimDue(db, 'b', 1100, 100, 1);
      assert.equal(taken.length, 1);
      const takenId = taken[0]!.id;
      const otherId = takenId === 'q1.1' ? 'q1.2' : 'q1.1';
      assert.deepEqual([...(await renewLease(db, 'a', ['q1.1', 'q1.2'], 1100, 100))], [], "a's leases have run out: a sends nothing");
      assert.deepEqual([...(await renewLease(db, 'b', [takenId], 1100, 100))], [takenId]);
      await recordDeferred(db, 'a', [takenId], { error: 'late', status: '4.0.0', remoteMta: undefined }, 5000);
      const row = await db.selectFrom('mail_outbound_recipients').selectAll().where('id', '=', takenId).executeTakeFirstOrThrow();
      assert.deepEqual([row.lease_owner, row.attempts, row.last_error], ['b', 0, null], "a cannot record over b's lease");

      assert.deepEqual(await removeRecipients(db, [takenId], 'b'), [], 'the message keeps its other recipient');
      assert.deepEqual(await removeRecipients(db, [otherId]), [BLOB], 'its last recipient gone, the message goes and hands back its body');
      assert.deepEqual([...(await referencedBlobs(db, [BLOB]))], []);
    });
  });
}
