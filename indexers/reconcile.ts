/**
 * Reconciliation (DESIGN §5): compares Postgres with each index — which roots should be
 * searchable, and how fresh each document is (with `deep`, each document whole) — and repairs
 * the drift by rewriting those documents at the current LSN. Both sides are walked in id
 * order, page by page, so memory stays flat whatever the size (but for the drifted ids).
 */
import type { DocumentType } from '../src/search/indices.js';
import { aliasName } from '../src/search/indices.js';
import { currentWalLsn, writeTargets, type IndexerDeps } from './backfill.js';
import { writeRoots } from './writer.js';
import { asOtherWriter } from './other-writers.js';
import { loadDocuments, SEARCHABLE_CANDIDATE } from '../src/db/documents.js';
import { isDeepStrictEqual } from 'node:util';
import { ServiceError } from '../src/errors.js';

const PAGE = 5000;

/** Roots that belong in the index, with the freshness stamp their document carries. */
const EXPECTED_SQL: Record<DocumentType, string> = {
  candidates: `
    SELECT c.id, greatest(c.updated_at, u.updated_at) AS updated_at FROM candidates c JOIN users u ON u.id = c.user_id
    WHERE c.id > ? AND ${SEARCHABLE_CANDIDATE}
    ORDER BY c.id LIMIT ?`,
  opportunities: 'SELECT o.id, o.updated_at FROM opportunities o WHERE o.id > ? ORDER BY o.id LIMIT ?',
};

export interface ReconcileReport {
  type: DocumentType;
  checked: number;
  missing: number;
  extra: number;
  stale: number;
  repaired: number;
}

async function* expectedRoots(deps: IndexerDeps, type: DocumentType): AsyncGenerator<{ id: string; updatedAt: number }> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await deps.db.raw<{ rows: Array<{ id: string; updated_at: Date }> }>(EXPECTED_SQL[type], [after, PAGE]);
    for (const row of rows) yield { id: row.id, updatedAt: row.updated_at.getTime() };
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

async function* indexedRoots(deps: IndexerDeps, index: string): AsyncGenerator<{ id: string; updatedAt: number }> {
  let searchAfter: unknown[] | undefined;
  for (;;) {
    const page = await deps.search.search(index, { size: PAGE, _source: ['updated_at'], sort: [{ id: 'asc' }], ...(searchAfter ? { search_after: searchAfter } : {}) });
    for (const hit of page.hits) yield { id: hit.id, updatedAt: Date.parse(String(hit.source.updated_at)) };
    if (page.hits.length < PAGE) return;
    searchAfter = page.hits[page.hits.length - 1]!.sort;
  }
}

/**
 * Of `ids` (in both Postgres and the index, with the same freshness stamp), those whose indexed
 * document is not the one Postgres gives now. The stamp is the root row's `updated_at`, which
 * a change to a child or shared table (a skill, a language, an organisation) leaves alone, so a
 * change of that kind the stream missed shows only here. The engine keeps `_source` as it was
 * sent, so the two compare exactly; the vector is in neither (it follows from the text).
 */
async function differing(deps: IndexerDeps, type: DocumentType, index: string, ids: string[]): Promise<string[]> {
  const [loaded, found] = await Promise.all([
    loadDocuments(deps.db, type, ids),
    deps.search.search(index, { size: ids.length, query: { ids: { values: ids } } }),
  ]);
  const indexed = new Map(found.hits.map((hit) => [hit.id, hit.source]));
  // As the writer sent it: JSON (no undefined members).
  return loaded.filter((doc) => !doc.searchable || !isDeepStrictEqual(JSON.parse(JSON.stringify(doc.document)), indexed.get(doc.id))).map((doc) => doc.id);
}

/** Documents compared at a time by a deep reconciliation. */
const DEEP_BATCH = 500;

/** Roots compared between two progress reports (a million candidates take minutes). */
const PROGRESS_EVERY = 50_000;

export async function reconcile(deps: IndexerDeps, type: DocumentType, options: { repair?: boolean; deep?: boolean; onProgress?: (report: ReconcileReport) => void; progressEvery?: number } = {}): Promise<ReconcileReport> {
  const progressEvery = options.progressEvery ?? PROGRESS_EVERY;
  const report: ReconcileReport = { type, checked: 0, missing: 0, extra: 0, stale: 0, repaired: 0 };
  const [index] = await deps.search.aliasTargets(aliasName(deps.prefix, type));
  // No index at all is the largest drift there is, not a clean report.
  if (!index) throw new ServiceError('index_missing', `There is no ${type} index behind the alias ${aliasName(deps.prefix, type)} to reconcile; build it with \`meridian reindex ${type}\` (or start the indexer)`);
  await deps.search.refresh(index);
  const drift = new Set<string>();
  const expected = expectedRoots(deps, type);
  const indexed = indexedRoots(deps, index);
  let e = await expected.next();
  let i = await indexed.next();
  // --deep: the documents that look fresh, compared whole, a batch at a time.
  let look: string[] = [];
  const lookCloser = async () => {
    for (const id of await differing(deps, type, index, look)) {
      report.stale++;
      drift.add(id);
    }
    look = [];
  };
  // A merge join of two id-ordered streams (lower-case uuid text sorts like the uuid bytes).
  while (!e.done || !i.done) {
    report.checked++;
    if (report.checked % progressEvery === 0) options.onProgress?.({ ...report });
    if (i.done || (!e.done && e.value.id < i.value.id)) {
      report.missing++;
      drift.add(e.value!.id);
      e = await expected.next();
    } else if (e.done || i.value.id < e.value.id) {
      report.extra++;
      drift.add(i.value.id);
      i = await indexed.next();
    } else {
      if (e.value.updatedAt > i.value.updatedAt) {
        report.stale++;
        drift.add(e.value.id);
      } else if (options.deep) {
        look.push(e.value.id);
        if (look.length >= DEEP_BATCH) await lookCloser();
      }
      e = await expected.next();
      i = await indexed.next();
    }
  }
  if (look.length > 0) await lookCloser();
  if (options.repair !== false && drift.size > 0) {
    await asOtherWriter(deps.db, async () => {
      const lsn = await currentWalLsn(deps.db);
      const ids = [...drift];
      for (let start = 0; start < ids.length; start += PAGE) {
        const stats = await writeRoots(deps, type, await writeTargets(deps, type), new Map(ids.slice(start, start + PAGE).map((id) => [id, lsn])));
        report.repaired += stats.indexed + stats.deleted;
      }
    });
    deps.log.warn('reconcile: repaired drift', { ...report });
  }
  return report;
}
