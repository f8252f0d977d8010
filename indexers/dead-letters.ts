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

export async function listDeadLetters(deps: Pick<IndexerDeps, 'db'>, limit = 100, type?: DocumentType): Promise<DeadLetter[]> {
  return openLetters(deps, type).orderBy('last_failed_at', 'desc').limit(limit);
}

/** How many letters are open (of `type`): what a list cut at its limit leaves out. */
export async function countDeadLetters(deps: Pick<IndexerDeps, 'db'>, type?: DocumentType): Promise<number> {
  return Number((await openLetters(deps, type).count({ n: '*' }))[0]!.n);
}

const openLetters = (deps: Pick<IndexerDeps, 'db'>, type?: DocumentType) =>
  deps.db<DeadLetter>('search_dead_letters').whereNull('replayed_at').modify((q) => { if (type) q.where({ document_type: type }); });

/**
 * Writes the rejected documents again, as they are in Postgres now, into the current targets,
 * and only then closes their letters: one that fails again comes back as a new open dead
 * letter, and a replay that stops part-way (the engine down, the process gone) leaves every
 * letter open for the next one, which writes the same documents again, harmlessly.
 */
export async function replayDeadLetters(deps: IndexerDeps): Promise<{ replayed: number; failedAgain: number }> {
  const open = await deps.db<DeadLetter>('search_dead_letters').whereNull('replayed_at').select('id', 'document_type', 'root_id');
  if (open.length === 0) return { replayed: 0, failedAgain: 0 };
  return asOtherWriter(deps.db, async () => {
    // A version above anything already written: the replay carries today's state.
    const lsn = await currentWalLsn(deps.db);
    const { rows: [{ now: startedAt }] } = await deps.db.raw<{ rows: Array<{ now: Date }> }>('SELECT clock_timestamp() AS now');
    for (const type of new Set(open.map((d) => d.document_type))) {
      const ids = [...new Set(open.filter((d) => d.document_type === type).map((d) => d.root_id))];
      await writeRoots(deps, type, await writeTargets(deps, type), new Map(ids.map((id) => [id, lsn])));
    }
    // A letter that failed again was updated in place (one open letter per document and
    // index) and stays open; the others are done.
    const closed = await deps.db('search_dead_letters').whereIn('id', open.map((d) => d.id)).where('last_failed_at', '<', startedAt).update({ replayed_at: deps.db.fn.now() });
    return { replayed: closed, failedAgain: open.length - closed };
  });
}
