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
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  function write(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return writing;
    writing = writing.then(async () => {
      try {
        await db('search_queries').insert(batch.map((e) => ({
          id: e.id, user_id: e.userId, organization_id: e.organizationId, audience: e.audience, search_text: e.text,
          filters: JSON.stringify(e.filters), results_count: e.resultsCount, search_duration_ms: e.durationMs, searched_at: e.at,
        })));
      } catch (error) {
        // A lost log row must not fail searches, but it must be visible.
        log.error('api: search log write failed', { rows: batch.length, error: (error as Error).message });
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
    isPending: (id) => pending.some((e) => e.id === id),
  };
}
