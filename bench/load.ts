/**
 * `npm run bench -- load [--candidates N] [--seed S]`: loads N demo candidates (with every
 * child row and the rest of the demo world scaled to N) into a fresh database on the local
 * Postgres, and prints one JSON line. Peak RSS is the generator's own process.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { servicesUp } from '../src/local/services.js';
import { loadDemo } from '../src/db/seed/load.js';
import { machine, peakRssMb } from './machine.js';
import { freshDatabase } from './database.js';

export async function benchLoad(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { candidates: { type: 'string', default: '100000' }, seed: { type: 'string', default: '42' } } });
  const candidates = Number(values.candidates!.replace(/_/g, ''));
  if (!Number.isInteger(candidates) || candidates < 50) throw new Error(`--candidates must be an integer ≥ 50, got ${values.candidates}`);
  const base = loadConfig();
  const log = createLogger('warn');
  await servicesUp(base, log);

  const { url, release } = await freshDatabase(base, log, 'meridian_bench_load');
  await release();

  let lastReport = Date.now();
  const result = await loadDemo(url, {
    candidates, seed: Number(values.seed), asOf: new Date('2026-11-01T00:00:00Z'),
    onProgress(progress) {
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        process.stderr.write(`load: ${progress.phase} ${progress.candidatesDone}/${progress.candidatesTotal} candidates, ${progress.rows} rows\n`);
      }
    },
  });
  process.stdout.write(JSON.stringify({
    bench: 'load',
    candidates,
    seconds: Math.round(result.seconds * 100) / 100,
    candidates_per_s: Math.round(candidates / result.seconds),
    peak_rss_mb: peakRssMb(),
    rows: result.rows,
    rows_per_s: Math.round(result.rows / result.seconds),
    opportunities: result.plan.opportunities,
    concurrency: 1,
    machine: machine(),
  }) + '\n');
}
