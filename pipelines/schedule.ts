/**
 * Every scheduled job, in one place, with its schedule (node-cron, UTC). Scheduled runs are
 * incremental; `meridian pipelines run <job> [--from D --to D | --full]` runs one by hand.
 */
import type { Job } from './runner.js';
import { companyMetricsJob } from './jobs/company-metrics.js';
import { platformMetricsJob } from './jobs/platform-metrics.js';
import { cohortMetricsJob } from './jobs/cohort-metrics.js';
import { recommendationsRefreshJob } from './jobs/recommendations-refresh.js';
import { matchNotificationsJob } from './jobs/match-notifications.js';
import { rankerRetrainJob } from './jobs/ranker-retrain.js';

/** The impact metrics jobs: Postgres is all they need. */
export const METRICS_JOBS: readonly Job[] = [companyMetricsJob, platformMetricsJob, cohortMetricsJob];

/** The matching jobs: they also need the search engine, the encoder and the models directory (JobDeps). */
export const MATCHING_JOBS: readonly Job[] = [recommendationsRefreshJob, matchNotificationsJob, rankerRetrainJob];

/** Everything the scheduler runs. */
export const JOBS: readonly Job[] = [...METRICS_JOBS, ...MATCHING_JOBS];

export function jobNamed(name: string): Job | undefined {
  return JOBS.find((job) => job.name === name);
}
