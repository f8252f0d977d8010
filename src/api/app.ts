/**
 * createApi(deps) builds the Koa app; only main() listens (DESIGN §10). Errors become JSON
 * with a stable code in exactly one place: the error middleware below.
 */
import Koa from 'koa';
import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { MeridianError, NotFoundError } from '../errors.js';
import type { Logger } from '../log.js';
import { pendingMigrations } from '../db/migrate.js';
import { searchStatus } from '../local/opensearch.js';
import { slotLag, slotNameFor } from '../db/slot.js';

export interface ApiDeps {
  config: Config;
  db: Knex;
  log: Logger;
}

export function createApi(deps: ApiDeps): Koa {
  const app = new Koa();
  const router = new Router();

  app.use(async (ctx, next) => {
    const requestId = ctx.get('x-request-id') || randomUUID();
    ctx.set('x-request-id', requestId);
    const started = performance.now();
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError(`No route for ${ctx.method} ${ctx.path}`, 'route_not_found');
    } catch (error) {
      const known = error instanceof MeridianError;
      const status = known ? error.status : 500;
      ctx.status = status;
      ctx.body = {
        error: {
          code: known ? error.code : 'internal_error',
          message: known && error.expose ? error.message : 'Something went wrong on our side; the request id helps us find it.',
          requestId,
        },
      };
      if (status >= 500) deps.log.error('api: request failed', { requestId, path: ctx.path, error: (error as Error).message });
    } finally {
      deps.log.debug('api: request', { requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) });
    }
  });

  router.get('/health', async (ctx) => {
    const [database, search, slot] = await Promise.all([
      deps.db.raw('SELECT 1').then(() => pendingMigrations(deps.db)).then(
        (pending) => ({ ok: pending.length === 0, pendingMigrations: pending }),
        (error: Error) => ({ ok: false, error: error.message }),
      ),
      searchStatus(deps.config).then((s) => ({ ok: s.reachable && s.status !== 'red', status: s.status, version: s.version, error: s.error })),
      // A lost slot means changes stopped reaching the indices; a missing one only that no
      // indexer has started yet.
      slotLag(deps.db, slotNameFor(deps.config.database.url)).then((lag) => ({ ok: lag.walStatus !== 'lost', ...lag }), (error: Error) => ({ ok: false, error: error.message })),
    ]);
    const ok = database.ok && search.ok && slot.ok;
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ok' : 'degraded', postgres: database, search, replication: slot };
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
