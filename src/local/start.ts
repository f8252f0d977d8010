/**
 * `meridian start`: the whole platform on one machine — local services, migrations, demo
 * data when the database is empty, a text encoder when none is trained, then every process
 * in this process. Stops cleanly on SIGINT/SIGTERM (the services keep running; `services
 * down` stops them).
 */
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createDb } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { isDatabaseEmpty } from '../db/seed/load.js';
import { seedDemo } from '../db/seed/index.js';
import { runApi } from '../api/main.js';
import { servicesUp } from './services.js';
import { ensureEncoder } from '../matching/encoder-training.js';

export type ProcessStarter = (config: Config, log: Logger) => Promise<{ close(): Promise<void> }>;

export async function startPlatform(config: Config, log: Logger, options: { candidates: number; processes: ProcessStarter[] }): Promise<void> {
  const status = await servicesUp(config, log);
  const db = createDb(config, log);
  try {
    const applied = await migrateLatest(db);
    if (applied.length) log.info('start: migrations applied', { applied });
  } finally {
    await db.destroy();
  }
  const client = new pg.Client({ connectionString: config.database.url });
  await client.connect();
  const empty = await isDatabaseEmpty(client).finally(() => client.end());
  if (empty) {
    const result = await seedDemo(config, log, { candidates: options.candidates, seed: 42, asOf: new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z'), reset: false, progress: process.stderr.isTTY ? 'bar' : 'log' });
    log.info('start: demo data loaded', { rows: result.rows, seconds: Math.round(result.seconds * 10) / 10 });
  }
  // Before the indexer's first backfill, so documents carry vectors from the start.
  const models = createDb(config, log);
  try {
    await ensureEncoder(models, path.join(config.home, 'models'), log);
  } finally {
    await models.destroy();
  }
  // The indexer and the pipelines live outside src/, which may not import them (DESIGN §2):
  // bin/ passes them in.
  const processes = await Promise.all(options.processes.map((start) => start(config, log)));
  const api = await runApi(config, log);
  process.stdout.write(`
Meridian is running.
  API          ${api.url}   (health: ${api.url}/health)
  Dashboard    ${api.url}/dashboards/   (sign in with: meridian token --user <id> --org <company id> --roles funder)
  Pipelines    company, platform and cohort metrics (meridian pipelines list); reports at ${api.url}/v1/reports/
  Indexer      streaming Postgres changes into ${status.search.url} (aliases ${config.search.indexPrefix}candidates, ${config.search.indexPrefix}opportunities)
  Postgres     ${status.postgres.url}  (PostgreSQL ${status.postgres.version}, wal_level=${status.postgres.walLevel})
  Search       ${status.search.url}  (${status.search.distribution} ${status.search.version}; ${status.search.plugins?.join(', ')})
  Data         ${config.home}
Stop with Ctrl-C; stop the services with: npm run services:down
`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info('start: shutting down', { signal });
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await api.close();
  for (const running of processes.reverse()) await running.close();
}
