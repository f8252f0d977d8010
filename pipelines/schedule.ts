/**
 * Every scheduled job, in one place, with its schedule (node-cron, UTC). Scheduled runs are
 * incremental; `meridian pipelines run <job> [--from D --to D | --full]` runs one by hand.
 */
import type { Job } from './runner.js';
import { companyMetricsJob } from './jobs/company-metrics.js';
import { platformMetricsJob } from './jobs/platform-metrics.js';
import { cohortMetricsJob } from './jobs/cohort-metrics.js';

export const JOBS: readonly Job[] = [companyMetricsJob, platformMetricsJob, cohortMetricsJob];

export function jobNamed(name: string): Job | undefined {
  return JOBS.find((job) => job.name === name);
}
