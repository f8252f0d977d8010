/** `meridian api`: listen, and close in reverse order on shutdown (stop intake, then pools). */
import type { Server } from 'node:http';
import type { Config } from '../config.js';
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
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.api.port, config.api.host, () => resolve(s));
    s.once('error', reject);
  });
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
