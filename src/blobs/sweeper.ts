// Removes orphan blobs: files no message references and no hold protects, older than a grace
// period. Orphans come from a delivery whose transaction failed or was refused after its body was
// written, and from a crash between the two. The grace period covers another process (PostgreSQL)
// that wrote a body and has not committed its reference yet.
import type { FileBlobStore } from './blob-store.ts';

export interface SweepResult {
  removed: string[];
  kept: number;
}

/**
 * `referenced` answers which of a batch of ids some message still points at.
 * `now` is wall time in ms, compared with file modification times.
 */
export async function sweepOrphanBlobs(
  blobs: FileBlobStore,
  referenced: (ids: string[]) => Promise<Set<string>>,
  options: { graceMs: number; now: number },
): Promise<SweepResult> {
  const before = options.now - options.graceMs;
  await blobs.settleTombstones(async (id) => (await referenced([id])).has(id));
  const removed: string[] = [];
  let kept = 0;
  let batch: string[] = [];
  const flush = async () => {
    const used = await referenced(batch);
    for (const id of batch) {
      // The batch's answer sorts out the many referenced blobs; each candidate is asked again in its turn.
      if (used.has(id) || blobs.isHeld(id)) kept++;
      else if (await blobs.removeUnlessUsed(id, async (one) => (await referenced([one])).has(one))) removed.push(id);
      else kept++;
    }
    batch = [];
  };
  for await (const blob of blobs.list(before)) {
    if (blob.modifiedAt >= before || blobs.isHeld(blob.id)) {
      kept++;
      continue;
    }
    batch.push(blob.id);
    if (batch.length >= 500) await flush();
  }
  if (batch.length) await flush();
  return { removed, kept };
}
