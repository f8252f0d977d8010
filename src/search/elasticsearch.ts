/**
 * The Elasticsearch 8 adapter (@elastic/elasticsearch). Index definitions are written for
 * OpenSearch; the differences are translated here: vector fields become `dense_vector`
 * (cosine, the same HNSW graph, float vectors as on OpenSearch rather than Elasticsearch's
 * quantised default), the `index.knn` setting is dropped, and a k-NN search is the search
 * API's `knn` section rather than a query.
 */
import { Client, errors } from '@elastic/elasticsearch';
import { ServiceError } from '../errors.js';
import { readBulkItems, scanVersionsOf, waitingMayHelp, toSearchResponse, toSearchResponses, type BulkOperation, type BulkResult, type IndexDefinition, type NearestRequest, type SearchBackend, type SearchResponse } from './backend.js';
import { KNN_CANDIDATES } from './indices.js';
import { bulkBody } from './opensearch.js';

const statusOf = (error: unknown) => (error instanceof errors.ResponseError ? error.meta.statusCode : undefined);

async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const status = statusOf(error);
    if (waitingMayHelp(status)) throw new ServiceError('search_unavailable', `Elasticsearch unavailable during ${what}: ${(error as Error).message}`, error);
    throw new ServiceError('search_rejected', `Elasticsearch rejected ${what} (HTTP ${status}): ${(error as Error).message}`, error);
  }
}

/** knn_vector (OpenSearch) → dense_vector (Elasticsearch), recursively through the mapping. */
export function translateDefinition(definition: IndexDefinition): IndexDefinition {
  const settings = { ...definition.settings };
  delete settings.knn;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'knn_vector') {
        const graph = (record.method as { parameters?: { m?: number; ef_construction?: number } } | undefined)?.parameters ?? {};
        return { type: 'dense_vector', dims: record.dimension, index: true, similarity: 'cosine', index_options: { type: 'hnsw', ...(graph.m ? { m: graph.m } : {}), ...(graph.ef_construction ? { ef_construction: graph.ef_construction } : {}) } };
      }
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, visit(v)]));
    }
    return node;
  };
  return { settings, mappings: visit(definition.mappings) as Record<string, unknown> };
}

export class ElasticsearchBackend implements SearchBackend {
  readonly engine = 'elasticsearch' as const;
  private readonly client: Client;

  constructor(url: string) {
    this.client = new Client({ node: url, requestTimeout: 30_000, maxRetries: 0 });
  }

  async supportsVectors(): Promise<boolean> {
    return true;
  }

  async indexExists(index: string): Promise<boolean> {
    return call(`exists ${index}`, () => this.client.indices.exists({ index }));
  }

  async createIndex(index: string, definition: IndexDefinition): Promise<void> {
    const translated = translateDefinition(definition);
    await call(`create ${index}`, () => this.client.indices.create({ index, settings: translated.settings as never, mappings: translated.mappings as never }));
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
      return Object.keys(await this.client.indices.getAlias({ name: alias })).sort();
    } catch (error) {
      if (statusOf(error) === 404) return [];
      throw new ServiceError('search_unavailable', `alias lookup failed: ${(error as Error).message}`, error);
    }
  }

  async pointAlias(alias: string, index: string): Promise<void> {
    const current = await this.aliasTargets(alias);
    const actions = [...current.filter((i) => i !== index).map((i) => ({ remove: { index: i, alias } })), { add: { index, alias } }];
    await call(`alias ${alias} → ${index}`, () => this.client.indices.updateAliases({ actions }));
  }

  async bulk(index: string, operations: BulkOperation[], options: { refresh?: boolean } = {}): Promise<BulkResult> {
    if (operations.length === 0) return { applied: 0, stale: 0, staleIds: [], failures: [] };
    const response = await call(`bulk into ${index}`, () => this.client.bulk({ index, operations: bulkBody(operations) as never, refresh: options.refresh ? true : undefined }));
    return readBulkItems(response.items as never);
  }

  async refresh(index: string): Promise<void> {
    await call(`refresh ${index}`, () => this.client.indices.refresh({ index }));
  }

  async forceMerge(index: string, maxSegments: number): Promise<void> {
    // Minutes for a large index: well beyond the client's usual request timeout.
    await call(`force merge ${index}`, () => this.client.indices.forcemerge({ index, max_num_segments: maxSegments }, { requestTimeout: 60 * 60_000 }));
  }

  async count(index: string): Promise<number> {
    return (await call(`count ${index}`, () => this.client.count({ index }))).count;
  }

  async getDocument(index: string, id: string): Promise<{ version: number; source: Record<string, unknown> } | undefined> {
    try {
      const response = await this.client.get({ index, id });
      return response.found ? { version: response._version!, source: response._source as Record<string, unknown> } : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw new ServiceError('search_unavailable', `get ${index}/${id} failed: ${(error as Error).message}`, error);
    }
  }

  async search(index: string, body: Record<string, unknown>): Promise<SearchResponse> {
    const response = await call(`search ${index}`, () => this.client.search({ index, ...body } as never));
    return toSearchResponse(response as never);
  }

  async multiSearch(index: string, bodies: ReadonlyArray<Record<string, unknown>>): Promise<SearchResponse[]> {
    if (bodies.length === 1) return [await this.search(index, bodies[0]!)];
    const response = await call(`multi-search ${index}`, () => this.client.msearch({ index, searches: bodies.flatMap((body) => [{}, body]) } as never));
    return toSearchResponses('Elasticsearch', index, (response as unknown as { responses: never[] }).responses);
  }

  async similarities(index: string, ids: readonly string[], vector: readonly number[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    // Painless scores must not be negative, hence the + 1.
    const response = await this.search(index, {
      size: ids.length, _source: false, track_total_hits: false,
      query: { script_score: { query: { bool: { filter: [{ ids: { values: ids } }, { exists: { field: 'embedding' } }] } }, script: { source: "cosineSimilarity(params.v, 'embedding') + 1.0", params: { v: vector } } } },
    });
    return new Map(response.hits.map((hit) => [hit.id, (hit.score ?? 1) - 1]));
  }

  async nearest(index: string, request: NearestRequest): Promise<SearchResponse> {
    const { field, vector, k, filter, _source } = request;
    // Elasticsearch scores a cosine k-NN hit (1 + cosine) / 2, as Lucene does under OpenSearch.
    return this.search(index, {
      size: k, ...(_source === undefined ? {} : { _source }),
      knn: { field, query_vector: vector, k, num_candidates: Math.max(k, KNN_CANDIDATES), ...(filter ? { filter } : {}) },
    });
  }

  scanVersions(index: string, pageSize = 5000): AsyncIterable<Array<{ id: string; version: number }>> {
    return scanVersionsOf(this, index, pageSize);
  }

  /**
   * Whether the cluster answers. Asked of `_cluster/health`, not `HEAD /`: the root endpoint
   * is a module (rest-root) that not every distribution carries — the one the contract tests
   * run on does not — while every node answers for its cluster's health.
   */
  async ping(): Promise<boolean> {
    try {
      await this.client.cluster.health({ timeout: '5s' });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
