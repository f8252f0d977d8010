/** `meridian indexer`: the CDC indexer as a process, closed in reverse order on shutdown. */
import type { Config } from '../src/config.js';
import type { Logger } from '../src/log.js';
import { createDb } from '../src/db/knex.js';
import { assertMigrated } from '../src/db/migrate.js';
import { createSearchBackend } from '../src/search/index.js';
import { createIndexer, slotNameFor } from './stream.js';
import { loadActiveEncoder } from '../src/matching/model-store.js';

export interface RunningIndexer {
  indexer: ReturnType<typeof createIndexer>;
  close(): Promise<void>;
}

export async function runIndexer(config: Config, log: Logger, options: { windowMs?: number } = {}): Promise<RunningIndexer> {
  const db = createDb(config, log);
  await assertMigrated(db).catch(async (error) => {
    await db.destroy();
    throw error;
  });
  const search = await createSearchBackend(config);
  // The active encoder, loaded once; without one, documents are indexed without vectors.
  const encoder = await loadActiveEncoder(db);
  if (encoder) log.info('indexer: embedding with encoder', { version: encoder.version });
  const indexer = createIndexer({ db, search, log, prefix: config.search.indexPrefix, encoder }, { databaseUrl: config.database.url, slotName: slotNameFor(config.database.url), windowMs: options.windowMs, refreshGapMs: config.indexer.refreshGapMs });
  await indexer.start();
  log.info('indexer: streaming', { slot: slotNameFor(config.database.url) });
  return {
    indexer,
    async close() {
      await indexer.stop();
      await search.close();
      await db.destroy();
    },
  };
}
