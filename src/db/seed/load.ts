/**
 * Loads the demo data with COPY, in one transaction: a crash or an error leaves the database
 * as it was, never half-seeded. Rows are generated on a worker thread while Postgres ingests
 * the previous batch, so the generator and the server each keep a core busy.
 */
import pg from 'pg';
import { copyChunks } from '../copy.js';
import { MeridianError } from '../../errors.js';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { CopyBatch, DemoOptions, DemoPlan, DemoProgress } from './generate.js';
import type { WorkerMessage, WorkerRequest } from './worker.js';

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

/**
 * Building an index once over loaded rows (a sort) is cheaper than updating it per row.
 * The database is empty here (or was just truncated), so secondary indexes are dropped and
 * re-created from their own definitions before COMMIT; unique ones stay and keep enforcing.
 */
async function dropSecondaryIndexes(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(`
    SELECT quote_ident(i.relname) AS name, pg_get_indexdef(x.indexrelid) AS definition
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relnamespace = current_schema()::regnamespace AND NOT x.indisunique AND NOT x.indisprimary
      AND t.relname NOT LIKE 'knex_migrations%'`);
  for (const row of rows) await client.query(`DROP INDEX ${row.name}`);
  return rows.map((row) => row.definition);
}

/**
 * Generates on a worker thread and hands each batch to `copy`. The worker is acknowledged as
 * soon as a COPY starts, so it builds batch k+1 while Postgres ingests batch k.
 */
function generateInWorker(options: LoadOptions, copy: (batches: CopyBatch[]) => Promise<void>): Promise<{ plan: DemoPlan; rows: number; checksum: string }> {
  // The worker is TypeScript too: it registers tsx itself, whatever loaded this module.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const request: WorkerRequest = { candidates: options.candidates, seed: options.seed, asOf: options.asOf.toISOString() };
  const worker = new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, {
    eval: true,
    workerData: request,
    // The generator's live set is a couple of batches whatever N is; a fixed old-generation
    // cap makes V8 collect instead of growing its heap with the length of the run.
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  return new Promise((resolve, reject) => {
    let inFlight: Promise<void> = Promise.resolve();
    let settled = false;
    let generated = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'batch') {
        inFlight = inFlight.then(async () => {
          const copying = copy(message.batches);
          worker.postMessage('ack');
          await copying;
        });
        inFlight.catch(fail);
      } else if (message.type === 'progress') {
        options.onProgress?.(message.progress);
      } else if (message.type === 'done') {
        generated = true;
        inFlight.then(() => {
          settled = true;
          void worker.terminate();
          resolve(message.result);
        }, fail);
      } else {
        fail(Object.assign(new Error(message.message), { stack: message.stack }));
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!generated) fail(new Error(`the demo generator thread exited early (code ${code})`));
    });
  });
}

export async function loadDemo(databaseUrl: string, options: LoadOptions): Promise<LoadResult> {
  const started = process.hrtime.bigint();
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('BEGIN');
    // Shorter commits are not the point here, but a big load should not wait on each WAL flush.
    await client.query('SET LOCAL synchronous_commit = off');
    if (options.reset) await truncateAll(client);
    else if (!(await isDatabaseEmpty(client))) {
      throw new MeridianError('database_not_empty', 'The database already holds data; seed with --reset to replace it', { status: 409 });
    }
    await trustGeneratedKeys(client);
    const deferred = await dropSecondaryIndexes(client);
    const result = await generateInWorker(options, async (batches) => {
      for (const batch of batches) await copyChunks(client, batch.table, batch.columns, batch.text);
    });
    options.onProgress?.({ phase: 'indexes', candidatesDone: options.candidates, candidatesTotal: options.candidates, rows: result.rows });
    for (const definition of deferred) await client.query(definition);
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return { ...result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error instanceof MeridianError ? error : new MeridianError('seed_failed', `Loading demo data failed: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}
