/**
 * The search engine behind a small interface (as small as pg-logical-replication's output
 * plugin interface): the indexer and the API depend on this, never on a client library, so
 * OpenSearch and Elasticsearch are interchangeable (DESIGN §4, §10).
 */
import { ServiceError } from '../errors.js';

export interface IndexDefinition {
  settings: Record<string, unknown>;
  mappings: Record<string, unknown>;
}

/** One bulk operation. `version` is the Postgres commit LSN as a number (external versioning). */
export type BulkOperation =
  | { action: 'index'; id: string; version: number; document: Record<string, unknown> }
  | { action: 'delete'; id: string; version: number };

export interface BulkFailure {
  id: string;
  status: number;
  type: string;
  reason: string;
  /** Worth retrying (overload, unavailable); the others will fail the same way again. */
  retryable: boolean;
}

export interface BulkResult {
  /** Operations the engine applied, or skipped because it already holds a newer version. */
  applied: number;
  /** Operations rejected as older than what the index holds: harmless replays. */
  stale: number;
  /** The ids of those. */
  staleIds: string[];
  failures: BulkFailure[];
}

export interface SearchBackend {
  readonly engine: 'opensearch' | 'elasticsearch';
  /** Whether the cluster can hold vector fields (k-NN plugin or dense_vector). */
  supportsVectors(): Promise<boolean>;
  indexExists(index: string): Promise<boolean>;
  createIndex(index: string, definition: IndexDefinition): Promise<void>;
  deleteIndex(index: string): Promise<void>;
  /** Physical indices behind an alias; empty when the alias does not exist. */
  aliasTargets(alias: string): Promise<string[]>;
  /** Points the alias at `index` and away from every other index, in one atomic request. */
  pointAlias(alias: string, index: string): Promise<void>;
  bulk(index: string, operations: BulkOperation[], options?: { refresh?: boolean }): Promise<BulkResult>;
  refresh(index: string): Promise<void>;
  /**
   * Merges a finished index down to `maxSegments` segments (waits for it). Done once after a
   * backfill: fewer segments made searches of a million candidates ~30% faster.
   */
  forceMerge(index: string, maxSegments: number): Promise<void>;
  count(index: string): Promise<number>;
  getDocument(index: string, id: string): Promise<{ version: number; source: Record<string, unknown> } | undefined>;
  search(index: string, body: Record<string, unknown>): Promise<SearchResponse>;
  /** Several searches of one index in one round trip (_msearch), answered in order; any failure fails the call. */
  multiSearch(index: string, bodies: ReadonlyArray<Record<string, unknown>>): Promise<SearchResponse[]>;
  /**
   * Cosine similarity of each listed document's stored vector to `vector` (documents without
   * one are left out). Vectors are not kept in `_source`, so this is how a ranker learns the
   * similarity of a document that the vector search itself did not return.
   */
  similarities(index: string, ids: readonly string[], vector: readonly number[]): Promise<Map<string, number>>;
  /**
   * The `k` documents whose vectors are nearest `vector` (cosine) among those `filter`
   * matches, best first, each scored (1 + cosine) / 2. The filter is applied while the graph
   * is walked, so a narrow filter still yields k documents.
   */
  nearest(index: string, request: NearestRequest): Promise<SearchResponse>;
  /** Every document id with its version, in pages (for reconciliation). */
  scanVersions(index: string, pageSize?: number): AsyncIterable<Array<{ id: string; version: number }>>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface NearestRequest {
  field: string;
  vector: readonly number[];
  k: number;
  /** A query every result must match (a bool of filters). */
  filter?: Record<string, unknown>;
  _source?: unknown;
}

export interface SearchHit {
  id: string;
  score: number | null;
  version?: number;
  source: Record<string, unknown>;
  sort?: unknown[];
  highlight?: Record<string, string[]>;
}

export interface SearchResponse {
  total: number;
  hits: SearchHit[];
  aggregations?: Record<string, unknown>;
  tookMs: number;
}

/** "16/B374D848" → 0x16_B374D848: an LSN as the number the engine stores as a version. */
export function lsnToVersion(lsn: string): number {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!match) throw new Error(`not an LSN: ${lsn}`);
  return parseInt(match[1]!, 16) * 2 ** 32 + parseInt(match[2]!, 16);
}

export function versionToLsn(version: number): string {
  const high = Math.floor(version / 2 ** 32);
  const low = version - high * 2 ** 32;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Shared reading of a bulk response's items (same shape on both engines). */
export function readBulkItems(items: Array<Record<string, { _id: string; status: number; error?: { type: string; reason: string } }>>): BulkResult {
  const result: BulkResult = { applied: 0, stale: 0, staleIds: [], failures: [] };
  for (const item of items) {
    const outcome = Object.values(item)[0]!;
    if (outcome.status < 300 || (outcome.status === 404 && !outcome.error)) result.applied++;
    else if (outcome.status === 409) {
      result.stale++;
      result.staleIds.push(outcome._id);
    }
    else {
      result.failures.push({
        id: outcome._id, status: outcome.status, type: outcome.error?.type ?? 'unknown', reason: outcome.error?.reason ?? `HTTP ${outcome.status}`,
        retryable: RETRYABLE_STATUS.has(outcome.status),
      });
    }
  }
  return result;
}

/** The raw response shape both engines share for _search. */
export interface RawSearchResponse {
  took: number;
  aggregations?: unknown;
  hits: {
    total?: number | { value: number } | null;
    hits: Array<{ _id?: string | null; _score?: number | null; _version?: number; _source?: unknown; sort?: unknown; highlight?: unknown }>;
  };
}

/** Whether an engine answer with this HTTP status (none: no answer at all) may succeed if sent again later. */
export const waitingMayHelp = (status: number | undefined): boolean => status === undefined || status === 429 || status >= 500;

/**
 * Reads an _msearch answer: each item is a search response or its own error, which fails the
 * whole call as the same error would fail a single search (429 and 5xx: unavailable, else rejected).
 */
export function toSearchResponses(engine: string, index: string, items: Array<RawSearchResponse & { error?: unknown; status?: number }>): SearchResponse[] {
  return items.map((item) => {
    if (item.error === undefined) return toSearchResponse(item);
    const status = item.status ?? 500;
    const code = waitingMayHelp(status) ? 'search_unavailable' : 'search_rejected';
    throw new ServiceError(code, `${engine} ${code === 'search_rejected' ? 'rejected' : 'could not answer'} a search of ${index} (HTTP ${status}): ${JSON.stringify(item.error)}`);
  });
}

export function toSearchResponse(response: RawSearchResponse): SearchResponse {
  const total = response.hits.total;
  return {
    total: typeof total === 'number' ? total : total?.value ?? 0,
    tookMs: response.took,
    aggregations: response.aggregations as Record<string, unknown> | undefined,
    hits: response.hits.hits.map((hit) => ({
      id: hit._id ?? '', score: hit._score ?? null, version: hit._version, source: (hit._source ?? {}) as Record<string, unknown>,
      sort: hit.sort as unknown[] | undefined, highlight: hit.highlight as Record<string, string[]> | undefined,
    })),
  };
}

/** Every id with its version, in `id` order, through `search_after` (engine-neutral). */
export async function* scanVersionsOf(backend: Pick<SearchBackend, 'search'>, index: string, pageSize: number): AsyncIterable<Array<{ id: string; version: number }>> {
  let after: unknown[] | undefined;
  for (;;) {
    const page = await backend.search(index, { size: pageSize, version: true, _source: false, sort: [{ id: 'asc' }], ...(after ? { search_after: after } : {}) });
    if (page.hits.length === 0) return;
    yield page.hits.map((h) => ({ id: h.id, version: h.version ?? 0 }));
    after = page.hits[page.hits.length - 1]!.sort;
  }
}
