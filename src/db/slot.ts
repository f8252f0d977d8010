/** The replication slot of a database: one per database, so test databases never share one. */
import type { Knex } from 'knex';

export function slotNameFor(databaseUrl: string): string {
  const database = new URL(databaseUrl).pathname.slice(1) || 'meridian';
  return `meridian_${database}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
}

export interface SlotLag {
  slot: string;
  exists: boolean;
  active?: boolean;
  walStatus?: string | null;
  lagBytes?: number | null;
  /**
   * How long the newest WAL the server flushed has waited for the indexer's acknowledgement
   * (the walsender's flush_lag): 0 when caught up, null while no indexer is connected.
   */
  lagSeconds?: number | null;
}

/** How far the slot's confirmed position trails the server's WAL, in bytes and in seconds. */
export async function slotLag(db: Knex, slot: string): Promise<SlotLag> {
  const { rows } = await db.raw<{ rows: Array<{ active: boolean; wal_status: string | null; lag: string | null; lag_seconds: number | null }> }>(`
    SELECT s.active, s.wal_status, (pg_current_wal_lsn() - s.confirmed_flush_lsn)::text AS lag,
      EXTRACT(epoch FROM r.flush_lag)::float8 AS lag_seconds
    FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
    WHERE s.slot_name = ?`, [slot]);
  const row = rows[0];
  if (!row) return { slot, exists: false };
  return {
    slot, exists: true, active: row.active, walStatus: row.wal_status, lagBytes: row.lag === null ? null : Number(row.lag),
    lagSeconds: !row.active ? null : row.lag_seconds === null ? 0 : Math.round(row.lag_seconds * 1000) / 1000,
  };
}
