/** `meridian seed`: demo data with a progress bar (or log lines when stderr is not a terminal). */
import cliProgress from 'cli-progress';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { ValidationError } from '../../errors.js';
import { planDemo } from './generate.js';
import { createDb } from '../knex.js';
import { assertMigrated } from '../migrate.js';
import { loadDemo, type LoadResult } from './load.js';

export interface SeedOptions {
  candidates: number;
  seed: number;
  asOf: Date;
  reset: boolean;
  progress: 'bar' | 'log' | 'none';
}

export async function seedDemo(config: Config, log: Logger, options: SeedOptions): Promise<LoadResult> {
  try {
    planDemo(options.candidates);
  } catch (error) {
    throw new ValidationError((error as Error).message, { candidates: options.candidates }, 'bad_arguments');
  }
  const db = createDb(config, log);
  try {
    await assertMigrated(db);
  } finally {
    await db.destroy();
  }
  log.info('seed: generating demo data', { candidates: options.candidates, seed: options.seed, asOf: options.asOf.toISOString().slice(0, 10) });
  const bar = options.progress === 'bar'
    ? new cliProgress.SingleBar({ format: 'seed |{bar}| {value}/{total} candidates | {phase} | {rows} rows | eta {eta_formatted}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(options.candidates, 0, { phase: 'reference', rows: 0 });
  let lastLog = 0;
  try {
    const result = await loadDemo(config.database.url, {
      ...options,
      onProgress(progress) {
        bar?.update(progress.candidatesDone, { phase: progress.phase, rows: progress.rows });
        if (options.progress === 'log' && Date.now() - lastLog > 5000) {
          lastLog = Date.now();
          log.info('seed: progress', { ...progress });
        }
      },
    });
    bar?.update(options.candidates, { phase: 'done', rows: result.rows });
    return result;
  } finally {
    bar?.stop();
  }
}
