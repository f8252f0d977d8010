/** `meridian dead-letters list|replay`: documents the engine rejected, and their second chance. */
import { currentWalLsn, writeTargets, type IndexerDeps } from './backfill.js';
import { writeRoots } from './writer.js';
import { asOtherWriter } from './other-writers.js';
import type { DocumentType } from '../src/search/indices.js';

export interface DeadLetter {
  id: string;
  document_type: DocumentType;
  root_id: string;
  index_name: string;
  lsn: string;
  status_code: number | null;
  error_type: string;
  error: string;
  attempts: number;
  created_at: Date;
  last_failed_at: Date;
}

export async function listDeadLetters(deps: Pick<IndexerDeps, 'db'>, limit = 100): Promise<DeadLetter[]> {
  return deps.db<DeadLetter>('search_dead_letters').whereNull('replayed_at').orderBy('last_failed_at', 'desc').limit(limit);
}

/**
 * Writes the rejected documents again, as they are in Postgres now, into the current targets.
 * They are marked replayed first: one that fails again comes back as a new open dead letter.
 */
export async function replayDeadLetters(deps: IndexerDeps): Promise<{ replayed: number; failedAgain: number }> {
  const open = await deps.db<DeadLetter>('search_dead_letters').whereNull('replayed_at').select('id', 'document_type', 'root_id');
  if (open.length === 0) return { replayed: 0, failedAgain: 0 };
  await deps.db('search_dead_letters').whereIn('id', open.map((d) => d.id)).update({ replayed_at: deps.db.fn.now() });
  return asOtherWriter(deps.db, async () => {
    // A version above anything already written: the replay carries today's state.
    const lsn = await currentWalLsn(deps.db);
    let failedAgain = 0;
    for (const type of new Set(open.map((d) => d.document_type))) {
      const ids = [...new Set(open.filter((d) => d.document_type === type).map((d) => d.root_id))];
      const stats = await writeRoots(deps, type, await writeTargets(deps, type), new Map(ids.map((id) => [id, lsn])));
      failedAgain += stats.deadLettered;
    }
    return { replayed: open.length - failedAgain, failedAgain };
  });
}
