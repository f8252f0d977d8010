/**
 * Loads the demo data with COPY, in one transaction: a crash or an error leaves the database
 * as it was, never half-seeded. Generation of the next batch overlaps the COPY of the
 * previous one, so the generator (Node) and the server (Postgres) each keep a core busy.
 */
import pg from 'pg';
import { copyChunks } from '../copy.js';
import { MeridianError } from '../../errors.js';
import { generateDemo, type CopyBatch, type DemoOptions, type DemoPlan, type DemoProgress } from './generate.js';

export interface LoadResult {
  plan: DemoPlan;
  rows: number;
  checksum: string;
  seconds: number;
}

export interface LoadOptions extends DemoOptions {
  /** Empty every table first; without it a database that has users is refused. */
  reset?: boolean;
  onProgress?: (progress: DemoProgress) => void;
}

export async function isDatabaseEmpty(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM organizations) AS any');
  return !rows[0]!.any;
}

async function truncateAll(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ name: string }>(`
    SELECT quote_ident(tablename) AS name FROM pg_tables
    WHERE schemaname = current_schema() AND tablename NOT LIKE 'knex_migrations%'`);
  if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} CASCADE`);
}

/**
 * The generator's rows are consistent by construction (parents are written before children,
 * ids are derived, not looked up), so per-row foreign-key triggers only re-prove it, at the
 * price of an index probe and a row lock on the parent for every child row. Like pg_restore
 * --disable-triggers, skip them when we may (superuser, which the embedded server gives us);
 * the tests check the seeded data with set-based anti-joins instead.
 */
async function trustGeneratedKeys(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ su: boolean }>('SELECT rolsuper AS su FROM pg_roles WHERE rolname = current_user');
  if (!rows[0]?.su) return false;
  await client.query('SET LOCAL session_replication_role = replica');
  return true;
}

export async function loadDemo(databaseUrl: string, options: LoadOptions): Promise<LoadResult> {
  const started = process.hrtime.bigint();
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  let inFlight: Promise<void> = Promise.resolve();
  try {
    await client.query('BEGIN');
    // Shorter commits are not the point here, but a big load should not wait on each WAL flush.
    await client.query('SET LOCAL synchronous_commit = off');
    if (options.reset) await truncateAll(client);
    else if (!(await isDatabaseEmpty(client))) {
      throw new MeridianError('database_not_empty', 'The database already holds data; seed with --reset to replace it', { status: 409 });
    }
    const fast = await trustGeneratedKeys(client);
    const copyBatches = async (batches: CopyBatch[]) => {
      for (const batch of batches) await copyChunks(client, batch.table, batch.columns, batch.text);
    };
    const result = await generateDemo(options, {
      async write(batches) {
        await inFlight;
        inFlight = copyBatches(batches);
        // Surface a failure at the next write instead of as an unhandled rejection.
        inFlight.catch(() => undefined);
      },
    }, options.onProgress);
    await inFlight;
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return { ...result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } catch (error) {
    await inFlight.catch(() => undefined);
    await client.query('ROLLBACK').catch(() => undefined);
    throw error instanceof MeridianError ? error : new MeridianError('seed_failed', `Loading demo data failed: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}
