/**
 * The text encoder: hashed features that survive typos, training that beats the untrained
 * table on held-out O*NET pairs (real data, read from ../shared/data/onet), and models saved
 * with a checksum, recorded in ml_model_versions, loaded back identical, and refused when
 * their weights were altered.
 */
import { expect } from 'chai';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { harness } from './harness.js';
import { textFeatures } from '../src/domain/text-features.js';
import { cosine, type EncoderConfig } from '../src/matching/encoder.js';
import { onetPairs } from '../src/matching/pairs.js';
import { trainEncoder, type TrainResult } from '../src/matching/train-encoder.js';
import { ENCODER_MODEL, loadActiveEncoder, saveEncoder } from '../src/matching/model-store.js';
import { PROJECT_ROOT } from '../src/config.js';

const ONET = path.resolve(PROJECT_ROOT, '../shared/data/onet');
const SMALL: EncoderConfig = { buckets: 1 << 13, dimension: 48, maxFeatures: 64 };

describe('text encoder', function () {
  this.timeout(300_000);
  let trained: TrainResult;

  it('hashes words, bigrams and trigrams the same way every time, so typos share features', () => {
    const options = { buckets: 1 << 16, maxFeatures: 96 };
    expect(textFeatures('Forklift Operator', options)).to.deep.equal(textFeatures('forklift  operator', options));
    expect(textFeatures('Électricien', options)).to.deep.equal(textFeatures('electricien', options));
    const welder = new Set(textFeatures('welder', options));
    const typo = textFeatures('weldr', options);
    expect(typo.filter((id) => welder.has(id)).length).to.be.at.least(2);
    expect(Math.min(...textFeatures('anything at all', options))).to.be.at.least(1);
  });

  it('learns from O*NET pairs: held-out recall beats the untrained table', async () => {
    const pairs = (await onetPairs(ONET)).filter((p) => p.source === 'O*NET alternate title ↔ occupation');
    expect(pairs.length).to.be.greaterThan(50_000);
    trained = await trainEncoder(pairs, { config: SMALL, steps: 200, batchSize: 128, learningRate: 0.02, temperature: 0.05, seed: 3, heldOut: 500 });
    const { untrained, trained: after } = trained.metrics;
    expect(after.recall5, JSON.stringify(trained.metrics)).to.be.greaterThan(untrained.recall5 + 0.15);
    expect(after.recall1).to.be.greaterThan(untrained.recall1);
    const [nurse, rn, welder] = trained.encoder.embed(['Registered Nurse', 'RN staff nurse', 'Welder']);
    expect(cosine(nurse!, rn!)).to.be.greaterThan(cosine(nurse!, welder!));
  });

  it('saves a version with its checksum, loads it back identical, and refuses altered weights', async () => {
    const db = harness().db;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'meridian-models-'));
    const saved = await saveEncoder(db, dir, trained.encoder, { parameters: { steps: 200 }, trainingData: { pairs: 'O*NET alternate titles' }, metrics: trained.metrics, activate: true });
    const row = await db('ml_model_versions').where({ id: saved.id }).first();
    expect(row).to.include({ model_name: ENCODER_MODEL, status: 'active', checksum: saved.checksum });
    expect(row.metrics.trained.recall5).to.equal(trained.metrics.trained.recall5);
    const loaded = (await loadActiveEncoder(db))!;
    expect(loaded.version).to.equal(saved.version);
    const text = 'Heavy equipment mechanic';
    expect([...loaded.embedOne(text)]).to.deep.equal([...trained.encoder.embedOne(text)]);
    // A second version activated retires the first.
    const second = await saveEncoder(db, dir, trained.encoder, { parameters: {}, trainingData: {}, metrics: {}, activate: true });
    expect((await db('ml_model_versions').where({ id: saved.id }).first()).status).to.equal('retired');
    await writeFile(path.join(second.artifactPath, 'weights.f32'), Buffer.alloc(SMALL.buckets * SMALL.dimension * 4));
    let refused: Error | undefined;
    await loadActiveEncoder(db).catch((error: Error) => { refused = error; });
    expect(refused?.message).to.match(/do not match the checksum/);
  });
});

describe('vectors in the indices', function () {
  this.timeout(300_000);

  it('embeds documents with the active encoder, finds neighbours by k-NN, and rebuilds for a new encoder version', async () => {
    const { createDb } = await import('../src/db/knex.js');
    const { migrateLatest } = await import('../src/db/migrate.js');
    const { loadDemo } = await import('../src/db/seed/load.js');
    const { OpenSearchBackend } = await import('../src/search/opensearch.js');
    const { aliasName, EMBEDDING_DIMENSION } = await import('../src/search/indices.js');
    const { reindex, needsBuild } = await import('../indexers/backfill.js');
    const { Encoder } = await import('../src/matching/encoder.js');
    const { opportunityText } = await import('../src/matching/document-text.js');
    const url = await harness().createDatabase('vectors');
    const db = createDb(harness().config, harness().log, { url });
    const search = new OpenSearchBackend(harness().config.search.url);
    try {
      await migrateLatest(db);
      await loadDemo(url, { seed: 9, candidates: 200, asOf: new Date('2026-11-01T00:00:00Z') });
      const pairs = (await onetPairs(ONET)).filter((p) => p.source === 'O*NET alternate title ↔ occupation');
      const config = { buckets: 1 << 13, dimension: EMBEDDING_DIMENSION, maxFeatures: 64 };
      const { encoder: trainedEncoder } = await trainEncoder(pairs, { config, steps: 60, batchSize: 128, learningRate: 0.02, temperature: 0.05, seed: 5, heldOut: 200 });
      const v1 = new Encoder(config, trainedEncoder.weights, 'v1');
      const deps = { db, search, log: harness().log, prefix: `${harness().config.search.indexPrefix}vec_`, encoder: v1 };
      await reindex(deps, 'opportunities');
      const alias = aliasName(deps.prefix, 'opportunities');
      await search.refresh(alias);
      const some = await db('opportunities').orderBy('id').first('id');
      const doc = (await search.getDocument(alias, some.id))!;
      // Vectors are indexed but not kept in _source; the engine's exact similarity of the
      // stored vector to the document's own text embedding is 1.
      expect(doc.source).not.to.have.property('embedding');
      const vector = Array.from(v1.embedOne(opportunityText(doc.source)));
      expect(vector).to.have.length(EMBEDDING_DIMENSION);
      const similarity = await search.similarities(alias, [some.id], vector);
      expect(similarity.get(some.id)).to.be.closeTo(1, 1e-4);
      // The document's own vector finds it first, with Lucene's cosine score (1 + cos) / 2 = 1.
      const knn = await search.search(alias, { size: 3, query: { knn: { embedding: { vector, k: 3 } } } });
      expect(knn.hits[0]!.id).to.equal(some.id);
      expect(knn.hits[0]!.score).to.be.closeTo(1, 1e-4);
      // The ranker's vector leg runs on this index: it returns opportunities, and the k-NN
      // search it sends is not refused (a refused one would leave ranking to text alone).
      const { rankOpportunities } = await import('../src/matching/rank.js');
      const { loadDocuments } = await import('../src/db/documents.js');
      const seeker = await db('candidates').orderBy('id').first('id', 'category');
      const [profile] = await loadDocuments(db, 'candidates', [seeker.id]);
      let legs = { text: [] as string[], vector: [] as string[] };
      const ranked = await rankOpportunities({
        search, indexPrefix: deps.prefix, encoder: v1, skillLabels: (slug) => slug, now: () => new Date('2026-11-01T00:00:00Z'),
        observe: (l) => { legs = l; }, vectorLegFailed: (error) => { throw error; },
      }, profile!.document, { kind: 'beneficiary', category: seeker.category }, { size: 10, language: 'en' });
      expect(legs.vector.length, 'opportunities the vector leg found').to.be.greaterThan(0);
      expect(ranked.length).to.be.greaterThan(0);
      expect(await needsBuild(deps, 'opportunities')).to.equal(false);
      expect(await needsBuild({ ...deps, encoder: new Encoder(config, v1.weights, 'v2') }, 'opportunities')).to.equal(true);
      // A wrong-sized encoder is refused with a clear error rather than dead-lettering everything.
      const wrong = { ...deps, encoder: new Encoder({ ...config, dimension: 16 }, new Float32Array(config.buckets * 16), 'v3') };
      let refused: Error | undefined;
      await reindex(wrong, 'opportunities').catch((error: Error) => { refused = error; });
      expect(refused?.message).to.match(/16-dimensional/);
    } finally {
      await search.close();
      await db.destroy();
    }
  });

  it('is not trained at start on too little data: start goes on, matching uses text alone', async () => {
    const { createDb } = await import('../src/db/knex.js');
    const { migrateLatest } = await import('../src/db/migrate.js');
    const { ensureEncoder } = await import('../src/matching/encoder-training.js');
    const db = createDb(harness().config, harness().log, { url: await harness().createDatabase('noencoder') });
    try {
      await migrateLatest(db);
      const models = await mkdtemp(path.join(os.tmpdir(), 'meridian-noencoder-'));
      expect(await ensureEncoder(db, models, harness().log)).to.equal(false);
      expect(await loadActiveEncoder(db)).to.equal(undefined);
    } finally {
      await db.destroy();
    }
  });
});
