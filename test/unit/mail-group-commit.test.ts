// Group commit on both engines: deliveries pending together share one transaction; when the
// batch's transaction fails on a database error, each is committed alone, so only the bad one
// fails; a check's refusal (a DomainError) fails only its own delivery, inside the batch.
// Also: store failures become the refusals the doors expect (StorageFull, StoreUnavailable).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../src/errors.ts';
import { storeFailure } from '../../src/mail/store/errors.ts';
import { GroupCommit, oneByOne } from '../../src/mail/store/group-commit.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { mailFixture, type MailFixture } from './mail-fixture.ts';

test('store failures map to the delivery contract: ENOSPC is StorageFull, anything else StoreUnavailable', () => {
  const full = storeFailure(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
  assert.deepEqual([full.kind, full.code], ['unavailable', 'StorageFull']);
  const sqliteFull = storeFailure(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
  assert.deepEqual([sqliteFull.kind, sqliteFull.code], ['unavailable', 'StorageFull']);
  const down = storeFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
  assert.deepEqual([down.kind, down.code], ['unavailable', 'StoreUnavailable']);
  const refusal = new DomainError('limit', 'QuotaExceeded', 'full');
  assert.equal(storeFailure(refusal), refusal);
});

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`group commit (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let f: MailFixture;
    before(async () => {
      f = await mailFixture(engine);
    });
    after(async () => {
      await f?.close();
    });

    const journal = (folder: string) => f.store.db.selectFrom('mail_changes').select('uid').where('folder_id', '=', folder).orderBy('uid').execute();

    test('a database error in one delivery fails the batch; each is then committed alone and only the bad one fails', async () => {
      const batches: number[] = [];
      const queue = new GroupCommit<number, number>(f.store.db, oneByOne(async (trx, n) => {
        // Delivery 13 repeats delivery 1's key: a unique violation, which on PostgreSQL aborts the whole transaction.
        const uid = n === 13 ? 1 : n;
        await trx.insertInto('mail_changes').values({ mailbox_id: 'gc', folder_id: 'gc-a', modseq: uid, uid, kind: 'added' }).execute();
        return n;
      }));
      queue.observe((size) => batches.push(size));
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => queue.submit(i + 1)));
      const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i + 1] : []));
      assert.deepEqual(failed, [13]);
      assert.deepEqual((await journal('gc-a')).map((r) => Number(r.uid)), Array.from({ length: 20 }, (_, i) => i + 1).filter((n) => n !== 13));
      // The failed batch committed nothing; its deliveries then went one per transaction.
      assert.ok(batches.every((size) => size === 1));
      assert.equal(batches.length, 19);
    });

    test('a refusal (DomainError) fails only its delivery, and the batch commits the rest together', async () => {
      const batches: number[] = [];
      const queue = new GroupCommit<number, number>(f.store.db, oneByOne(async (trx, n) => {
        if (n % 5 === 0) throw new DomainError('limit', 'QuotaExceeded', `refused ${n}`);
        await trx.insertInto('mail_changes').values({ mailbox_id: 'gc', folder_id: 'gc-b', modseq: n, uid: n, kind: 'added' }).execute();
        return n;
      }));
      queue.observe((size) => batches.push(size));
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => queue.submit(i + 1)));
      assert.deepEqual(
        outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i + 1] : [])),
        [5, 10, 15, 20],
      );
      assert.equal((await journal('gc-b')).length, 16);
      assert.deepEqual(batches, [20]);
    });
  });
}
