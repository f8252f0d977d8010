/**
 * Serving a beneficiary's last computed recommendations instead of ranking again.
 *
 * The nightly refresh (pipelines/jobs/recommendations-refresh.ts) and every GET
 * /v1/me/recommendations that ranks store the set as `recommendations` rows and record it
 * (its row ids, best first) in `recommendation_sets`. Ranking is the expensive part (two
 * engine retrievals over every open opportunity, a rerank, chips: ~65 ms of CPU a request on
 * this machine); reading the set back is three small Postgres queries and one engine fetch.
 * A set is served only while it is what ranking now would give, as far as anything that
 * feeds the ranking can tell:
 *
 * - ranked by the active model version, for the same opportunity types, at most `maxAgeMs`
 *   ago (a day by default: the nightly refresh renews it; opportunities published since then
 *   reach people through the match notifications and the next refresh), and holding as many
 *   items as asked (or all there were);
 * - the person's profile has not changed since it was read (the candidate and user rows,
 *   skills, experience, education, languages, certifications — which covers their category,
 *   location, mobility and preferred language);
 * - every opportunity in it is still active, published, not past its deadline day, and unchanged
 *   (row or skills) since the ranking, less the indexer's lag (INDEX_LAG_MARGIN_MS);
 * - none of it has been dismissed or applied to.
 *
 * Anything else answers `servable: false` with the reason, and the caller ranks afresh. A removed
 * child row (a skill deleted) bumps no timestamp: like the hourly refresh, that change is
 * seen by the next nightly run or the next ranking for another reason.
 */
import type { Knex } from 'knex';

export const STORED_MAX_AGE_MS = 24 * 3600_000;

/**
 * The ranking read opportunities from the search index, which follows Postgres by the
 * indexer's lag (about a second; longer after an outage). An opportunity changed shortly
 * before a ranking may have been ranked in its previous state, so a change this close to
 * the ranking counts as after it (the next request ranks again).
 */
export const INDEX_LAG_MARGIN_MS = 60_000;

const PROFILE_TABLES = ['candidate_skills', 'candidate_experience', 'candidate_education', 'candidate_languages', 'candidate_certifications'];

export interface StoredItem {
  recommendationId: string;
  opportunityId: string;
  rank: number;
  score: number;
  chips: unknown[];
}

export type NotServable = 'none' | 'other_model' | 'other_types' | 'expired' | 'too_few' | 'profile_changed' | 'opportunity_changed' | 'dismissed' | 'applied';

export type StoredSet = { servable: true; generatedAt: Date; items: StoredItem[] } | { servable: false; reason: NotServable };

interface Options { modelVersion: string; types?: string[]; size: number; now: Date; maxAgeMs?: number; indexLagMarginMs?: number }

export async function storedRecommendations(db: Knex, candidateId: string, options: Options): Promise<StoredSet> {
  const set = await db('recommendation_sets').where({ candidate_id: candidateId }).first();
  if (!set) return { servable: false, reason: 'none' };
  if (set.model_version !== options.modelVersion) return { servable: false, reason: 'other_model' };
  if ([...(options.types ?? [])].sort().join(',') !== (set.types as string[]).join(',')) return { servable: false, reason: 'other_types' };
  if (options.now.getTime() - new Date(set.generated_at).getTime() > (options.maxAgeMs ?? STORED_MAX_AGE_MS)) return { servable: false, reason: 'expired' };
  // Fewer found than asked means the ranking found all there was: serving up to what was asked is exact.
  if (options.size > (set.found < set.requested ? set.requested : set.found)) return { servable: false, reason: 'too_few' };
  const { rows: [profile] } = await db.raw(`
    SELECT greatest(c.updated_at, u.updated_at, ${PROFILE_TABLES.map((t) => `(SELECT max(x.updated_at) FROM ${t} x WHERE x.candidate_id = c.id)`).join(', ')}) > :ranked AS changed
    FROM candidates c JOIN users u ON u.id = c.user_id WHERE c.id = :candidate`, { candidate: candidateId, ranked: set.ranked_at });
  if (!profile || profile.changed) return { servable: false, reason: 'profile_changed' };
  const { rows } = await db.raw(`
    SELECT r.id, r.opportunity_id, r.rank, r.match_score, r.chips,
      -- Dismissed through any of the person's rows for it (an id from an earlier set, too).
      EXISTS (SELECT 1 FROM recommendations d WHERE d.candidate_id = r.candidate_id AND d.opportunity_id = r.opportunity_id AND d.dismissed_at IS NOT NULL) AS dismissed,
      EXISTS (SELECT 1 FROM recommendations d WHERE d.candidate_id = r.candidate_id AND d.opportunity_id = r.opportunity_id AND d.applied)
        OR EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = r.candidate_id AND a.opportunity_id = r.opportunity_id) AS applied,
      NOT (o.status = 'active' AND o.published_at <= :now
        AND (o.application_deadline IS NULL OR o.application_deadline >= (:now::timestamptz AT TIME ZONE 'UTC')::date)
        AND o.updated_at <= :indexed
        AND NOT EXISTS (SELECT 1 FROM opportunity_skills os WHERE os.opportunity_id = o.id AND os.updated_at > :indexed)) AS changed
    FROM unnest(:ids::uuid[]) WITH ORDINALITY AS s(id, position)
    JOIN recommendations r ON r.id = s.id
    JOIN opportunities o ON o.id = r.opportunity_id
    ORDER BY s.position
    LIMIT :size`, { ids: set.recommendation_ids, indexed: new Date(new Date(set.ranked_at).getTime() - (options.indexLagMarginMs ?? INDEX_LAG_MARGIN_MS)), now: options.now, size: options.size });
  // A row gone (its opportunity deleted) leaves fewer than the set held.
  if (rows.length < Math.min(options.size, set.found)) return { servable: false, reason: 'opportunity_changed' };
  if (rows.some((r: { changed: boolean }) => r.changed)) return { servable: false, reason: 'opportunity_changed' };
  if (rows.some((r: { dismissed: boolean }) => r.dismissed)) return { servable: false, reason: 'dismissed' };
  if (rows.some((r: { applied: boolean }) => r.applied)) return { servable: false, reason: 'applied' };
  return {
    servable: true,
    generatedAt: new Date(set.generated_at),
    items: rows.map((r: { id: string; opportunity_id: string; rank: number; match_score: string; chips: unknown[] }) => ({
      recommendationId: r.id, opportunityId: r.opportunity_id, rank: r.rank, score: Number(r.match_score), chips: r.chips,
    })),
  };
}
