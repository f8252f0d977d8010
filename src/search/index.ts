/** Chooses the search adapter from configuration. */
import type { Config } from '../config.js';
import type { SearchBackend } from './backend.js';
import { OpenSearchBackend } from './opensearch.js';

export async function createSearchBackend(config: Config): Promise<SearchBackend> {
  if (config.search.engine === 'elasticsearch') {
    const { ElasticsearchBackend } = await import('./elasticsearch.js');
    return new ElasticsearchBackend(config.search.url);
  }
  return new OpenSearchBackend(config.search.url);
}
