/** `meridian api`: listen, and close in reverse order on shutdown (stop intake, then pools). */
import type { Server } from 'node:http';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import { createDb } from '../db/knex.js';
import path from 'node:path';
import { createApi } from './app.js';
import { buildDashboards } from './dashboards.js';
import { loadActiveEncoder, loadActiveRanker } from '../matching/model-store.js';
import { createSearchBackend } from '../search/index.js';
import { resolveAuthSecret } from './secret.js';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export async function runApi(config: Config, log: Logger): Promise<RunningApi> {
  await buildDashboards(path.join(config.home, 'dashboards'), log);
  const db = createDb(config, log);
  const search = await createSearchBackend(config);
  const encoder = await loadActiveEncoder(db);
  const ranker = await loadActiveRanker(db);
  const app = createApi({ config, db, search, log, authSecret: await resolveAuthSecret(config), encoder, ranker });
  let server: Server;
  try {
    server = await new Promise((resolve, reject) => {
      const s = app.listen(config.api.port, config.api.host, () => resolve(s));
      s.once('error', reject);
    });
  } catch (error) {
    // Close what was opened, or the process lingers on its pools after the failure.
    await search.close().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'EADDRINUSE'
      ? `Port ${config.api.port} on ${config.api.host} is taken by another process; stop it or set API_PORT`
      : `The API cannot listen on ${config.api.host}:${config.api.port}: ${(error as Error).message}`, { host: config.api.host, port: config.api.port });
  }
  const url = `http://${config.api.host}:${config.api.port}`;
  log.info('api: listening', { url });
  return {
    url,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.flush();
      await search.close();
      await db.destroy();
    },
  };
}
