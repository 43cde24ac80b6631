// Checks that what a mailbox's counters say agrees with its rows: each folder's message, unseen
// and byte counts, UIDNEXT above every UID, HIGHESTMODSEQ at its newest message's MODSEQ or
// later, the mailbox's MODSEQ counter above every journal entry, one 'added' journal entry per
// message, and every referenced body present. Tests run it after crashes; an operator may too.
import type { Reader } from '../../store/database.ts';
import type { FileBlobStore } from '../../blobs/blob-store.ts';
import { SEEN } from './flags.ts';

export async function checkMailStore(db: Reader, blobs?: FileBlobStore): Promise<string[]> {
  const problems: string[] = [];
  const folders = await db.selectFrom('mail_folders').selectAll().execute();
  for (const folder of folders) {
    const rows = await db.selectFrom('mail_messages').select(['uid', 'size', 'flags', 'modseq']).where('folder_id', '=', folder.id).execute();
    const count = rows.length;
    const unseen = rows.filter((row) => !(Number(row.flags) & SEEN)).length;
    const bytes = rows.reduce((sum, row) => sum + Number(row.size), 0);
    const maxUid = Math.max(0, ...rows.map((row) => Number(row.uid)));
    const maxModseq = Math.max(0, ...rows.map((row) => Number(row.modseq)));
    const where = `${folder.mailbox_id}/${folder.name}`;
    if (Number(folder.messages) !== count) problems.push(`${where}: messages ${folder.messages}, rows ${count}`);
    if (Number(folder.unseen) !== unseen) problems.push(`${where}: unseen ${folder.unseen}, rows ${unseen}`);
    if (Number(folder.bytes) !== bytes) problems.push(`${where}: bytes ${folder.bytes}, rows ${bytes}`);
    if (Number(folder.uid_next) <= maxUid) problems.push(`${where}: UIDNEXT ${folder.uid_next} not above UID ${maxUid}`);
    if (Number(folder.highest_modseq) < maxModseq) problems.push(`${where}: HIGHESTMODSEQ ${folder.highest_modseq} below ${maxModseq}`);
    const added = await db.selectFrom('mail_changes').select('uid').where('folder_id', '=', folder.id).where('kind', '=', 'added').execute();
    const journal = new Set(added.map((row) => Number(row.uid)));
    for (const row of rows) if (!journal.has(Number(row.uid))) problems.push(`${where}: UID ${row.uid} has no 'added' journal entry`);
  }
  const mailboxes = await db.selectFrom('mail_mailboxes').select(['id', 'next_modseq']).execute();
  for (const mailbox of mailboxes) {
    const top = await db
      .selectFrom('mail_changes')
      .select((eb) => eb.fn.max<number | string | null>('modseq').as('top'))
      .where('mailbox_id', '=', mailbox.id)
      .executeTakeFirst();
    if (Number(top?.top ?? 0) >= Number(mailbox.next_modseq)) problems.push(`${mailbox.id}: MODSEQ counter ${mailbox.next_modseq} not above journal ${top?.top}`);
  }
  if (blobs) {
    const ids = await db.selectFrom('mail_messages').select('blob_id').distinct().execute();
    for (const { blob_id } of ids) if (!(await blobs.exists(blob_id))) problems.push(`blob ${blob_id} is referenced but missing`);
  }
  return problems;
}

