/** The OpenSearch adapter (@opensearch-project/opensearch). */
import { Client, errors } from '@opensearch-project/opensearch';
import { ServiceError } from '../errors.js';
import { readBulkItems, scanVersionsOf, waitingMayHelp, toSearchResponse, toSearchResponses, type BulkOperation, type BulkResult, type IndexDefinition, type NearestRequest, type SearchBackend, type SearchResponse } from './backend.js';
import { KNN_CANDIDATES } from './indices.js';

export function bulkBody(operations: BulkOperation[]): Array<Record<string, unknown>> {
  const body: Array<Record<string, unknown>> = [];
  for (const op of operations) {
    const meta = { _id: op.id, version: op.version, version_type: 'external' };
    if (op.action === 'index') body.push({ index: meta }, op.document);
    else body.push({ delete: meta });
  }
  return body;
}

const statusOf = (error: unknown) => (error instanceof errors.ResponseError ? error.meta.statusCode ?? undefined : undefined);

/** Turns client errors into ServiceErrors that say whether waiting could help. */
async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const status = statusOf(error);
    if (waitingMayHelp(status)) {
      throw new ServiceError('search_unavailable', `OpenSearch unavailable during ${what}: ${(error as Error).message}`, error);
    }
    throw new ServiceError('search_rejected', `OpenSearch rejected ${what} (HTTP ${status}): ${JSON.stringify((error as errors.ResponseError).meta.body?.error ?? (error as Error).message)}`, error);
  }
}

export class OpenSearchBackend implements SearchBackend {
  readonly engine = 'opensearch' as const;
  private readonly client: Client;
  private vectors: boolean | undefined;

  constructor(url: string) {
    // Responses come from our own cluster and are only read, never merged into prototypes:
    // the per-response scan for "__proto__" keys cost more than parsing itself.
    this.client = new Client({ node: url, requestTimeout: 30_000, maxRetries: 0, disablePrototypePoisoningProtection: true });
  }

  async supportsVectors(): Promise<boolean> {
    if (this.vectors === undefined) {
      const { body } = await call('plugin listing', () => this.client.cat.plugins({ format: 'json' }));
      this.vectors = (body as unknown as Array<{ component: string }>).some((p) => p.component === 'opensearch-knn');
    }
    return this.vectors;
  }

  async indexExists(index: string): Promise<boolean> {
    const { body } = await call(`exists ${index}`, () => this.client.indices.exists({ index }));
    return body === true;
  }

  async createIndex(index: string, definition: IndexDefinition): Promise<void> {
    await call(`create ${index}`, () => this.client.indices.create({ index, body: definition as never }));
  }

  async deleteIndex(index: string): Promise<void> {
    try {
      await this.client.indices.delete({ index });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  async aliasTargets(alias: string): Promise<string[]> {
    try {
      const { body } = await this.client.indices.getAlias({ name: alias });
      return Object.keys(body).sort();
    } catch (error) {
      if (statusOf(error) === 404) return [];
      throw new ServiceError('search_unavailable', `alias lookup failed: ${(error as Error).message}`, error);
    }
  }

  async pointAlias(alias: string, index: string): Promise<void> {
    const current = await this.aliasTargets(alias);
    const actions = [...current.filter((i) => i !== index).map((i) => ({ remove: { index: i, alias } })), { add: { index, alias } }];
    await call(`alias ${alias} → ${index}`, () => this.client.indices.updateAliases({ body: { actions } }));
  }

  async bulk(index: string, operations: BulkOperation[], options: { refresh?: boolean } = {}): Promise<BulkResult> {
    if (operations.length === 0) return { applied: 0, stale: 0, staleIds: [], failures: [] };
    const { body } = await call(`bulk into ${index}`, () => this.client.bulk({ index, body: bulkBody(operations) as never, refresh: options.refresh ? 'true' : undefined }));
    return readBulkItems(body.items as never);
  }

  async refresh(index: string): Promise<void> {
    await call(`refresh ${index}`, () => this.client.indices.refresh({ index }));
  }

  async forceMerge(index: string, maxSegments: number): Promise<void> {
    // Minutes for a large index: well beyond the client's usual request timeout.
    await call(`force merge ${index}`, () => this.client.indices.forcemerge({ index, max_num_segments: maxSegments }, { requestTimeout: 60 * 60_000 }));
  }

  async count(index: string): Promise<number> {
    const { body } = await call(`count ${index}`, () => this.client.count({ index }));
    return body.count;
  }

  async getDocument(index: string, id: string): Promise<{ version: number; source: Record<string, unknown> } | undefined> {
    try {
      const { body } = await this.client.get({ index, id });
      return body.found ? { version: body._version!, source: body._source as Record<string, unknown> } : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw new ServiceError('search_unavailable', `get ${index}/${id} failed: ${(error as Error).message}`, error);
    }
  }

  async search(index: string, body: Record<string, unknown>): Promise<SearchResponse> {
    const { body: response } = await call(`search ${index}`, () => this.client.search({ index, body: body as never }));
    return toSearchResponse(response as never);
  }

  async multiSearch(index: string, bodies: ReadonlyArray<Record<string, unknown>>): Promise<SearchResponse[]> {
    if (bodies.length === 1) return [await this.search(index, bodies[0]!)];
    const { body: response } = await call(`multi-search ${index}`, () => this.client.msearch({ index, body: bodies.flatMap((body) => [{}, body]) as never }));
    return toSearchResponses('OpenSearch', index, (response as unknown as { responses: never[] }).responses);
  }

  async similarities(index: string, ids: readonly string[], vector: readonly number[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    // The k-NN plugin's exact scoring script gives (1 + cosine) / 2 for cosinesimil.
    const response = await this.search(index, {
      size: ids.length, _source: false, track_total_hits: false,
      query: { script_score: { query: { bool: { filter: [{ ids: { values: ids } }, { exists: { field: 'embedding' } }] } }, script: { lang: 'knn', source: 'knn_score', params: { field: 'embedding', query_value: vector, space_type: 'cosinesimil' } } } },
    });
    return new Map(response.hits.map((hit) => [hit.id, 2 * (hit.score ?? 0.5) - 1]));
  }

  async nearest(index: string, request: NearestRequest): Promise<SearchResponse> {
    const { field, vector, k, filter, _source } = request;
    return this.search(index, {
      size: k, ...(_source === undefined ? {} : { _source }),
      query: { knn: { [field]: { vector, k, ...(filter ? { filter } : {}), method_parameters: { ef_search: Math.max(k, KNN_CANDIDATES) } } } },
    });
  }

  scanVersions(index: string, pageSize = 5000): AsyncIterable<Array<{ id: string; version: number }>> {
    return scanVersionsOf(this, index, pageSize);
  }

  async ping(): Promise<boolean> {
    try {
      await this.client.ping();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
