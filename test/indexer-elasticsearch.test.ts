/**
 * The CDC indexer writing to Elasticsearch (test/elasticsearch-node.ts): backfill, the stream
 * of root and child changes, the dead-letter path and reconciliation, through the
 * Elasticsearch adapter on a real node. The full set of stream guarantees is tested on
 * OpenSearch (indexer.test.ts); this checks that nothing in the pipeline assumes OpenSearch.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { harness } from './harness.js';
import { eventually } from './helpers.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { aliasName, type DocumentType } from '../src/search/indices.js';
import type { SearchBackend } from '../src/search/backend.js';
import { SEARCHABLE_CANDIDATE } from '../src/db/documents.js';
import { createIndexer, slotNameFor, type Indexer } from '../indexers/stream.js';
import { listDeadLetters } from '../indexers/dead-letters.js';
import { reconcile } from '../indexers/reconcile.js';
import type { IndexerDeps } from '../indexers/backfill.js';
import { elasticsearchBackend, elasticsearchNode } from './elasticsearch-node.js';


describe('CDC indexer on Elasticsearch', function () {
  this.timeout(300_000);
  let db: Knex;
  let search: SearchBackend;
  let indexer: Indexer;
  let deps: IndexerDeps;
  let prefix: string;

  const alias = (type: DocumentType) => aliasName(prefix, type);
  const get = (type: DocumentType, id: string) => search.getDocument(alias(type), id);
  const searchableIds = async (offset: number, limit: number): Promise<string[]> => (await db.raw<{ rows: Array<{ id: string }> }>(`
    SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id
    WHERE ${SEARCHABLE_CANDIDATE} AND (SELECT count(*) FROM candidate_skills s WHERE s.candidate_id = c.id) >= 3
    ORDER BY c.id OFFSET ? LIMIT ?`, [offset, limit])).rows.map((r) => r.id);

  before(async () => {
    const url = await harness().createDatabase('cdc_es');
    db = createDb(harness().config, harness().log, { url });
    await migrateLatest(db);
    await loadDemo(url, { seed: 17, candidates: 200, asOf: new Date('2026-11-01T00:00:00Z') });
    search = await elasticsearchBackend();
    prefix = `${harness().config.search.indexPrefix}cdc_es_`;
    deps = { db, search, log: harness().log, prefix };
    indexer = createIndexer(deps, { databaseUrl: url, slotName: slotNameFor(url), windowMs: 50, refresh: true });
    await indexer.start();
    await indexer.buildsSettled();
  });

  after(async () => {
    await indexer?.stop();
    await search?.close();
    await db?.destroy();
  });

  it('backfills both indices on first start, as many documents as Postgres has', async () => {
    await search.refresh(alias('candidates'));
    await search.refresh(alias('opportunities'));
    const { rows: [searchable] } = await db.raw<{ rows: Array<{ n: number }> }>(`SELECT count(*)::int AS n FROM candidates c JOIN users u ON u.id = c.user_id WHERE ${SEARCHABLE_CANDIDATE}`);
    const { rows: [opportunities] } = await db.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM opportunities');
    expect(searchable!.n).to.be.greaterThan(50);
    expect(await search.count(alias('candidates'))).to.equal(searchable!.n);
    expect(await search.count(alias('opportunities'))).to.equal(opportunities!.n);
  });

  it('streams an insert, an update and a delete, each at a higher version', async () => {
    const org = await db('organizations').first('id');
    const [row] = await db('opportunities').insert({ type: 'INTERNSHIP', title: 'Elastic probe intern', description: 'Logistics internship in Bamako', organization_id: org.id, status: 'active', published_at: new Date() }).returning('id');
    const id = row.id as string;
    const inserted = await eventually(() => get('opportunities', id), (d) => d?.source.title === 'Elastic probe intern', 'the insert');
    await db('opportunities').where({ id }).update({ title: 'Elastic probe intern (renamed)' });
    const updated = await eventually(() => get('opportunities', id), (d) => d?.source.title === 'Elastic probe intern (renamed)', 'the update');
    expect(updated!.version, 'the commit LSN of the update, above the insert').to.be.greaterThan(inserted!.version);
    await db('opportunities').where({ id }).delete();
    await eventually(() => get('opportunities', id), (d) => d === undefined, 'the delete');
  });

  it('rebuilds both parents when a child row moves from one to another', async () => {
    const [a, b] = await searchableIds(0, 2);
    const child = await db('candidate_skills as cs').join('skills as s', 's.id', 'cs.skill_id').where('cs.candidate_id', a)
      .whereNotIn('cs.skill_id', db('candidate_skills').where({ candidate_id: b }).select('skill_id')).first('cs.id', 's.slug');
    expect(child, 'a skill of A that B lacks').to.not.equal(undefined);
    await db('candidate_skills').where({ id: child.id }).update({ candidate_id: b });
    await eventually(async () => [await get('candidates', a!), await get('candidates', b!)] as const,
      ([da, dbb]) => !(da?.source.skill_slugs as string[]).includes(child.slug) && (dbb?.source.skill_slugs as string[]).includes(child.slug), 'both parents rebuilt');
  });

  it('dead-letters a document Elasticsearch rejects and goes on streaming', async () => {
    const [rejected, fine] = await searchableIds(2, 2);
    // A date Postgres accepts and the engine cannot parse (no four-digit year): a bad row.
    await db('candidates').where({ id: rejected }).update({ headline: 'Rejected by Elasticsearch', last_active_at: '10000-01-01T00:00:00Z' });
    await db('candidates').where({ id: fine }).update({ headline: 'Streamed after the rejection' });
    await eventually(() => get('candidates', fine!), (d) => d?.source.headline === 'Streamed after the rejection', 'the stream to go on');
    const letters = await eventually(() => listDeadLetters(deps), (l) => l.some((d) => d.root_id === rejected), 'the dead letter');
    expect(letters.find((d) => d.root_id === rejected)).to.include({ status_code: 400 });
    expect((await get('candidates', rejected!))?.source.headline).to.not.equal('Rejected by Elasticsearch');
  });

  it('reconciles Postgres and the index to no drift', async () => {
    // The row the previous test made bad, fixed: it streams in.
    const [fixed] = await db('candidates').where({ last_active_at: '10000-01-01T00:00:00Z' }).update({ last_active_at: db.fn.now() }).returning('id');
    if (fixed) await eventually(() => get('candidates', fixed.id), (d) => d?.source.headline === 'Rejected by Elasticsearch', 'the fixed row');
    const [missing] = await searchableIds(4, 1);
    const [index] = await search.aliasTargets(alias('candidates'));
    const { url } = await elasticsearchNode();
    expect((await fetch(new URL(`/${index}/_doc/${missing}?refresh=true`, url), { method: 'DELETE' })).status).to.equal(200);
    expect(await reconcile(deps, 'candidates')).to.include({ missing: 1, extra: 0, stale: 0, repaired: 1 });
    await search.refresh(index!);
    expect((await get('candidates', missing!))?.source.id).to.equal(missing);
    expect(await reconcile(deps, 'candidates')).to.include({ missing: 0, extra: 0, stale: 0 });
    expect(await reconcile(deps, 'opportunities')).to.include({ missing: 0, extra: 0, stale: 0 });
  });
});
