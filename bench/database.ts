/** A fresh, migrated database of the local server for one benchmark, and its cleanup. */
import pg from 'pg';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/log.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';

const withDatabase = (url: string, name: string) => url.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);

export interface BenchDatabase {
  url: string;
  /** Drops the database's replication slots (a forgotten slot holds WAL forever). */
  release(): Promise<void>;
}

export async function freshDatabase(base: Config, log: Logger, name: string): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: withDatabase(base.database.url, 'postgres') });
  await admin.connect();
  const dropSlots = () => admin.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`, [name]).catch(() => undefined);
  await dropSlots();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
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
