/**
 * Writers of the search indices other than the stream: the backfill, reconciliation and
 * dead-letter replay. Each writes documents as Postgres holds them when it loads them, with a
 * version (an LSN) taken before that load — so its copy of a document can land after the
 * stream's newer one and replace it, until a later change comes through the stream.
 *
 * The stream skips a document it wrote itself whose content has not changed since
 * (UnchangedDocuments); that is only sound while no other writer can have replaced its
 * copy. So every other writer announces itself: it holds a shared advisory lock for as long
 * as it writes (on a connection of its own, released if its process dies) and advances the
 * `search_other_writers` sequence once it holds it, and again when it is done. The stream
 * reads both after loading a batch: while the lock is held it skips nothing, and when the
 * sequence has moved it forgets every content it remembered.
 */
import pg from 'pg';
import type { Knex } from 'knex';

/** Advisory lock key (two int4s): "MERI", 1. */
const LOCK: [number, number] = [0x4d455249, 1];

/** Runs `work` as a writer other than the stream (see above). */
export async function asOtherWriter<T>(db: Knex, work: () => Promise<T>): Promise<T> {
  const connection = (db.client as { config: Knex.Config }).config.connection as string | pg.ClientConfig;
  // Not from the pool: a backfill holds this for minutes, and the pool may be one connection.
  const client = new pg.Client(typeof connection === 'string' ? { connectionString: connection } : connection);
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock_shared($1, $2)', LOCK);
    await client.query("SELECT nextval('search_other_writers')");
    return await work();
  } finally {
    // Once more at the end, through the pool: had this session died mid-work (and its lock
    // with it), the stream still forgets what it remembered meanwhile.
    await db.raw("SELECT nextval('search_other_writers')").catch(() => undefined);
    // Unlocked before the session ends: a closing backend lets its locks go a moment after the
    // client has hung up. (A crash releases them too, with the session.)
    await client.query('SELECT pg_advisory_unlock_shared($1, $2)', LOCK).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/**
 * What the stream may rely on for a batch it has just loaded: null while another writer is at
 * work, otherwise a key that changes whenever another writer has started since.
 */
export async function otherWritersState(db: Knex): Promise<string | null> {
  const { rows } = await db.raw<{ rows: Array<{ generation: string; active: boolean }> }>(`
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END::text AS generation,
      EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = ? AND objid = ? AND objsubid = 2
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS active
    FROM search_other_writers`, LOCK);
  return rows[0]!.active ? null : rows[0]!.generation;
}
