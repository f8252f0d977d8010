/** A fresh, migrated database of the local server for one benchmark, and its cleanup. */
import pg from 'pg';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/log.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';

export const withDatabase = (url: string, name: string) => url.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);

export interface BenchDatabase {
  url: string;
  /** Drops the database's replication slots (a forgotten slot holds WAL forever). */
  release(): Promise<void>;
}

/** Whether the local server has a database of that name. */
export async function databaseExists(base: Config, name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: withDatabase(base.database.url, 'postgres') });
  await admin.connect();
  try {
    return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

/**
 * How many rows `table` holds in a world kept from an earlier run (`--reuse`), 0 when there
 * is none; a kept world is first migrated, so it runs at the schema of the code under test.
 */
export async function keptWorldRows(base: Config, log: Logger, url: string, table: string): Promise<number> {
  const db = createDb(base, log, { url });
  try {
    const count = await db(table).count<{ n: string }[]>({ n: '*' }).then((r) => Number(r[0]!.n), () => 0);
    if (count > 0) await migrateLatest(db);
    return count;
  } finally {
    await db.destroy();
  }
}

/**
 * `to` replaced by a file-level copy of `from` (which must have no open connections), then
 * migrated: a benchmark that generates gigabytes keeps one pristine copy and starts each
 * run from a fresh copy of it, at the schema of the code under test.
 */
export function copiedDatabase(base: Config, log: Logger, from: string, to: string): Promise<BenchDatabase> {
  // FILE_COPY: one checkpoint and a copy of the files, instead of WAL-logging every block.
  return recreatedDatabase(base, log, to, `TEMPLATE ${from} STRATEGY FILE_COPY`);
}

export function freshDatabase(base: Config, log: Logger, name: string): Promise<BenchDatabase> {
  return recreatedDatabase(base, log, name, '');
}

/** Drops `name` (and its idle slots), creates it with `options`, and migrates it. */
async function recreatedDatabase(base: Config, log: Logger, name: string, options: string): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: withDatabase(base.database.url, 'postgres') });
  await admin.connect();
  const dropSlots = () => admin.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`, [name]).catch(() => undefined);
  await dropSlots();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name} ${options}`);
  const url = withDatabase(base.database.url, name);
  const db = createDb(base, log, { url });
  await migrateLatest(db);
  await db.destroy();
  return {
    url,
    async release() {
      await dropSlots();
      await admin.end();
    },
  };
}
