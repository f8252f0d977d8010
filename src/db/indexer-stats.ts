/**
 * The running indexer's document counters, kept in search_indexer_stats (one row per slot) so
 * that other processes — `meridian status`, the API's /metrics — can read them. The indexer
 * saves them; everything else reads them through here.
 */
import type { Knex } from 'knex';

export interface IndexerCounters {
  indexed: number;
  deleted: number;
  stale: number;
  deadLettered: number;
  /** Loaded exactly as the stream last wrote it, so not written. */
  unchanged: number;
  /** Not even loaded: the stream's last write already included the change. */
  covered: number;
}

/** Each counter's column (also its `outcome` label in /metrics). */
export const COUNTER_COLUMNS: Readonly<Record<keyof IndexerCounters, string>> = {
  indexed: 'indexed', deleted: 'deleted', stale: 'stale', deadLettered: 'dead_lettered', unchanged: 'unchanged', covered: 'covered',
};

const counterKeys = Object.keys(COUNTER_COLUMNS) as Array<keyof IndexerCounters>;

export async function saveIndexerStats(db: Knex, slot: string, startedAt: Date, counters: IndexerCounters): Promise<void> {
  await db('search_indexer_stats')
    .insert({ slot_name: slot, started_at: startedAt, saved_at: new Date(), ...Object.fromEntries(counterKeys.map((key) => [COUNTER_COLUMNS[key], counters[key]])) })
    .onConflict('slot_name').merge();
}

/** The counters as last saved for `slot`; null when no indexer has saved any. */
export async function readIndexerStats(db: Knex, slot: string): Promise<{ startedAt: Date; savedAt: Date; written: IndexerCounters } | null> {
  const row = await db('search_indexer_stats').where({ slot_name: slot }).first();
  if (!row) return null;
  return {
    startedAt: row.started_at, savedAt: row.saved_at,
    written: Object.fromEntries(counterKeys.map((key) => [key, Number(row[COUNTER_COLUMNS[key]])])) as unknown as IndexerCounters,
  };
}
