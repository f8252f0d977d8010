/**
 * A demo world of its own for the ranker and recommendation-pipeline tests, which rewrite the
 * recommendation lifecycle and activate rankers: its own database (demo data as of
 * WORLD_AS_OF) and index prefix, both indices backfilled, no encoder. Built once per run.
 */
import type { Knex } from 'knex';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { harness } from './harness.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { aliasName } from '../src/search/indices.js';
import { reindex } from '../indexers/backfill.js';
import type { JobDeps } from '../pipelines/runner.js';

export const WORLD_AS_OF = new Date('2026-11-01T00:00:00Z');

export interface RecommendationWorld {
  db: Knex;
  search: OpenSearchBackend;
  prefix: string;
  url: string;
  modelsDir: string;
  /** Pipeline dependencies with the clock at `now`. */
  jobDeps(now: Date): JobDeps;
}

let world: Promise<RecommendationWorld> | undefined;

async function build(): Promise<RecommendationWorld> {
  const url = await harness().createDatabase('recs');
  const db = createDb(harness().config, harness().log, { url });
  await migrateLatest(db);
  await loadDemo(url, { seed: 9, candidates: 800, asOf: WORLD_AS_OF });
  const search = new OpenSearchBackend(harness().config.search.url);
  const prefix = `${harness().config.search.indexPrefix}recs_`;
  const deps = { db, search, log: harness().log, prefix };
  await reindex(deps, 'candidates');
  await reindex(deps, 'opportunities');
  await search.refresh(aliasName(prefix, 'candidates'));
  await search.refresh(aliasName(prefix, 'opportunities'));
  const modelsDir = await mkdtemp(path.join(tmpdir(), 'meridian-ranker-'));
  harness().atEnd(async () => {
    await search.close();
    await db.destroy();
    await rm(modelsDir, { recursive: true, force: true });
  });
  return {
    db, search, prefix, url, modelsDir,
    jobDeps: (now) => ({ db, log: harness().log, now: () => now, search, indexPrefix: prefix, modelsDir }),
  };
}

export function recommendationWorld(): Promise<RecommendationWorld> {
  world ??= build();
  return world;
}

/** Beneficiaries who may be matched (a standing matching consent), in id order. */
export async function matchableCandidates(db: Knex, limit: number): Promise<Array<{ id: string; user_id: string; category: string | null }>> {
  const { rows } = await db.raw(`
    SELECT c.id, c.user_id, c.category FROM candidates c JOIN users u ON u.id = c.user_id
    WHERE c.deleted_at IS NULL AND u.erased_at IS NULL AND EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'matching' AND cr.granted AND cr.revoked_at IS NULL)
    ORDER BY c.id LIMIT ?`, [limit]);
  return rows;
}
