/**
 * `meridian pipelines`: runs every job of the schedule, incrementally, at its time. Each
 * tick catches, logs its job's name and duration, and never overlaps itself (node-cron's
 * noOverlap; other processes are kept out by the job's advisory lock).
 */
import cron from 'node-cron';
import path from 'node:path';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/log.js';
import { createDb } from '../src/db/knex.js';
import { assertMigrated } from '../src/db/migrate.js';
import { createSearchBackend } from '../src/search/index.js';
import { loadActiveEncoder } from '../src/matching/model-store.js';
import { JOBS } from './schedule.js';
import { runJob, type JobDeps } from './runner.js';

/**
 * Every job's dependencies, opened once per process: Postgres, the search engine and the
 * active encoder (for the matching jobs; `matching: false` skips loading the encoder when
 * only metrics jobs will run), the models directory (for ranker-retrain).
 */
export async function openJobDeps(config: Config, log: Logger, options: { matching?: boolean } = {}): Promise<{ deps: JobDeps; close(): Promise<void> }> {
  const db = createDb(config, log);
  try {
    await assertMigrated(db);
    const search = await createSearchBackend(config);
    const encoder = options.matching === false ? undefined : await loadActiveEncoder(db);
    return {
      deps: { db, log, now: () => new Date(), search, indexPrefix: config.search.indexPrefix, encoder, modelsDir: path.join(config.home, 'models') },
      async close() {
        await search.close();
        await db.destroy();
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

export async function runScheduler(config: Config, log: Logger): Promise<{ close(): Promise<void> }> {
  const opened = await openJobDeps(config, log);
  const { deps } = opened;
  const tasks = JOBS.map((job) => cron.schedule(job.schedule, async () => {
    await runJob(deps, job, { mode: 'incremental' });
  }, { name: job.name, timezone: 'UTC', noOverlap: true }));
  log.info('pipelines: scheduled', { jobs: JOBS.map((j) => ({ name: j.name, schedule: j.schedule })) });
  // Catch up once at start (a first run is a full build): reports have figures from the
  // first minute, not from the first scheduled tick.
  const catchingUp = (async () => {
    for (const job of JOBS) await runJob(deps, job, { mode: 'incremental' });
  })();
  return {
    async close() {
      for (const task of tasks) await task.stop();
      await catchingUp;
      await opened.close();
    },
  };
}
