/**
 * Elasticsearch for tests: the cluster ELASTICSEARCH_URL names, or else a local node started
 * from Maven Central's integ-test distribution (src/local/elasticsearch.ts). That node lacks
 * the analysis-common and lang-painless modules, which Maven Central does not publish for
 * Elasticsearch, so on it the index definitions are created with standard analysers (their
 * mappings, vector fields and settings unchanged); every call is otherwise the adapter's own.
 */
import type { IndexDefinition, SearchBackend } from '../src/search/backend.js';
import { ElasticsearchBackend } from '../src/search/elasticsearch.js';
import { startElasticsearch } from '../src/local/elasticsearch.js';
import { deleteIndicesWithPrefix } from '../src/search/admin.js';
import { harness } from './harness.js';

export interface ElasticsearchNode {
  url: string;
  /** analysis-common: the English and French analysers, ASCII folding. */
  languageAnalysis: boolean;
  /** lang-painless: scripts (the adapter's vector similarities use one). */
  scripts: boolean;
}

let node: Promise<ElasticsearchNode> | undefined;

async function connect(): Promise<ElasticsearchNode> {
  const url = harness().config.elasticsearch.url ?? (await startElasticsearch(harness().config, harness().log));
  const response = await fetch(new URL('/_nodes/_local/plugins', url));
  if (!response.ok) throw new Error(`Elasticsearch at ${url} answered HTTP ${response.status} for its modules`);
  const { nodes } = (await response.json()) as { nodes: Record<string, { modules?: Array<{ name: string }>; plugins?: Array<{ name: string }> }> };
  const names = new Set(Object.values(nodes).flatMap((n) => [...(n.modules ?? []), ...(n.plugins ?? [])]).map((m) => m.name));
  // Whatever a failed test left behind; the node outlives the run, as OpenSearch does.
  harness().atEnd(() => deleteIndicesWithPrefix(url, harness().config.search.indexPrefix));
  return { url, languageAnalysis: names.has('analysis-common'), scripts: names.has('lang-painless') };
}

/** The node, started on first use and shared by the run. */
export function elasticsearchNode(): Promise<ElasticsearchNode> {
  node ??= connect();
  return node;
}

/** The definition with every analyser standard and no custom analysis, mappings otherwise as they are. */
export function withStandardAnalysis(definition: IndexDefinition): IndexDefinition {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, key === 'analyzer' ? 'standard' : visit(inner)]));
  };
  const { analysis: _analysis, ...settings } = definition.settings as Record<string, unknown>;
  return { settings, mappings: visit(definition.mappings) as Record<string, unknown> };
}

/** The Elasticsearch adapter, creating indices as the node can take them. */
class AdaptedElasticsearchBackend extends ElasticsearchBackend {
  constructor(url: string, private readonly standardAnalysis: boolean) {
    super(url);
  }

  override createIndex(index: string, definition: IndexDefinition): Promise<void> {
    return super.createIndex(index, this.standardAnalysis ? withStandardAnalysis(definition) : definition);
  }
}

export async function elasticsearchBackend(): Promise<SearchBackend> {
  const { url, languageAnalysis } = await elasticsearchNode();
  return new AdaptedElasticsearchBackend(url, !languageAnalysis);
}
