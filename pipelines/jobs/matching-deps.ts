/**
 * What the matching jobs share: the ranking dependencies of a run (the search engine from the
 * process, the skill names and the active ranker read in the run's transaction, so a ranker
 * activated by ranker-retrain is used from the next run on without a restart), and who may be
 * matched at all.
 */
import type { Knex } from 'knex';
import { MeridianError } from '../../src/errors.js';
import { loadActiveRanker } from '../../src/matching/model-store.js';
import { modelVersionOf } from '../../src/matching/recommend.js';
import type { RankDeps } from '../../src/matching/rank.js';
import { JobSkipped, type JobRunDeps } from '../runner.js';
import { aliasName } from '../../src/search/indices.js';

/** Who may be matched: a live account with a standing consent to matching (over `candidates c JOIN users u`). */
export const MATCHABLE = `c.deleted_at IS NULL AND u.deleted_at IS NULL AND u.erased_at IS NULL AND u.status <> 'DELETED'
  AND EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'matching' AND cr.granted AND cr.revoked_at IS NULL)`;

export const utcDay = (d: Date) => d.toISOString().slice(0, 10);

export async function skillLabels(db: Knex): Promise<(slug: string) => string | undefined> {
  const labels = new Map((await db('skills').select('slug', 'skill_name')).map((s: { slug: string; skill_name: string }) => [s.slug, s.skill_name]));
  return (slug) => labels.get(slug);
}

export async function runRankDeps(deps: JobRunDeps, job: string): Promise<RankDeps & { modelVersion: string }> {
  if (!deps.search || deps.indexPrefix === undefined) throw new MeridianError('job_dependency_missing', `${job} needs the search engine: run it through pipelines/main.ts or bin/cli.ts, which pass it`);
  // On a first start the scheduler catches up while the indexer is still building the
  // index: nothing to rank against yet is a skip (the watermark stays), not a failure.
  if ((await deps.search.aliasTargets(aliasName(deps.indexPrefix, 'opportunities'))).length === 0) {
    throw new JobSkipped(`${job}: the opportunities index is not built yet (the indexer builds it on its first start); the next run catches up`);
  }
  const ranker = await loadActiveRanker(deps.db);
  return {
    search: deps.search, indexPrefix: deps.indexPrefix, encoder: deps.encoder, skillLabels: await skillLabels(deps.db), now: deps.now,
    weights: ranker?.weights, modelVersion: modelVersionOf(deps.encoder, ranker),
  };
}
