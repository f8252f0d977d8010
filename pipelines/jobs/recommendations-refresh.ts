/**
 * `recommendations-refresh`: precomputes each active beneficiary's recommendations (top 20
 * with chips, written exactly as GET /v1/me/recommendations writes them: recommendFor), so
 * the funnel and notifications see fresh rows without the person having to ask.
 *
 * Who: people with a standing consent to matching who were active in the last 30 days — all
 * of them on the first run of each UTC day (the nightly refresh) and on a full run; on every
 * other (hourly) run only those whose profile changed since the watermark (the candidate or
 * user row, skills, experience, education, languages, certifications, or a matching consent).
 * A deleted child row (a skill removed) leaves nothing to detect until the nightly run.
 *
 * Idempotent: recommendFor updates the day's untouched rows of the same model version in
 * place, so a re-run the same day adds no rows; rows a person acted on are never changed.
 *
 * Each person's recommendations are committed on their own (through the runner's `pool`),
 * not in the run's transaction: a nightly run over tens of thousands of people takes a long
 * time, and in one transaction it would hold the rows (and recommendation_sets) of everyone
 * done so far locked against their own requests until the end, and lose all of it on a
 * failure near the end. A failed run keeps the people it finished; its watermark does not
 * move, so the next run does them again, in place.
 */
import type { Knex } from 'knex';
import type { JobRunDeps, JobScope } from '../runner.js';
import { WATERMARK_LOOKBACK_MS } from '../runner.js';
import { recommendFor } from '../../src/matching/recommend.js';
import { MATCHABLE, runRankDeps, utcDay } from './matching-deps.js';

export const ACTIVE_DAYS = 30;
export const REFRESH_SIZE = 20;

/** Profile tables a change in which should refresh a person's recommendations. */
const PROFILE_CHILDREN = ['candidate_skills', 'candidate_experience', 'candidate_education', 'candidate_languages', 'candidate_certifications'];

async function people(db: Knex, now: Date, ids?: string[]) {
  const { rows } = await db.raw(`
    SELECT c.id, u.preferred_language FROM candidates c JOIN users u ON u.id = c.user_id
    WHERE ${MATCHABLE} AND ${ids ? 'c.id = ANY(:ids::uuid[])' : 'c.last_active_at >= :since'}
    ORDER BY c.id`, { ids: ids ?? [], since: new Date(now.getTime() - ACTIVE_DAYS * 86_400_000) });
  return rows as Array<{ id: string; preferred_language: string | null }>;
}

export async function runRecommendationsRefresh(deps: JobRunDeps, scope: JobScope): Promise<number> {
  const rankDeps = await runRankDeps(deps, 'recommendations-refresh');
  const who = await people(deps.db, deps.now(), scope.candidates);
  let rows = 0;
  for (const person of who) {
    const stored = await recommendFor(deps.pool ?? deps.db, rankDeps, { candidateId: person.id }, { size: REFRESH_SIZE, language: person.preferred_language === 'fr' ? 'fr' : 'en' });
    rows += stored.length;
  }
  deps.log.info('pipelines: recommendations refreshed', { people: who.length, rows, modelVersion: rankDeps.modelVersion });
  return rows;
}

export const recommendationsRefreshJob = {
  name: 'recommendations-refresh',
  schedule: '40 * * * *',
  description: 'recommendations: nightly for beneficiaries active in the last 30 days, hourly for those whose profile changed',
  run: runRecommendationsRefresh,
  async earliest(db: Knex): Promise<string | null> {
    const { rows: [row] } = await db.raw(`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day`);
    return row.day as string;
  },
  async touched(db: Knex, since: Date, now: Date) {
    const changed = `
      SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id
      WHERE ${MATCHABLE} AND (c.updated_at > :since OR u.updated_at > :since
        OR EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'matching' AND cr.updated_at > :since)
        ${PROFILE_CHILDREN.map((t) => `OR EXISTS (SELECT 1 FROM ${t} x WHERE x.candidate_id = c.id AND x.updated_at > :since)`).join('\n        ')})`;
    const ids = new Set<string>((await db.raw(changed, { since })).rows.map((r: { id: string }) => r.id));
    // The watermark is the start of the last run (`since` is it minus the look-back): a
    // last run on an earlier UTC day makes this the first run of the day, the nightly one.
    if (utcDay(new Date(since.getTime() + WATERMARK_LOOKBACK_MS)) < utcDay(now)) for (const p of await people(db, now)) ids.add(p.id);
    return ids.size ? [{ from: utcDay(now), companies: [], candidates: [...ids].sort() }] : [];
  },
};
