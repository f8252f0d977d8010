/**
 * `meridian pipelines`: runs every job of the schedule, incrementally, at its time. Each
 * tick catches, logs its job's name and duration, and never overlaps itself (node-cron's
 * noOverlap; other processes are kept out by the job's advisory lock).
 */
import cron from 'node-cron';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/log.js';
import { createDb } from '../src/db/knex.js';
import { assertMigrated } from '../src/db/migrate.js';
import { JOBS } from './schedule.js';
import { runJob } from './runner.js';

export async function runScheduler(config: Config, log: Logger): Promise<{ close(): Promise<void> }> {
  const db = createDb(config, log);
  await assertMigrated(db);
  const tasks = JOBS.map((job) => cron.schedule(job.schedule, async () => {
    await runJob({ db, log, now: () => new Date() }, job, { mode: 'incremental' });
  }, { name: job.name, timezone: 'UTC', noOverlap: true }));
  log.info('pipelines: scheduled', { jobs: JOBS.map((j) => ({ name: j.name, schedule: j.schedule })) });
  // Catch up once at start (a first run is a full build): reports have figures from the
  // first minute, not from the first scheduled tick.
  const catchingUp = (async () => {
    for (const job of JOBS) await runJob({ db, log, now: () => new Date() }, job, { mode: 'incremental' });
  })();
  return {
    async close() {
      for (const task of tasks) await task.stop();
      await catchingUp;
      await db.destroy();
    },
  };
}
