/**
 * Every search is a `search_queries` row (text, filters, result count, duration). Rows are
 * written in batches a moment after the search, so logging adds no round trip to a search;
 * `flush()` writes what is pending (shutdown, and before a click refers to a search).
 */
import type { Knex } from 'knex';
import type { Logger } from '../log.js';

export interface SearchLogEntry {
  id: string;
  userId: string;
  organizationId: string | null;
  audience: 'candidates' | 'opportunities';
  text: string | null;
  filters: Record<string, unknown>;
  resultsCount: number;
  durationMs: number;
  at: Date;
}

export interface SearchLog {
  record(entry: SearchLogEntry): void;
  flush(): Promise<void>;
  isPending(id: string): boolean;
}

const FLUSH_MS = 200;
const MAX_BATCH = 500;

export function createSearchLog(db: Knex, log: Logger): SearchLog {
  let pending: SearchLogEntry[] = [];
  // Taken from `pending` but not inserted yet: a click on one of these must wait for the insert.
  const inFlight = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const row = (e: SearchLogEntry) => ({
    id: e.id, user_id: e.userId, organization_id: e.organizationId, audience: e.audience, search_text: e.text,
    filters: JSON.stringify(e.filters), results_count: e.resultsCount, search_duration_ms: e.durationMs, searched_at: e.at,
  });

  function write(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return writing;
    for (const entry of batch) inFlight.add(entry.id);
    writing = writing.then(async () => {
      try {
        await db('search_queries').insert(batch.map(row));
      } catch (batchError) {
        // One bad row must not cost the batch its other searches: each on its own, and a lost
        // row (it must not fail the search it logs) is visible in the log.
        for (const entry of batch) {
          await db('search_queries').insert(row(entry)).catch((error: Error) => log.error('api: search log write failed', { searchId: entry.id, error: error.message, batchError: (batchError as Error).message }));
        }
      } finally {
        for (const entry of batch) inFlight.delete(entry.id);
      }
    });
    return writing;
  }

  return {
    record(entry) {
      pending.push(entry);
      if (pending.length >= MAX_BATCH) void write();
      else if (!timer) timer = setTimeout(() => void write(), FLUSH_MS).unref();
    },
    flush: write,
    isPending: (id) => inFlight.has(id) || pending.some((e) => e.id === id),
  };
}
