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
}

/** How far the slot's confirmed position trails the server's WAL, in bytes. */
export async function slotLag(db: Knex, slot: string): Promise<SlotLag> {
  const { rows } = await db.raw<{ rows: Array<{ active: boolean; wal_status: string | null; lag: string | null }> }>(
    'SELECT active, wal_status, (pg_current_wal_lsn() - confirmed_flush_lsn)::text AS lag FROM pg_replication_slots WHERE slot_name = ?', [slot]);
  const row = rows[0];
  if (!row) return { slot, exists: false };
  return { slot, exists: true, active: row.active, walStatus: row.wal_status, lagBytes: row.lag === null ? null : Number(row.lag) };
}
