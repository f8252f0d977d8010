/**
 * createApi(deps) builds the Koa app; only main() listens (DESIGN §10). Errors become JSON
 * with a stable code in exactly one place: the error middleware below. Every /v1 route but
 * the OpenAPI document needs a bearer token and is rate-limited per token.
 */
import Koa from 'koa';
import path from 'node:path';
import Router, { type RouterMiddleware } from '@koa/router';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { MeridianError, NotFoundError, ServiceError } from '../errors.js';
import type { Logger } from '../log.js';
import { pendingMigrations } from '../db/migrate.js';
import { searchStatus } from '../local/opensearch.js';
import { slotLag, slotNameFor } from '../db/slot.js';
import { COUNTER_COLUMNS, readIndexerStats, type IndexerCounters } from '../db/indexer-stats.js';
import { AuthError, verifyToken, type TokenClaims } from './tokens.js';
import { createRateLimiter, RateLimitedError } from './rate-limit.js';
import { createMetrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import type { SearchBackend } from '../search/backend.js';
import type { SearchServices } from './searches.js';
import { createTaxonomyCache } from './taxonomy-cache.js';
import { createSearchLog } from './search-log.js';
import { createViewers } from './viewers.js';
import { searchRoutes } from './routes/search.js';
import { storedSearchRoutes } from './routes/stored-searches.js';
import { reportRoutes } from './routes/reports.js';
import { dashboardRoutes } from './dashboards.js';
import { matchingRoutes } from './routes/matching.js';
import type { Encoder } from '../matching/encoder.js';
import type { RankerModel } from '../matching/model-store.js';

export interface ApiDeps {
  config: Config;
  db: Knex;
  search: SearchBackend;
  log: Logger;
  authSecret: string;
  /** The clock searches use for "open" and "not past its deadline" (tests pin it). */
  now?: () => Date;
  /** Where the built dashboard is served from (built by runApi; see dashboards.ts). */
  dashboardsDir?: string;
  /** The active text encoder (loaded once by runApi); without one, matching uses text only. */
  encoder?: Encoder;
  /** The active learned ranker (loaded once by runApi); without one, the hand-set weights. */
  ranker?: RankerModel;
  /**
   * How far the search index may trail Postgres when a stored recommendation set is checked
   * (default INDEX_LAG_MARGIN_MS); 0 where the index is written synchronously (tests).
   */
  indexLagMarginMs?: number;
}

/** What the app holds beyond Koa: pending search-log rows to write before shutdown. */
export interface MeridianApp extends Koa<ApiState> {
  flush(): Promise<void>;
  /** Every route as `METHOD /path/{param}` (the form OpenAPI uses), for checking the document. */
  routes(): string[];
}

export interface ApiState {
  requestId: string;
  auth?: TokenClaims;
}

export function createApi(deps: ApiDeps): MeridianApp {
  const app = new Koa<ApiState>() as MeridianApp;
  const router = new Router<ApiState>();
  const v1 = new Router<ApiState>({ prefix: '/v1' });
  const metrics = createMetrics();
  const limiter = createRateLimiter(deps.config.api.rateLimitPerMinute);

  app.use(async (ctx, next) => {
    // A caller's own id is kept when it looks like one (it goes into every log line).
    const given = ctx.get('x-request-id');
    const requestId = /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('x-request-id', requestId);
    const started = performance.now();
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError(`No route for ${ctx.method} ${ctx.path}`, 'route_not_found');
      // The routers' allowedMethods() answer these with a bare status (and the Allow header).
      if (ctx.status === 405 && ctx.body === undefined) {
        throw new MeridianError('method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}; it allows ${ctx.response.get('Allow') || 'no method'}`, { status: 405 });
      }
      if (ctx.status === 501 && ctx.body === undefined) throw new MeridianError('method_not_implemented', `This API does not implement ${ctx.method}`, { status: 501, expose: true });
    } catch (error) {
      const known = error instanceof MeridianError;
      const status = known ? error.status : 500;
      ctx.status = status;
      if (error instanceof RateLimitedError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      // RFC 6750 §3: a request without credentials gets the challenge alone; a token that is
      // malformed, forged or expired is `invalid_token` (clients renew on it, and only on it).
      if (error instanceof AuthError) ctx.set('WWW-Authenticate', error.code === 'unauthenticated' ? 'Bearer realm="meridian"' : `Bearer realm="meridian", error="invalid_token", error_description="${error.message.replace(/["\\]/g, '')}"`);
      ctx.body = {
        error: {
          code: known ? error.code : 'internal_error',
          message: known && error.expose ? error.message
            : error instanceof ServiceError ? error.publicMessage
              : 'Something went wrong on our side; the request id helps us find it.',
          ...(known && error.expose && error.details ? { details: error.details } : {}),
          requestId,
        },
      };
      if (status >= 500) deps.log.error('api: request failed', { requestId, path: ctx.path, error: (error as Error).message });
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      metrics.observe(ctx.method, route, ctx.status, seconds);
      deps.log.info('api: request', { requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(seconds * 1000), user: ctx.state.auth?.sub });
    }
  });

  // /health answers anyone: a failing check says which and that it failed, while the driver's
  // text (hosts, ports, SQL, database names) goes to the log with the request id.
  const failed = (ctx: { state: ApiState }, check: string, detail: string | undefined) => {
    deps.log.warn('api: health check failed', { requestId: ctx.state.requestId, check, error: detail });
    return `${check} unreachable or failing; see the API's log`;
  };
  router.get('/health', async (ctx) => {
    const [database, search, slot] = await Promise.all([
      deps.db.raw('SELECT 1').then(() => pendingMigrations(deps.db)).then(
        (pending) => ({ ok: pending.length === 0, pendingMigrations: pending }),
        (error: Error) => ({ ok: false, error: failed(ctx, 'postgres', error.message) }),
      ),
      searchStatus(deps.config).then((s) => ({ ok: s.reachable && s.status !== 'red', status: s.status, version: s.version, ...(s.reachable ? {} : { error: failed(ctx, 'search', s.error) }) })),
      // A lost slot means changes stopped reaching the indices; a missing one only that no
      // indexer has started yet.
      slotLag(deps.db, slotNameFor(deps.config.database.url)).then((lag) => ({ ok: lag.walStatus !== 'lost', ...lag }), (error: Error) => ({ ok: false, error: failed(ctx, 'replication', error.message) })),
    ]);
    const ok = database.ok && search.ok && slot.ok;
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ok' : 'degraded', postgres: database, search, replication: slot };
  });

  router.get('/metrics', async (ctx) => {
    const slot = slotNameFor(deps.config.database.url);
    const [lag, stats] = await Promise.all([
      slotLag(deps.db, slot).catch(() => undefined),
      // The indexer's counters as it last saved them (src/db/indexer-stats.ts); they restart at zero
      // with the indexer, which Prometheus counters allow.
      readIndexerStats(deps.db, slot).catch(() => null),
    ]);
    ctx.type = 'text/plain; version=0.0.4';
    ctx.body = metrics.render([
      { name: 'meridian_replication_slot_lag_bytes', help: 'WAL bytes the search indices trail Postgres by.', value: lag?.lagBytes ?? null, labels: { slot: lag?.slot ?? '' } },
      { name: 'meridian_replication_slot_lag_seconds', help: 'Seconds the newest flushed WAL has waited for the indexer to acknowledge it (absent while no indexer is attached).', value: lag?.lagSeconds ?? null, labels: { slot: lag?.slot ?? '' } },
      { name: 'meridian_replication_slot_active', help: 'Whether an indexer is attached to the slot.', value: lag?.exists ? (lag.active ? 1 : 0) : null, labels: { slot: lag?.slot ?? '' } },
      ...(Object.entries(COUNTER_COLUMNS) as Array<[keyof IndexerCounters, string]>).map(([counter, outcome]) => ({
        name: 'meridian_indexer_documents_total', type: 'counter' as const,
        help: 'Documents the indexer handled since it started, by outcome (unchanged and covered: not written, the index held them already).',
        value: stats ? stats.written[counter] : null, labels: { slot, outcome },
      })),
    ]);
  });

  v1.get('/openapi.json', (ctx) => {
    ctx.body = openApiDocument();
  });

  // Authentication and rate limits, attached to each route (so metrics and logs name the
  // route even for the requests it refuses).
  const authenticate: RouterMiddleware<ApiState> = async (ctx, next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AuthError('unauthenticated', 'This endpoint needs a bearer token (Authorization: Bearer …)');
    ctx.state.auth = verifyToken(match[1]!, deps.authSecret);
    limiter.take(ctx.state.auth.sub);
    await next();
  };

  const services: SearchServices = {
    db: deps.db, search: deps.search, indexPrefix: deps.config.search.indexPrefix,
    taxonomy: createTaxonomyCache(deps.db, deps.log), searchLog: createSearchLog(deps.db, deps.log), now: deps.now ?? (() => new Date()),
  };
  const viewers = createViewers(deps.db);
  const routeDeps = { services, viewers, authenticate };
  searchRoutes(v1, routeDeps);
  storedSearchRoutes(v1, routeDeps);
  reportRoutes(v1, { db: deps.db, authenticate, now: services.now });
  matchingRoutes(v1, { db: deps.db, search: deps.search, indexPrefix: services.indexPrefix, encoder: deps.encoder, ranker: deps.ranker, taxonomy: services.taxonomy, viewers, authenticate, now: services.now, counters: metrics, indexLagMarginMs: deps.indexLagMarginMs, log: deps.log });
  app.flush = () => services.searchLog.flush();
  app.routes = () => [...router.stack, ...v1.stack]
    .flatMap((layer) => layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`))
    .sort();

  v1.get('/me', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    const user = await deps.db('users').where({ id: auth.sub }).whereNull('erased_at').first('id', 'first_name', 'last_name', 'preferred_language', 'user_type', 'status');
    if (!user) throw new NotFoundError('The token\'s user does not exist (any more)', 'user_not_found');
    const organization = auth.org ? await deps.db('organizations').where({ id: auth.org }).first('id', 'name', 'type') : undefined;
    ctx.body = { user, organization: organization ?? null, roles: auth.roles, tokenExpiresAt: new Date(auth.exp * 1000).toISOString() };
  });

  dashboardRoutes(router, deps.dashboardsDir ?? path.join(deps.config.home, 'dashboards'));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(v1.routes());
  app.use(v1.allowedMethods());
  return app;
}
