/**
 * Recommendations for one beneficiary, ranked and stored: what GET /v1/me/recommendations
 * serves and what the nightly refresh precomputes, written the same way by both. Each item
 * is a `recommendations` row (status generated) carrying its score, rank, chips and the
 * model version that produced it.
 *
 * Opportunities the person dismissed, or applied to, are never recommended again. The set
 * itself (model, types, when, how many) is recorded in recommendation_sets, so GET can serve
 * it again while nothing it was ranked from has changed (stored-recommendations.ts).
 *
 * Re-ranking the same person on the same day with the same model does not pile up rows: a
 * row of that day and model version that the person has not acted on (still generated, not
 * viewed, clicked, applied, dismissed or rated, not behind an application) is updated in
 * place for the same opportunity, so its id — which the person may already hold — stays
 * valid. Rows the person acted on are never touched. Two rankings of one person at once (two
 * tabs, a request beside the nightly refresh) store one after the other, the second reusing
 * the first's rows, and neither stores an opportunity dismissed or applied to while it ranked.
 */
import type { Knex } from 'knex';
import type { Language } from '../domain/chips.js';
import { loadDocuments } from '../db/documents.js';
import type { Encoder } from './encoder.js';
import type { RankerModel } from './model-store.js';
import { rankOpportunities, type RankDeps, type Ranked } from './rank.js';

/** The version string stored with every recommendation and explanation. */
export function modelVersionOf(encoder: Encoder | undefined, ranker: Pick<RankerModel, 'version'> | undefined): string {
  return `ranker:${ranker?.version ?? 'hand-set'}+encoder:${encoder?.version ?? 'none'}`;
}

export interface RecommendFor {
  candidateId: string;
}

export interface StoredRecommendation {
  recommendationId: string;
  rank: number;
  score: number;
  item: Ranked;
}

const round = (score: number) => Math.round(score * 10_000) / 10_000;
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

export async function recommendFor(db: Knex, deps: RankDeps & { modelVersion: string }, person: RecommendFor, options: { types?: string[]; size: number; language: Language }): Promise<StoredRecommendation[]> {
  // The database clock before the profile is read: a profile row stamped later changed
  // after this ranking saw it (stored-recommendations.ts compares on this clock).
  const { rows: [before] } = await db.raw('SELECT clock_timestamp() AS ranked_at');
  const done = await doneWith(db, person.candidateId);
  const [doc] = await loadDocuments(db, 'candidates', [person.candidateId]);
  if (!doc?.document.id) return [];
  // Eligibility from the profile as read now, not the caller's copy (the API caches who a
  // user is for seconds): a set ranked for a category the person left would be stored as
  // valid, since no profile row changed after this ranking read it.
  const category = (doc.document.category as string | null | undefined) ?? null;
  const ranked = await rankOpportunities(deps, doc.document, { kind: 'beneficiary', category }, { ...options, exclude: [...done] });
  const now = deps.now();
  const types = [...(options.types ?? [])].sort();
  return db.transaction(async (trx) => {
    // One store per person at a time; then what was dismissed or applied to meanwhile is left out.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`meridian recommendations ${person.candidateId}`]);
    const doneNow = await doneWith(trx, person.candidateId);
    const kept = ranked.filter((item) => !doneNow.has(item.id));
    const stored = kept.length ? await storeRows(trx, deps.modelVersion, person.candidateId, kept, now) : [];
    // A full ranking that lost items here is not "all there was": a set of 19 from a ranking of
    // 20 must not answer a request for 20 (stored-recommendations.ts reads found < requested as
    // complete), so it is recorded as asked for no more than it holds.
    const requested = kept.length < ranked.length && ranked.length >= options.size ? kept.length : options.size;
    await trx('recommendation_sets')
      .insert({
        candidate_id: person.candidateId, model_version: deps.modelVersion, types, generated_at: now, ranked_at: before.ranked_at,
        requested, found: kept.length, recommendation_ids: stored.map((s) => s.recommendationId),
      })
      .onConflict('candidate_id').merge();
    return stored;
  });
}

/**
 * The opportunities a person is done with: dismissed, or applied to (through the API, or
 * marked applied on a recommendation). Neither is worth recommending again.
 */
async function doneWith(db: Knex, candidateId: string): Promise<Set<string>> {
  const { rows } = await db.raw(`
    SELECT opportunity_id FROM recommendations WHERE candidate_id = :candidate AND (dismissed_at IS NOT NULL OR applied)
    UNION SELECT opportunity_id FROM applications WHERE candidate_id = :candidate`, { candidate: candidateId });
  return new Set(rows.map((row: { opportunity_id: string }) => row.opportunity_id));
}

/** Writes the ranked items as recommendations rows (reusing the day's untouched ones), best first. */
async function storeRows(trx: Knex.Transaction, modelVersion: string, candidateId: string, ranked: Ranked[], now: Date): Promise<StoredRecommendation[]> {
  const reusable = await trx('recommendations as r')
    .where({ 'r.candidate_id': candidateId, 'r.model_version': modelVersion, 'r.status': 'generated', 'r.clicked': false, 'r.applied': false })
    .whereNull('r.viewed_at').whereNull('r.dismissed_at').whereNull('r.feedback_rating')
    .whereIn('r.opportunity_id', ranked.map((item) => item.id))
    .whereRaw(`(r.generated_at AT TIME ZONE 'UTC')::date = ?::date`, [utcDay(now)])
    .whereNotExists(trx('applications as a').whereRaw('a.recommendation_id = r.id'))
    .orderBy('r.generated_at', 'desc').forUpdate().select('r.id', 'r.opportunity_id');
  const existing = new Map<string, string>();
  for (const row of reusable) if (!existing.has(row.opportunity_id)) existing.set(row.opportunity_id, row.id);
  const stored: StoredRecommendation[] = [];
  const fresh: Array<{ index: number; row: Record<string, unknown> }> = [];
  for (const [i, item] of ranked.entries()) {
    const row = { match_score: round(item.score), rank: i + 1, chips: JSON.stringify(item.chips), model_version: modelVersion, generated_at: now };
    const id = existing.get(item.id);
    if (id) {
      await trx('recommendations').where({ id }).update(row);
      stored.push({ recommendationId: id, rank: i + 1, score: round(item.score), item });
    } else {
      fresh.push({ index: i, row: { ...row, candidate_id: candidateId, opportunity_id: item.id } });
    }
  }
  if (fresh.length) {
    const inserted = await trx('recommendations').insert(fresh.map((f) => f.row)).returning(['id', 'opportunity_id']);
    const idOf = new Map(inserted.map((row: { id: string; opportunity_id: string }) => [row.opportunity_id, row.id]));
    for (const { index } of fresh) stored.push({ recommendationId: idOf.get(ranked[index]!.id)!, rank: index + 1, score: round(ranked[index]!.score), item: ranked[index]! });
  }
  return stored.sort((a, b) => a.rank - b.rank);
}
