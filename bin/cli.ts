/**
 * `meridian <command>`: a thin dispatcher. Each command parses its own flags and calls the
 * main of src/, indexers/ or pipelines/; nothing here holds logic worth testing on its own.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ENVIRONMENT, loadConfig, type Config } from '../src/config.js';
import { describeError, MeridianError, ValidationError } from '../src/errors.js';
import { createLogger, type Logger } from '../src/log.js';
import { FIRST_DAY, isCalendarDay, LAST_DAY } from '../src/domain/periods.js';

interface Context {
  config: Config;
  log: Logger;
  args: string[];
}

interface Command {
  summary: string;
  usage: string;
  run(context: Context): Promise<void>;
}

function flags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ValidationError((error as Error).message, undefined, 'bad_arguments');
  }
}

/** A whole number from 1 to `max` (by default the largest a Postgres integer holds). */
function positiveInteger(name: string, raw: string | undefined, fallback: number, max = 2_147_483_647): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1 || value > max) throw new ValidationError(`--${name} must be a whole number from 1 to ${max.toLocaleString('en')}, got "${raw}"`, undefined, 'bad_arguments');
  return value;
}

/** A calendar day (YYYY-MM-DD) a report or pipeline can hold; `undefined` when not given. */
function calendarDay(name: string, raw: string | undefined): string | undefined {
  if (raw !== undefined && !isCalendarDay(raw)) throw new ValidationError(`--${name} must be a calendar date like 2026-11-01, from ${FIRST_DAY} to ${LAST_DAY}; got "${raw}"`, undefined, 'bad_arguments');
  return raw;
}

function parseDate(raw: string | undefined): Date {
  if (raw === undefined) return new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
  return new Date(calendarDay('as-of', raw) + 'T00:00:00Z');
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function withIndexerDeps<T>(config: Config, log: Logger, work: (deps: import('../indexers/backfill.js').IndexerDeps) => Promise<T>): Promise<T> {
  const { createDb } = await import('../src/db/knex.js');
  const { createSearchBackend } = await import('../src/search/index.js');
  const { assertMigrated } = await import('../src/db/migrate.js');
  const db = createDb(config, log);
  const search = await createSearchBackend(config);
  try {
    await assertMigrated(db);
    return await work({ db, search, log, prefix: config.search.indexPrefix });
  } finally {
    await search.close();
    await db.destroy();
  }
}

const print = (value: unknown) => process.stdout.write(JSON.stringify(value, null, 2) + '\n');

/**
 * `meridian train ranker`: learns the rerank weights from the recommendation lifecycle and
 * records a version (activated only with --activate). Too little feedback is a refusal
 * (insufficient_feedback, exit 1), not an empty model.
 */
async function trainRankerCommand({ config, log, args }: Context): Promise<void> {
  const { values, positionals } = flags(args, { 'min-events': { type: 'string' }, steps: { type: 'string' }, activate: { type: 'boolean', default: false } });
  if (positionals.length) throw new ValidationError(`unexpected argument "${positionals[0]}"`, undefined, 'bad_arguments');
  const path = await import('node:path');
  const { createDb } = await import('../src/db/knex.js');
  const { assertMigrated } = await import('../src/db/migrate.js');
  const { lifecycleExamples } = await import('../src/matching/lifecycle.js');
  const { trainRanker, DEFAULT_RANKER_OPTIONS } = await import('../src/matching/train-ranker.js');
  const { loadActiveEncoder, loadActiveRanker, saveRanker } = await import('../src/matching/model-store.js');
  const db = createDb(config, log);
  try {
    await assertMigrated(db);
    const options = { ...DEFAULT_RANKER_OPTIONS, minEvents: positiveInteger('min-events', values['min-events'], DEFAULT_RANKER_OPTIONS.minEvents), steps: positiveInteger('steps', values.steps, DEFAULT_RANKER_OPTIONS.steps) };
    const encoder = await loadActiveEncoder(db);
    const active = await loadActiveRanker(db);
    const data = await lifecycleExamples(db, { encoder });
    log.info('train: ranker', { recommendations: data.examples.length, events: data.events, unreconstructable: data.unreconstructable, encoder: encoder?.version ?? null });
    const result = await trainRanker(data, options, active ? { version: active.version, weights: active.weights } : undefined);
    const saved = await saveRanker(db, path.join(config.home, 'models'), result.weights, {
      parameters: { ...options, start: 'hand-set' },
      trainingData: { recommendations: data.examples.length, events: data.events, unreconstructable: data.unreconstructable, encoder: encoder?.version ?? null },
      metrics: result.metrics, activate: values.activate === true,
    });
    print({ ...saved, activated: values.activate === true, weights: result.weights, metrics: result.metrics });
  } finally {
    await db.destroy();
  }
}

const commands: Record<string, Command> = {
  config: {
    summary: 'print every environment variable Meridian reads, and the values in effect',
    usage: 'meridian config',
    async run({ config }) {
      for (const variable of ENVIRONMENT) {
        process.stdout.write(`${variable.name.padEnd(26)} ${variable.description} (default: ${variable.default})\n`);
      }
      process.stdout.write('\nIn effect:\n');
      print({ ...config, database: { ...config.database, url: config.database.url.replace(/:[^:@/]*@/, ':***@') } });
    },
  },
  services: {
    summary: 'start, stop or report the local Postgres and OpenSearch',
    usage: 'meridian services up|down|status',
    async run({ config, log, args }) {
      const { servicesUp, servicesDown, servicesStatus } = await import('../src/local/services.js');
      const [action = 'status'] = args;
      if (action === 'up') print(await servicesUp(config, log));
      else if (action === 'down') print(await servicesDown(config, log));
      else if (action === 'status') {
        const status = await servicesStatus(config);
        print(status);
        if (!status.postgres.reachable || !status.search.reachable) process.exitCode = 3;
      } else throw new ValidationError(`unknown action "${action}"; use up, down or status`, undefined, 'bad_arguments');
    },
  },
  migrate: {
    summary: 'apply every pending migration',
    usage: 'meridian migrate',
    async run({ config, log }) {
      const { createDb } = await import('../src/db/knex.js');
      const { migrateLatest } = await import('../src/db/migrate.js');
      const db = createDb(config, log);
      try {
        const applied = await migrateLatest(db);
        log.info(applied.length ? `migrate: applied ${applied.length}` : 'migrate: already up to date', { applied });
      } finally {
        await db.destroy();
      }
    },
  },
  rollback: {
    summary: 'revert the last batch of migrations (--all: every migration)',
    usage: 'meridian rollback [--all]',
    async run({ config, log, args }) {
      const { values } = flags(args, { all: { type: 'boolean', default: false } });
      const { createDb } = await import('../src/db/knex.js');
      const { rollback } = await import('../src/db/migrate.js');
      const db = createDb(config, log);
      try {
        const reverted = await rollback(db, values.all === true);
        log.info(`rollback: reverted ${reverted.length}`, { reverted });
      } finally {
        await db.destroy();
      }
    },
  },
  seed: {
    summary: 'load deterministic demo data for all five systems (COPY, one transaction)',
    usage: 'meridian seed [--candidates N] [--seed S] [--as-of YYYY-MM-DD] [--reset]',
    async run({ config, log, args }) {
      const { values } = flags(args, {
        candidates: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' }, reset: { type: 'boolean', default: false },
      });
      const { seedDemo } = await import('../src/db/seed/index.js');
      const result = await seedDemo(config, log, {
        candidates: positiveInteger('candidates', values.candidates, 2_000),
        seed: positiveInteger('seed', values.seed, 42),
        asOf: parseDate(values['as-of']),
        reset: values.reset === true,
        progress: process.stderr.isTTY ? 'bar' : 'log',
      });
      print(result);
    },
  },
  api: {
    summary: 'serve the HTTP API',
    usage: 'meridian api',
    async run({ config, log }) {
      const { runApi } = await import('../src/api/main.js');
      const api = await runApi(config, log);
      await waitForSignal();
      await api.close();
    },
  },
  indexer: {
    summary: 'stream Postgres changes into the search indices (backfills on first start)',
    usage: 'meridian indexer',
    async run({ config, log }) {
      const { runIndexer } = await import('../indexers/main.js');
      const running = await runIndexer(config, log);
      await waitForSignal();
      await running.close();
    },
  },
  pipelines: {
    summary: 'run the scheduled impact pipelines; or run one job now (range, full or incremental); or list them',
    usage: 'meridian pipelines | meridian pipelines list | meridian pipelines run <job> [--from YYYY-MM-DD --to YYYY-MM-DD | --full]',
    async run({ config, log, args }) {
      const { values, positionals } = flags(args, { from: { type: 'string' }, to: { type: 'string' }, full: { type: 'boolean', default: false } });
      const { JOBS, MATCHING_JOBS, jobNamed } = await import('../pipelines/schedule.js');
      if (positionals.length === 0) {
        const { runScheduler } = await import('../pipelines/main.js');
        const scheduler = await runScheduler(config, log);
        await waitForSignal();
        await scheduler.close();
        return;
      }
      if (positionals[0] === 'list') {
        print(JOBS.map((job) => ({ name: job.name, schedule: job.schedule, description: job.description })));
        return;
      }
      const job = positionals[0] === 'run' ? jobNamed(positionals[1] ?? '') : undefined;
      if (!job) throw new ValidationError(`Name a job to run: ${JOBS.map((j) => j.name).join(', ')}`, undefined, 'bad_arguments');
      const from = calendarDay('from', values.from);
      const to = calendarDay('to', values.to);
      if (values.full && (from || to)) throw new ValidationError('--full recomputes everything; it takes no --from/--to', undefined, 'bad_arguments');
      if (to && !from) throw new ValidationError('--to needs --from', undefined, 'bad_arguments');
      if (from && to && from >= to) throw new ValidationError('--from must be before --to', undefined, 'bad_arguments');
      // Without --to a range ends tomorrow: a later --from would recompute nothing and say so as success.
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      if (from && !to && from >= tomorrow) throw new ValidationError(`--from ${from} is after today; give --to as well to recompute future periods`, undefined, 'bad_arguments');
      const { openJobDeps } = await import('../pipelines/main.js');
      const { runJob } = await import('../pipelines/runner.js');
      const opened = await openJobDeps(config, log, { matching: MATCHING_JOBS.includes(job) });
      try {
        const result = await runJob(opened.deps, job, { mode: from ? 'range' : values.full ? 'full' : 'incremental', from, to });
        print(result);
        if (result.status === 'failed') process.exitCode = 1;
      } finally {
        await opened.close();
      }
    },
  },
  train: {
    summary: 'train the text encoder (platform data, O*NET) or the ranker (recommendation lifecycle) and record it in ml_model_versions',
    usage: 'meridian train encoder [--onet DIR] [--steps N] [--batch N] [--no-activate] | meridian train ranker [--min-events N] [--steps N] [--activate]',
    async run({ config, log, args }) {
      if (args[0] === 'ranker') return trainRankerCommand({ config, log, args: args.slice(1) });
      const { values, positionals } = flags(args, { onet: { type: 'string' }, steps: { type: 'string' }, batch: { type: 'string' }, 'no-activate': { type: 'boolean', default: false } });
      if (positionals[0] !== 'encoder') throw new ValidationError('Name what to train: encoder or ranker', undefined, 'bad_arguments');
      const path = await import('node:path');
      const { createDb } = await import('../src/db/knex.js');
      const { assertMigrated } = await import('../src/db/migrate.js');
      const { DEFAULT_TRAIN_OPTIONS } = await import('../src/matching/train-encoder.js');
      const { trainAndSaveEncoder } = await import('../src/matching/encoder-training.js');
      const db = createDb(config, log);
      try {
        await assertMigrated(db);
        print(await trainAndSaveEncoder(db, path.join(config.home, 'models'), log, {
          onet: values.onet, activate: !values['no-activate'],
          steps: positiveInteger('steps', values.steps, DEFAULT_TRAIN_OPTIONS.steps), batchSize: positiveInteger('batch', values.batch, DEFAULT_TRAIN_OPTIONS.batchSize),
        }));
      } finally {
        await db.destroy();
      }
    },
  },
  reindex: {
    summary: 'build a new physical index from Postgres and flip the alias to it (resumes an unfinished build)',
    usage: 'meridian reindex [candidates|opportunities]',
    async run({ config, log, args }) {
      const { DOCUMENT_TYPES } = await import('../src/search/indices.js');
      const types = args.length ? args : [...DOCUMENT_TYPES];
      for (const type of types) {
        if (!(DOCUMENT_TYPES as readonly string[]).includes(type)) throw new ValidationError(`unknown index "${type}"; use ${DOCUMENT_TYPES.join(' or ')}`, undefined, 'bad_arguments');
      }
      await withIndexerDeps(config, log, async (deps) => {
        const { reindex } = await import('../indexers/backfill.js');
        for (const type of types as Array<'candidates' | 'opportunities'>) {
          let last = 0;
          const build = await reindex(deps, type, (done) => {
            if (done - last >= 10_000) {
              last = done;
              log.info('reindex: progress', { type, documents: done });
            }
          });
          print({ type, index: build.index_name, documents: build.documents });
        }
      });
    },
  },
  'dead-letters': {
    summary: 'list the documents the search engine rejected, or write them again',
    usage: 'meridian dead-letters list [--limit N] [--type candidates|opportunities] | meridian dead-letters replay',
    async run({ config, log, args }) {
      const { values, positionals } = flags(args, { limit: { type: 'string' }, type: { type: 'string' } });
      const [action = 'list'] = positionals;
      const { DOCUMENT_TYPES } = await import('../src/search/indices.js');
      if (values.type !== undefined && !(DOCUMENT_TYPES as readonly string[]).includes(values.type)) throw new ValidationError(`unknown index "${values.type}"; use ${DOCUMENT_TYPES.join(' or ')}`, undefined, 'bad_arguments');
      const type = values.type as 'candidates' | 'opportunities' | undefined;
      const limit = positiveInteger('limit', values.limit, 100, 1_000_000);
      await withIndexerDeps(config, log, async (deps) => {
        const { countDeadLetters, listDeadLetters, replayDeadLetters } = await import('../indexers/dead-letters.js');
        // The newest first, with how many are open in all: a list cut at its limit says so.
        if (action === 'list') {
          const letters = await listDeadLetters(deps, limit, type);
          print({ open: await countDeadLetters(deps, type), shown: letters.length, letters });
        }
        else if (action === 'replay') {
          const result = await replayDeadLetters(deps);
          print(result);
          // Documents still refused: the command did not do what it was asked.
          if (result.failedAgain > 0) process.exitCode = 1;
        }
        else throw new ValidationError(`unknown action "${action}"; use list or replay`, undefined, 'bad_arguments');
      });
    },
  },
  reconcile: {
    summary: 'compare Postgres with the indices and repair missing, extra and stale documents',
    usage: 'meridian reconcile [candidates|opportunities] [--dry-run] [--deep]  (--deep also compares each document whole: slower, and finds drift in child tables)',
    async run({ config, log, args }) {
      const { values, positionals } = flags(args, { 'dry-run': { type: 'boolean', default: false }, deep: { type: 'boolean', default: false } });
      const { DOCUMENT_TYPES } = await import('../src/search/indices.js');
      const types = positionals.length ? positionals : [...DOCUMENT_TYPES];
      for (const type of types) {
        if (!(DOCUMENT_TYPES as readonly string[]).includes(type)) throw new ValidationError(`unknown index "${type}"; use ${DOCUMENT_TYPES.join(' or ')}`, undefined, 'bad_arguments');
      }
      await withIndexerDeps(config, log, async (deps) => {
        const { reconcile } = await import('../indexers/reconcile.js');
        for (const type of types as Array<'candidates' | 'opportunities'>) {
          print(await reconcile(deps, type, { repair: !values['dry-run'], deep: values.deep, onProgress: (report) => log.info('reconcile: progress', { ...report }) }));
        }
      });
    },
  },
  status: {
    summary: 'services, the replication slot and its lag, what the indexer wrote since it started, and the index builds',
    usage: 'meridian status',
    async run({ config, log }) {
      const { servicesStatus } = await import('../src/local/services.js');
      const { slotNameFor } = await import('../indexers/stream.js');
      const services = await servicesStatus(config);
      // Exit 3 as `services status` does when a service is down; with Postgres down there is
      // nothing more to read, so say what is known.
      if (!services.postgres.reachable || !services.search.reachable) process.exitCode = 3;
      if (!services.postgres.reachable) {
        print({ services });
        return;
      }
      await withIndexerDeps(config, log, async (deps) => {
        const slot = slotNameFor(config.database.url);
        const { slotLag } = await import('../src/db/slot.js');
        const replication = await slotLag(deps.db, slot);
        const builds = await deps.db('search_index_builds').whereIn('status', ['building', 'active']).select('document_type', 'index_name', 'status', 'documents', 'started_at', 'finished_at');
        const deadLetters = Number((await deps.db('search_dead_letters').whereNull('replayed_at').count({ n: '*' }))[0]!.n);
        // As the indexer last saved them (every 10 s while they change, and when it stops).
        const { readIndexerStats } = await import('../src/db/indexer-stats.js');
        const indexer = await readIndexerStats(deps.db, slot);
        print({ services, replication, indexer, builds, deadLetters });
        if (replication.walStatus === 'lost') process.exitCode = 3;
      });
    },
  },
  token: {
    summary: 'mint a bearer token for local use (signed with AUTH_SECRET or the installation secret)',
    usage: 'meridian token --user <uuid> [--org <uuid>] --roles recruiter,funder [--ttl-hours 12]',
    async run({ config, args }) {
      const { values } = flags(args, { user: { type: 'string' }, org: { type: 'string' }, roles: { type: 'string' }, 'ttl-hours': { type: 'string' } });
      const { ROLES, signToken } = await import('../src/api/tokens.js');
      const { resolveAuthSecret } = await import('../src/api/secret.js');
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
      if (!values.user || !uuid.test(values.user)) throw new ValidationError('--user must be a user id (uuid)', undefined, 'bad_arguments');
      if (values.org !== undefined && !uuid.test(values.org)) throw new ValidationError('--org must be an organisation id (uuid)', undefined, 'bad_arguments');
      const roles = (values.roles ?? '').split(',').map((r) => r.trim()).filter(Boolean);
      const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (roles.length === 0 || unknown.length > 0) throw new ValidationError(`--roles must list some of ${ROLES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`, undefined, 'bad_arguments');
      const ttlHours = positiveInteger('ttl-hours', values['ttl-hours'], 12, 24 * 366);
      process.stdout.write(signToken({ sub: values.user, org: values.org, roles: roles as never, ttlSeconds: ttlHours * 3600 }, await resolveAuthSecret(config)) + '\n');
    },
  },
  start: {
    summary: 'run the platform on this machine: services, migrations, demo data when empty, every process',
    usage: 'meridian start [--candidates N]',
    async run({ config, log, args }) {
      const { values } = flags(args, { candidates: { type: 'string' } });
      const { startPlatform } = await import('../src/local/start.js');
      const { runIndexer } = await import('../indexers/main.js');
      const { runScheduler } = await import('../pipelines/main.js');
      await startPlatform(config, log, { candidates: positiveInteger('candidates', values.candidates, 2_000), processes: [runIndexer, runScheduler] });
    },
  },
};

function help(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}\n  ${' '.repeat(12)} ${c.usage}`);
  return `usage: meridian <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export { commands, flags, positiveInteger, print };

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help());
    return;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`meridian: unknown command "${name}"\n\n${help()}`);
    process.exitCode = 2;
    return;
  }
  let log = createLogger('info');
  try {
    const config = loadConfig();
    log = createLogger(config.logLevel);
    await command.run({ config, log, args });
  } catch (error) {
    // Postgres unreachable, refusing the login or without the database: the message says it all.
    const pgCode = String((error as { code?: unknown })?.code ?? '');
    const unreachable = /^(08|28|3D)/.test(pgCode) || ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT'].includes(pgCode);
    const code = error instanceof MeridianError ? error.code : unreachable ? 'database_unavailable' : 'unexpected';
    log.error(`${name} failed: ${describeError(error)}`, { code });
    if (!(error instanceof MeridianError) && !unreachable) process.stderr.write(String((error as Error)?.stack ?? error) + '\n');
    process.exitCode = error instanceof ValidationError ? 2 : 1;
  }
}

await main(process.argv.slice(2));
