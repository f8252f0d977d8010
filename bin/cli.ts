/**
 * `meridian <command>`: a thin dispatcher. Each command parses its own flags and calls the
 * main of src/, indexers/ or pipelines/; nothing here holds logic worth testing on its own.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ENVIRONMENT, loadConfig, type Config } from '../src/config.js';
import { describeError, MeridianError, ValidationError } from '../src/errors.js';
import { createLogger, type Logger } from '../src/log.js';

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

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1) throw new ValidationError(`--${name} must be a positive integer, got "${raw}"`, undefined, 'bad_arguments');
  return value;
}

function parseDate(raw: string | undefined): Date {
  if (raw === undefined) return new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw + 'T00:00:00Z'))) {
    throw new ValidationError(`--as-of must be a date like 2026-11-01, got "${raw}"`, undefined, 'bad_arguments');
  }
  return new Date(raw + 'T00:00:00Z');
}

const print = (value: unknown) => process.stdout.write(JSON.stringify(value, null, 2) + '\n');

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
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await api.close();
    },
  },
  start: {
    summary: 'run the platform on this machine: services, migrations, demo data when empty, every process',
    usage: 'meridian start [--candidates N]',
    async run({ config, log, args }) {
      const { values } = flags(args, { candidates: { type: 'string' } });
      const { startPlatform } = await import('../src/local/start.js');
      await startPlatform(config, log, { candidates: positiveInteger('candidates', values.candidates, 2_000) });
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
    const code = error instanceof MeridianError ? error.code : 'unexpected';
    log.error(`${name} failed: ${describeError(error)}`, { code });
    if (!(error instanceof MeridianError)) process.stderr.write(String((error as Error)?.stack ?? error) + '\n');
    process.exitCode = error instanceof ValidationError ? 2 : 1;
  }
}

await main(process.argv.slice(2));
