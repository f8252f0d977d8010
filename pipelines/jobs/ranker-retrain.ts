/**
 * `ranker-retrain`: weekly, retrains the ranker on the whole recommendation lifecycle when at
 * least MIN_NEW_EVENTS lifecycle events (a row viewed, clicked, applied, dismissed, abandoned
 * or rated) arrived since the active version was trained — otherwise the run is recorded as
 * skipped, with the reason. The new version is always recorded; it is activated only when its
 * held-out nDCG@10 is not worse than the active weights' (hand-set when none is active) on
 * the same held-out lists, so a bad week never replaces a good model.
 */
import type { Knex } from 'knex';
import { JobSkipped, type JobRunDeps, type JobScope } from '../runner.js';
import { MeridianError } from '../../src/errors.js';
import { HAND_SET_WEIGHTS } from '../../src/matching/features.js';
import { IS_EVENT_SQL, lifecycleExamples } from '../../src/matching/lifecycle.js';
import { loadActiveRanker, saveRanker } from '../../src/matching/model-store.js';
import { DEFAULT_RANKER_OPTIONS, InsufficientFeedbackError, trainRanker } from '../../src/matching/train-ranker.js';
import { utcDay } from './matching-deps.js';

export const MIN_NEW_EVENTS = 200;

export async function runRankerRetrain(deps: JobRunDeps, _scope: JobScope, minNewEvents = MIN_NEW_EVENTS): Promise<number> {
  if (!deps.modelsDir) throw new MeridianError('job_dependency_missing', 'ranker-retrain needs a models directory: run it through pipelines/main.ts or bin/cli.ts, which pass it');
  const { db } = deps;
  const active = await loadActiveRanker(db);
  const since = active?.trainedAt ?? new Date(0);
  const { rows: [{ n }] } = await db.raw(`SELECT count(*)::int AS n FROM recommendations WHERE ${IS_EVENT_SQL} AND updated_at > ?`, [since]);
  const version = active?.version ?? 'hand-set';
  if (n < minNewEvents) throw new JobSkipped(`${n} new lifecycle events since ranker ${version} was trained (need ${minNewEvents})`);
  const data = await lifecycleExamples(db, { encoder: deps.encoder });
  let result;
  try {
    result = await trainRanker(data, DEFAULT_RANKER_OPTIONS, { version, weights: active?.weights ?? HAND_SET_WEIGHTS });
  } catch (error) {
    if (error instanceof InsufficientFeedbackError) throw new JobSkipped(error.message);
    throw error;
  }
  const baseline = result.metrics.active!;
  const activate = result.metrics.learned.ndcg10 >= baseline.ndcg10;
  const saved = await saveRanker(db, deps.modelsDir, result.weights, {
    parameters: { ...DEFAULT_RANKER_OPTIONS, start: 'hand-set', trigger: 'ranker-retrain' },
    trainingData: { recommendations: data.examples.length, events: data.events, unreconstructable: data.unreconstructable, newEventsSince: { version, since, events: n }, encoder: deps.encoder?.version ?? null },
    metrics: { ...result.metrics, activated: activate, comparedWith: version },
    activate,
  });
  deps.log.info('pipelines: ranker retrained', { version: saved.version, activated: activate, learned: result.metrics.learned, baseline });
  return 1;
}

export const rankerRetrainJob = {
  name: 'ranker-retrain',
  schedule: '30 3 * * 1',
  description: 'ml_model_versions: a new ranker from the recommendation lifecycle when enough feedback arrived, activated only if not worse',
  run: (deps: JobRunDeps, scope: JobScope) => runRankerRetrain(deps, scope),
  async earliest(db: Knex): Promise<string | null> {
    const { rows: [row] } = await db.raw(`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day`);
    return row.day as string;
  },
  // Whether there is enough new feedback is the run's own decision (recorded as a skip).
  async touched(_db: Knex, _since: Date, now: Date) {
    return [{ from: utcDay(now), companies: [] }];
  },
};
