/**
 * `services up|down|status`: starts what is missing, reuses what is running, and leaves
 * servers named by DATABASE_URL / SEARCH_URL alone (they are someone else's to run).
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { postgresStatus, startPostgres, stopPostgres, type PostgresStatus } from './postgres.js';
import { searchStatus, startOpenSearch, stopOpenSearch, type SearchStatus } from './opensearch.js';
import { stopElasticsearch } from './elasticsearch.js';
import { ServiceError } from '../errors.js';

export interface ServicesStatus {
  postgres: PostgresStatus;
  search: SearchStatus;
}

export async function servicesStatus(config: Config): Promise<ServicesStatus> {
  const [postgres, search] = await Promise.all([postgresStatus(config), searchStatus(config)]);
  return { postgres, search };
}

export async function servicesUp(config: Config, log: Logger): Promise<ServicesStatus> {
  // Both start in parallel: OpenSearch's JVM start dominates, Postgres is ready long before.
  await Promise.all([
    config.database.embedded ? startPostgres(config, log) : Promise.resolve(),
    config.search.embedded ? startOpenSearch(config, log) : Promise.resolve(),
  ]);
  const status = await servicesStatus(config);
  if (!status.postgres.reachable) {
    throw new ServiceError('postgres_unreachable', `Postgres at ${status.postgres.url} is not reachable: ${status.postgres.error}`);
  }
  if (status.postgres.walLevel !== 'logical') {
    log.warn('postgres: wal_level is not logical; the CDC indexer will not be able to stream', { walLevel: status.postgres.walLevel });
  }
  if (!status.search.reachable) {
    throw new ServiceError('search_unreachable', `The search engine at ${status.search.url} is not reachable: ${status.search.error}`);
  }
  return status;
}

export async function servicesDown(config: Config, log: Logger): Promise<{ postgres: boolean; search: boolean; elasticsearch: boolean }> {
  const search = config.search.embedded ? await stopOpenSearch(config, log) : false;
  // The contract tests' Elasticsearch node, when they started one (src/local/elasticsearch.ts).
  const elasticsearch = await stopElasticsearch(config, log);
  const postgres = config.database.embedded ? await stopPostgres(config, log) : false;
  return { postgres, search, elasticsearch };
}
