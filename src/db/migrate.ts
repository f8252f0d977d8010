/** Running the knex migrations in migrations/ (TypeScript, loaded through tsx). */
import path from 'node:path';
import type { Knex } from 'knex';
import { PROJECT_ROOT } from '../config.js';
import { MeridianError } from '../errors.js';

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');

export const migrationConfig: Knex.MigratorConfig = {
  directory: MIGRATIONS_DIR,
  loadExtensions: ['.ts'],
  tableName: 'knex_migrations',
};

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

export async function rollback(db: Knex, all: boolean): Promise<string[]> {
  const [, reverted] = (await db.migrate.rollback(migrationConfig, all)) as [number, string[]];
  return reverted;
}

export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list(migrationConfig)) as [unknown[], Array<{ file: string }>];
  return pending.map((entry) => entry.file);
}

/** Refuses to run against a schema that is behind the code, with the command that fixes it. */
export async function assertMigrated(db: Knex): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    throw new MeridianError('migrations_pending', `The database schema is behind this code (${pending.length} pending: ${pending.join(', ')}); run: meridian migrate`, { status: 503 });
  }
}
