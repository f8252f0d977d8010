/**
 * The shared test harness (mocha root hooks): starts the local services when they are absent
 * and reuses them when present, then gives this run its own database and index prefix so
 * runs never see each other's data. Set KEEP_TEST_DATABASE=1 to keep the database afterwards.
 */
import pg from 'pg';
import type { Knex } from 'knex';
import { loadConfig, type Config } from '../src/config.js';
import { createLogger, type Logger } from '../src/log.js';
import { servicesUp } from '../src/local/services.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { deleteIndicesWithPrefix } from '../src/search/admin.js';

export interface Harness {
  /** The configuration with DATABASE_URL and INDEX_PREFIX pointing at this run's own. */
  config: Config;
  db: Knex;
  log: Logger;
  runId: string;
  /** Creates another empty database on the same server; dropped at the end of the run. */
  createDatabase(suffix: string): Promise<string>;
  /** Runs `fn` at the end of the run, before databases are dropped (shared fixtures). */
  atEnd(fn: () => Promise<void>): void;
}

let current: Harness | undefined;
const extraDatabases: string[] = [];
const endings: Array<() => Promise<void>> = [];

export function harness(): Harness {
  if (!current) throw new Error('the test harness is not started (is test/harness.ts in .mocharc.json "require"?)');
  return current;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/' + database;
  return parsed.toString();
}

async function adminQuery(config: Config, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(config.database.url, 'postgres') });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs older than this are over: a test run takes minutes. */
const ABANDONED_AFTER_MS = 6 * 3600_000;

/**
 * Drops what runs killed before their cleanup left behind: their databases, their indices,
 * and above all their replication slots, which otherwise hold WAL forever (20 GB after a
 * few interrupted runs of the SIGKILL test). A run is known by its id, which starts with its
 * start time in base 36.
 */
async function sweepAbandonedRuns(base: Config, log: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(base.database.url, 'postgres') });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'meridian\\_test\\_%'`);
    const swept = new Set<string>();
    for (const { datname } of rows) {
      const runId = datname.slice('meridian_test_'.length).split('_')[0]!;
      const startedAt = parseInt(runId.slice(0, 8), 36);
      if (!Number.isFinite(startedAt) || Date.now() - startedAt < ABANDONED_AFTER_MS) continue;
      await client.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`, [datname]).catch(() => undefined);
      await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
      swept.add(runId);
    }
    for (const runId of swept) await deleteIndicesWithPrefix(base.search.url, `t${runId}_`).catch(() => undefined);
    if (swept.size) log.warn('test harness: removed what interrupted test runs left behind', { runs: swept.size });
  } finally {
    await client.end();
  }
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(600_000);
    const base = loadConfig();
    const log = createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'warn');
    await servicesUp(base, log);
    await sweepAbandonedRuns(base, log);
    const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
    const database = `meridian_test_${runId}`;
    await adminQuery(base, `CREATE DATABASE ${database}`);
    const config = Object.freeze({
      ...base,
      database: { ...base.database, url: withDatabase(base.database.url, database) },
      search: { ...base.search, indexPrefix: `t${runId}_` },
    });
    const db = createDb(config, log);
    await migrateLatest(db);
    current = {
      config, db, log, runId,
      async createDatabase(suffix: string) {
        const name = `${database}_${suffix}`;
        await adminQuery(base, `CREATE DATABASE ${name}`);
        extraDatabases.push(name);
        return withDatabase(base.database.url, name);
      },
      atEnd: (fn) => void endings.push(fn),
    };
    extraDatabases.push(database);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(120_000);
    if (!current) return;
    for (const end of endings.reverse()) await end().catch((error: Error) => console.error('test cleanup failed:', error.message));
    await current.db.destroy();
    if (process.env.KEEP_TEST_DATABASE === '1') return;
    const base = loadConfig();
    for (const name of extraDatabases.reverse()) {
      // A database with a replication slot cannot be dropped, and a forgotten slot holds WAL.
      await adminQuery(base, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '${name}' AND NOT active`).catch(() => undefined);
      await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    }
    await deleteIndicesWithPrefix(current.config.search.url, current.config.search.indexPrefix).catch(() => undefined);
  },
};
