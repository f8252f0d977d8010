/**
 * Running one job: under a Postgres advisory lock (two pipeline processes never run the same
 * job at once; the second records "skipped"), inside one transaction (a failed run leaves
 * nothing half-written, except what a job deliberately commits per unit through `pool`),
 * recorded in pipeline_runs whatever happens.
 *
 * Modes: `range` recomputes the periods overlapping --from/--to; `full` recomputes everything
 * from the job's earliest data; `incremental` recomputes, per company, the periods touched by
 * source rows changed since the job's watermark, then moves the watermark.
 */
import type { Knex } from 'knex';
import type { Logger } from '../src/log.js';
import { describeError, MeridianError } from '../src/errors.js';
import type { SearchBackend } from '../src/search/backend.js';
import type { Encoder } from '../src/matching/encoder.js';

export interface JobDeps {
  db: Knex;
  log: Logger;
  /** The clock (tests pin it). */
  now: () => Date;
  /** For the matching jobs: the search engine and the index prefix they rank against. */
  search?: SearchBackend;
  indexPrefix?: string;
  /** The active text encoder, loaded once by the process. */
  encoder?: Encoder;
  /** Where trained models are written ($MERIDIAN_HOME/models). */
  modelsDir?: string;
}

/**
 * What a job's run receives: the process's dependencies, with `db` the run's transaction, and
 * `pool` the process's own connections outside it — for work that is idempotent per unit and
 * should be visible (and hold no locks) before a long run ends, such as one person's
 * recommendations in the nightly refresh. What a job writes through `pool` stays if the run
 * fails; the watermark still moves only with the run.
 */
export type JobRunDeps = JobDeps & { pool?: Knex };

/**
 * Thrown by a job that decides not to run (e.g. too little new feedback to retrain): the run
 * is recorded as skipped with the reason, and nothing it wrote is kept.
 */
export class JobSkipped extends MeridianError {
  constructor(reason: string) {
    super('job_skipped', reason, { status: 409, expose: true });
  }
}

export interface JobScope {
  from: string;
  to: string;
  companies?: string[];
  /** For the recommendation jobs: only these candidates (else everyone the job covers). */
  candidates?: string[];
}

export interface Job {
  name: string;
  /** node-cron expression, in UTC. */
  schedule: string;
  description: string;
  /** Recomputes every period overlapping the scope; returns rows written or changed. */
  run(deps: JobRunDeps, scope: JobScope): Promise<number>;
  /** The earliest day the job has data for (full rebuilds start there). */
  earliest(db: Knex): Promise<string | null>;
  /**
   * Scopes touched by source rows changed after `since` (each with the earliest day a change
   * affects, per company), for incremental runs.
   */
  touched(db: Knex, since: Date, now: Date): Promise<Array<{ from: string; companies: string[]; candidates?: string[] }>>;
}

export type RunMode = 'full' | 'incremental' | 'range';

export interface RunResult {
  runId: string;
  status: 'succeeded' | 'failed' | 'skipped';
  rows: number;
  mode: RunMode;
  from?: string;
  to?: string;
  error?: string;
}

/**
 * Changes are picked up by their changed_at; a transaction that commits late can carry an
 * older timestamp than the newest row already seen, so the next run looks back this far
 * (the recomputation is idempotent: seeing a row twice costs time, never correctness).
 */
export const WATERMARK_LOOKBACK_MS = 10 * 60_000;

const day = (d: Date) => d.toISOString().slice(0, 10);
const tomorrow = (now: Date) => day(new Date(now.getTime() + 86_400_000));

export async function runJob(deps: JobDeps, job: Job, options: { mode: RunMode; from?: string; to?: string }): Promise<RunResult> {
  const started = deps.now();
  const [run] = await deps.db('pipeline_runs').insert({ job: job.name, mode: options.mode, period_from: options.from ?? null, period_to: options.to ?? null }).returning('id');
  const finish = async (result: Omit<RunResult, 'runId'>, extra: Record<string, unknown> = {}) => {
    await deps.db('pipeline_runs').where({ id: run.id }).update({
      status: result.status, rows: result.rows, error: result.error ?? null, finished_at: deps.db.fn.now(),
      period_from: result.from ?? null, period_to: result.to ?? null, ...extra,
    });
    deps.log.info('pipelines: run finished', { job: job.name, ...result, ms: deps.now().getTime() - started.getTime() });
    return { runId: run.id as string, ...result };
  };
  try {
    const outcome = await deps.db.transaction(async (trx) => {
      const runDeps: JobRunDeps = { ...deps, db: trx, pool: deps.db };
      const { rows: [lock] } = await trx.raw(`SELECT pg_try_advisory_xact_lock(hashtext(?)) AS acquired`, [`meridian:pipelines:${job.name}`]);
      if (!lock.acquired) return { status: 'skipped' as const, rows: 0 };
      const to = options.to ?? tomorrow(deps.now());
      if (options.mode === 'range') {
        return { status: 'succeeded' as const, rows: await job.run(runDeps, { from: options.from!, to }), from: options.from, to };
      }
      if (options.mode === 'full') {
        const scanStarted = deps.now();
        const from = await job.earliest(trx);
        const rows = from ? await job.run(runDeps, { from, to }) : 0;
        // Everything is folded in: the next incremental run starts from here, not from zero.
        await trx('pipeline_watermarks').insert({ job: job.name, watermark: scanStarted, updated_at: trx.fn.now() }).onConflict('job').merge();
        return { status: 'succeeded' as const, rows, from: from ?? undefined, to };
      }
      const mark = await trx('pipeline_watermarks').where({ job: job.name }).first('watermark');
      const scanStarted = deps.now();
      let rows = 0;
      let from: string | undefined;
      if (!mark) {
        // Never ran: an incremental run is a full one.
        const earliest = await job.earliest(trx);
        if (earliest) rows = await job.run(runDeps, { from: earliest, to });
        from = earliest ?? undefined;
      } else {
        const since = new Date(new Date(mark.watermark).getTime() - WATERMARK_LOOKBACK_MS);
        for (const scope of await job.touched(trx, since, deps.now())) {
          rows += await job.run(runDeps, { from: scope.from, to, companies: scope.companies, candidates: scope.candidates });
          from = from === undefined || scope.from < from ? scope.from : from;
        }
      }
      await trx('pipeline_watermarks').insert({ job: job.name, watermark: scanStarted, updated_at: trx.fn.now() }).onConflict('job').merge();
      return { status: 'succeeded' as const, rows, from, to, watermarkFrom: mark?.watermark as Date | undefined, watermarkTo: scanStarted };
    });
    const { watermarkFrom, watermarkTo, ...result } = outcome as typeof outcome & { watermarkFrom?: Date; watermarkTo?: Date };
    return await finish({ mode: options.mode, ...result }, { watermark_from: watermarkFrom ?? null, watermark_to: watermarkTo ?? null });
  } catch (error) {
    if (error instanceof JobSkipped) return finish({ mode: options.mode, status: 'skipped', rows: 0, error: error.message, from: options.from, to: options.to });
    deps.log.error('pipelines: run failed', { job: job.name, error: describeError(error) });
    return finish({ mode: options.mode, status: 'failed', rows: 0, error: describeError(error), from: options.from, to: options.to });
  }
}
