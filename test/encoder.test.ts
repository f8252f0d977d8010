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
