/**
 * The only reader of process.env. Every variable is named, described and validated here, once,
 * at start-up; the rest of the code receives a typed, frozen Config.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type SearchEngine = 'opensearch' | 'elasticsearch';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  /** Directory for local service binaries, data and logs. */
  home: string;
  database: {
    /** Connection string; equals the embedded server's URL unless DATABASE_URL is set. */
    url: string;
    /** True when DATABASE_URL was not given and the project runs its own Postgres. */
    embedded: boolean;
    port: number;
    poolMax: number;
  };
  search: {
    url: string;
    engine: SearchEngine;
    embedded: boolean;
    port: number;
    transportPort: number;
    heapMb: number;
    indexPrefix: string;
  };
  /**
   * Elasticsearch, for the tests of the Elasticsearch adapter only (the platform runs on
   * `search`): a cluster of someone else's when ELASTICSEARCH_URL is set, otherwise a local
   * node the tests start (src/local/elasticsearch.ts).
   */
  elasticsearch: {
    url: string | undefined;
    port: number;
    transportPort: number;
    heapMb: number;
  };
  /** Unprivileged account the local services run as when Meridian runs as root. */
  serviceUser: string;
  javaHome: string | undefined;
  api: {
    host: string;
    port: number;
    /** HMAC secret for bearer tokens; when unset a per-installation secret is kept in `home`. */
    authSecret: string | undefined;
    rateLimitPerMinute: number;
  };
  indexer: {
    /** At most one refresh per index in this many ms, right after the stream writes to it; 0: none. */
    refreshGapMs: number;
  };
  logLevel: LogLevel;
}

interface VariableSpec {
  name: string;
  description: string;
  default?: string;
}

/** Every environment variable Meridian reads, with what it means. `meridian config` prints this. */
export const ENVIRONMENT: readonly VariableSpec[] = [
  { name: 'MERIDIAN_HOME', description: 'Directory for local service binaries, data and logs', default: '<repo>/.meridian' },
  { name: 'DATABASE_URL', description: 'Postgres connection string; when unset the embedded Postgres is used', default: 'postgres://meridian:meridian@127.0.0.1:$PG_PORT/meridian' },
  { name: 'PG_PORT', description: 'Port of the embedded Postgres', default: '54329' },
  { name: 'PG_POOL_MAX', description: 'Largest number of pooled Postgres connections per process', default: '10' },
  { name: 'SEARCH_URL', description: 'Search engine URL; when unset the local OpenSearch node is used', default: 'http://127.0.0.1:$OPENSEARCH_PORT' },
  { name: 'SEARCH_ENGINE', description: 'opensearch or elasticsearch', default: 'opensearch' },
  { name: 'OPENSEARCH_PORT', description: 'HTTP port of the local OpenSearch node', default: '9250' },
  { name: 'OPENSEARCH_TRANSPORT_PORT', description: 'Transport port of the local OpenSearch node', default: '9350' },
  { name: 'OPENSEARCH_HEAP_MB', description: 'Java heap of the local OpenSearch node, in MiB', default: '1536' },
  { name: 'ELASTICSEARCH_URL', description: 'An Elasticsearch 8 cluster for the tests of the Elasticsearch adapter; when unset they start a local node', default: 'http://127.0.0.1:$ELASTICSEARCH_PORT' },
  { name: 'ELASTICSEARCH_PORT', description: 'HTTP port of the local Elasticsearch node the tests start', default: '9240' },
  { name: 'ELASTICSEARCH_TRANSPORT_PORT', description: 'Transport port of the local Elasticsearch node', default: '9340' },
  { name: 'ELASTICSEARCH_HEAP_MB', description: 'Java heap of the local Elasticsearch node, in MiB', default: '512' },
  { name: 'INDEX_PREFIX', description: 'Prefix for index and alias names (tests use one per run)', default: '' },
  { name: 'MERIDIAN_SERVICE_USER', description: 'Account that runs the local services when Meridian runs as root', default: 'nobody' },
  { name: 'JAVA_HOME', description: 'Java 17+ used to run the local OpenSearch node (and the tests\' Elasticsearch node)', default: 'the java on PATH' },
  { name: 'API_HOST', description: 'Interface the API listens on', default: '127.0.0.1' },
  { name: 'API_PORT', description: 'Port the API listens on', default: '8080' },
  { name: 'AUTH_SECRET', description: 'Secret that signs bearer tokens (at least 32 characters)', default: 'a random secret kept in $MERIDIAN_HOME/auth-secret' },
  { name: 'RATE_LIMIT_PER_MINUTE', description: 'Requests per minute allowed to one token', default: '600' },
  { name: 'INDEXER_REFRESH_GAP_MS', description: 'The indexer refreshes an index right after writing to it, at most once in this many ms (0: only the engine\'s scheduled refresh, every 500 ms)', default: '250' },
  { name: 'LOG_LEVEL', description: 'debug, info, warn or error', default: 'info' },
];

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const port = (name: string, fallback: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      problems.push(`${name} must be a port number between 1 and 65535, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const home = path.resolve(text('MERIDIAN_HOME') ?? path.join(PROJECT_ROOT, '.meridian'));
  const pgPort = port('PG_PORT', 54329);
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const osPort = port('OPENSEARCH_PORT', 9250);
  const searchUrl = url('SEARCH_URL', ['http:', 'https:']);
  const indexPrefix = text('INDEX_PREFIX') ?? '';
  if (!/^[a-z0-9_-]*$/.test(indexPrefix)) {
    problems.push(`INDEX_PREFIX may hold only lowercase letters, digits, "_" and "-", got "${indexPrefix}"`);
  }
  const serviceUser = text('MERIDIAN_SERVICE_USER') ?? 'nobody';
  if (!/^[a-z_][a-z0-9_-]*$/.test(serviceUser)) problems.push(`MERIDIAN_SERVICE_USER is not a valid account name: "${serviceUser}"`);

  const config: Config = {
    home,
    database: {
      url: databaseUrl ?? `postgres://meridian:meridian@127.0.0.1:${pgPort}/meridian`,
      embedded: databaseUrl === undefined,
      port: pgPort,
      poolMax: integer('PG_POOL_MAX', 10, 1, 200),
    },
    search: {
      url: searchUrl ?? `http://127.0.0.1:${osPort}`,
      engine: oneOf('SEARCH_ENGINE', ['opensearch', 'elasticsearch'] as const, 'opensearch'),
      embedded: searchUrl === undefined,
      port: osPort,
      transportPort: port('OPENSEARCH_TRANSPORT_PORT', 9350),
      heapMb: integer('OPENSEARCH_HEAP_MB', 1536, 256, 16384),
      indexPrefix,
    },
    elasticsearch: {
      url: url('ELASTICSEARCH_URL', ['http:', 'https:']),
      port: port('ELASTICSEARCH_PORT', 9240),
      transportPort: port('ELASTICSEARCH_TRANSPORT_PORT', 9340),
      heapMb: integer('ELASTICSEARCH_HEAP_MB', 512, 256, 16384),
    },
    serviceUser,
    javaHome: text('JAVA_HOME'),
    api: {
      host: text('API_HOST') ?? '127.0.0.1',
      port: port('API_PORT', 8080),
      authSecret: text('AUTH_SECRET'),
      rateLimitPerMinute: integer('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    },
    indexer: { refreshGapMs: integer('INDEXER_REFRESH_GAP_MS', 250, 0, 60_000) },
    logLevel: oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  };
  if (config.api.authSecret !== undefined && config.api.authSecret.length < 32) {
    problems.push('AUTH_SECRET must be at least 32 characters');
  }
  if (config.search.embedded && config.search.engine !== 'opensearch') {
    problems.push('SEARCH_ENGINE=elasticsearch needs SEARCH_URL: the project runs only a local OpenSearch');
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid environment:\n  - ${problems.join('\n  - ')}`, { problems });
  }
  return Object.freeze(config);
}
