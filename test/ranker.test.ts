/**
 * The learned ranker on real Postgres and OpenSearch. The demo data's lifecycle is drawn at
 * random (no feature predicts it), so these tests write their own: every (candidate,
 * opportunity) pair's features are recomputed by the production path (lifecycleExamples),
 * a known weighting plus logistic noise decides how far each person took each item, and the
 * learner must find that weighting again — far from the hand-set start, so a learner that
 * did not learn would fail. Then: the versioned row and its checksum, the refusal with too
 * little feedback, ranking (and the API) using the active learned weights, and the weekly
 * retrain's skip and activation.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { harness } from './harness.js';
import { matchableCandidates, recommendationWorld, WORLD_AS_OF, type RecommendationWorld } from './recommendation-world.js';
import { Random } from '../src/domain/random.js';
import { FEATURES, HAND_SET_WEIGHTS, type Feature, type Features } from '../src/matching/features.js';
import { gradeOf, lifecycleExamples } from '../src/matching/lifecycle.js';
import { DEFAULT_RANKER_OPTIONS, InsufficientFeedbackError, trainRanker, type RankerTrainResult } from '../src/matching/train-ranker.js';
import { loadActiveRanker, RANKER_MODEL, saveRanker } from '../src/matching/model-store.js';
import { rankOpportunities } from '../src/matching/rank.js';
import { loadDocuments } from '../src/db/documents.js';
import { createApi } from '../src/api/app.js';
import { signToken } from '../src/api/tokens.js';
import { runJob } from '../pipelines/runner.js';
import { rankerRetrainJob } from '../pipelines/jobs/ranker-retrain.js';

/** The weighting the synthetic people follow: distance and freshness first, skills barely. */
const TRUTH: Partial<Features> = { distance: 0.35, freshness: 0.25, experience: 0.2, salary: 0.1, skills: 0.05, preferred: 0.03, education: 0.02 };
const LEARNABLE = Object.keys(TRUTH) as Feature[];
const SECRET = 'ranker-test-secret-0123456789-0123456789';

/** Each learnable feature's share of the learnable weight. */
const shares = (w: Partial<Features>) => {
  const total = LEARNABLE.reduce((s, f) => s + w[f]!, 0);
  return Object.fromEntries(LEARNABLE.map((f) => [f, w[f]! / total])) as Record<Feature, number>;
};
const l1 = (a: Record<string, number>, b: Record<string, number>) => LEARNABLE.reduce((s, f) => s + Math.abs(a[f]! - b[f]!), 0);

describe('learned ranker', function () {
  this.timeout(600_000);
  let world: RecommendationWorld;
  let trained: RankerTrainResult;

  before(async () => {
    world = await recommendationWorld();
    // Replace the demo's random lifecycle with 12 served, not yet seen items for 200 people.
    await world.db('recommendations').delete();
    const people = await matchableCandidates(world.db, 200);
    const opportunities = (await world.db('opportunities').orderBy('id').pluck('id')) as string[];
    const random = new Random(21);
    const rows = [];
    for (const person of people) {
      const chosen = new Set<string>();
      while (chosen.size < 12) chosen.add(opportunities[random.int(0, opportunities.length - 1)]!);
      let rank = 0;
      for (const opportunity of chosen) {
        rows.push({ candidate_id: person.id, opportunity_id: opportunity, match_score: 0.5, rank: ++rank, chips: '[]', model_version: 'ranker:hand-set+encoder:none', generated_at: new Date(WORLD_AS_OF.getTime() - random.int(1, 60) * 86_400_000) });
      }
    }
    for (let i = 0; i < rows.length; i += 1000) await world.db('recommendations').insert(rows.slice(i, i + 1000));
  });

  it('refuses to train with too little feedback', async () => {
    const data = await lifecycleExamples(world.db);
    expect(data.examples.length).to.equal(2400);
    expect(data.events).to.equal(0);
    let refused: unknown;
    await trainRanker(data).catch((error) => { refused = error; });
    expect(refused).to.be.instanceOf(InsufficientFeedbackError);
    expect((refused as InsufficientFeedbackError).code).to.equal('insufficient_feedback');
    expect((refused as Error).message).to.match(/0 lifecycle events \(need 200\)/);
    // The weekly job records a skip with its reason, and writes no model.
    const run = await runJob(world.jobDeps(WORLD_AS_OF), rankerRetrainJob, { mode: 'incremental' });
    expect(run).to.include({ status: 'skipped' });
    expect(run.error).to.match(/0 new lifecycle events since ranker hand-set was trained \(need 200\)/);
    expect(await world.db('ml_model_versions').where({ model_name: RANKER_MODEL }).first()).to.equal(undefined);
  });

  it('recovers a known weighting from a lifecycle that follows it', async () => {
    // How far each person takes each item: their list sorted by TRUTH's score plus logistic
    // noise, then the top item applied (rated 5), two clicked, three viewed, three left
    // unseen, three dismissed (rated 1).
    const data = await lifecycleExamples(world.db);
    const random = new Random(5);
    const byCandidate = new Map<string, typeof data.examples>();
    for (const e of data.examples) byCandidate.set(e.candidateId, [...(byCandidate.get(e.candidateId) ?? []), e]);
    const outcomes = [...Array(1).fill(['applied', 5]), ...Array(2).fill(['clicked', null]), ...Array(3).fill(['viewed', null]), ...Array(3).fill(['generated', null]), ...Array(3).fill(['dismissed', 1])] as Array<[string, number | null]>;
    const updates: Array<{ id: string; status: string; rating: number | null }> = [];
    for (const unordered of byCandidate.values()) {
      // In a stable order before the noise is drawn: the examples come ordered by recommendation
      // id within a day, and those ids are random, so the same draws went to other items from run
      // to run, and the learned ranker's margin over the hand-set one moved with them (0.018 in one
      // CI run, against the 0.02 asked).
      const list = [...unordered].sort((a, b) => a.opportunityId.localeCompare(b.opportunityId));
      const noisy = list.map((e) => {
        const u = random.next();
        return { e, utility: 25 * LEARNABLE.reduce((s, f) => s + TRUTH[f]! * e.features[f], 0) + Math.log(u / (1 - u)) };
      }).sort((a, b) => b.utility - a.utility);
      noisy.forEach(({ e }, i) => updates.push({ id: e.id, status: outcomes[i]![0], rating: outcomes[i]![1] }));
    }
    for (const u of updates) {
      const at = WORLD_AS_OF;
      await world.db('recommendations').where({ id: u.id }).update({
        status: u.status, feedback_rating: u.rating, viewed_at: u.status === 'generated' ? null : at, clicked: ['clicked', 'applied'].includes(u.status), clicked_at: ['clicked', 'applied'].includes(u.status) ? at : null,
        applied: u.status === 'applied', applied_at: u.status === 'applied' ? at : null, dismissed_at: u.status === 'dismissed' ? at : null,
      });
    }
    const labelled = await lifecycleExamples(world.db);
    expect(labelled.events).to.equal(200 * 9);
    expect([...new Set(labelled.examples.map((e) => e.grade))].sort()).to.deep.equal([0, 2, 3, 5, 1].sort());
    expect(gradeOf({ status: 'applied', feedback_rating: 5 })).to.equal(5);

    trained = await trainRanker(labelled);
    const { metrics, weights } = trained;
    expect(metrics.learnable).to.have.members(LEARNABLE);
    expect(metrics.frozen).to.have.members(['similarity', 'text']);
    // Frozen features keep their hand-set weights; the learnable ones keep the hand-set mass.
    expect(weights.similarity).to.equal(HAND_SET_WEIGHTS.similarity);
    expect(weights.text).to.equal(HAND_SET_WEIGHTS.text);
    expect(FEATURES.reduce((s, f) => s + weights[f], 0)).to.be.closeTo(1, 1e-4);
    expect(FEATURES.every((f) => weights[f] >= 0)).to.equal(true);
    const learned = shares(weights);
    const truth = shares(TRUTH);
    const start = shares(HAND_SET_WEIGHTS);
    // From the hand-set start most of the way to the truth, whatever the start is tuned to.
    expect(l1(learned, truth), `learned ${JSON.stringify(learned)}`).to.be.lessThan(0.3).and.lessThan(l1(start, truth) / 2);
    const top = (w: Record<Feature, number>) => [...LEARNABLE].sort((a, b) => w[b] - w[a]).slice(0, 2);
    expect(top(learned)).to.deep.equal(['distance', 'freshness']);
    // Held-out people: the learned weights order their lists better than the hand-set ones.
    expect(metrics.heldOutLists).to.be.greaterThan(20);
    expect(metrics.learned.pairwiseAccuracy, JSON.stringify({ handSet: metrics.handSet, learned: metrics.learned })).to.be.greaterThan(metrics.handSet.pairwiseAccuracy + 0.02);
    expect(metrics.learned.ndcg10).to.be.greaterThan(metrics.handSet.ndcg10);
  });

  it('saves a version with its checksum in ml_model_versions, loads it back, and refuses altered weights', async () => {
    const saved = await saveRanker(world.db, world.modelsDir, trained.weights, { parameters: DEFAULT_RANKER_OPTIONS as never, trainingData: { recommendations: 2400 }, metrics: trained.metrics, activate: true });
    const row = await world.db('ml_model_versions').where({ id: saved.id }).first();
    expect(row).to.include({ model_name: RANKER_MODEL, version: 'v1', status: 'active', model_type: 'linear-pairwise-ranker', checksum: saved.checksum });
    expect(row.metrics.learned.pairwiseAccuracy).to.equal(trained.metrics.learned.pairwiseAccuracy);
    expect(row.metrics.handSet).to.deep.equal(trained.metrics.handSet);
    expect(row.training_data).to.deep.equal({ recommendations: 2400 });
    const file = path.join(row.artifact_path, 'weights.json');
    const bytes = await readFile(file);
    expect(createHash('sha256').update(bytes).digest('hex')).to.equal(row.checksum);
    const loaded = (await loadActiveRanker(world.db))!;
    expect(loaded.version).to.equal('v1');
    expect(loaded.weights).to.deep.equal(trained.weights);
    await writeFile(file, bytes.toString('utf8').replace('"distance": 0', '"distance": 1'));
    let refused: Error | undefined;
    await loadActiveRanker(world.db).catch((error: Error) => { refused = error; });
    await writeFile(file, bytes);
    expect(refused?.message).to.match(/do not match the checksum/);
  });

  it('ranks with the active learned weights: the order changes, and the API says which ranker', async () => {
    const ranker = (await loadActiveRanker(world.db))!;
    const skillLabels = () => undefined;
    const base = { search: world.search, indexPrefix: world.prefix, skillLabels, now: () => WORLD_AS_OF };
    let person: { id: string; user_id: string; category: string | null } | undefined;
    let learnedOrder: string[] = [];
    for (const candidate of await matchableCandidates(world.db, 60)) {
      const [doc] = await loadDocuments(world.db, 'candidates', [candidate.id]);
      const options = { size: 10, language: 'en' as const };
      const handSet = (await rankOpportunities(base, doc!.document, { kind: 'beneficiary', category: candidate.category }, options)).map((r) => r.id);
      const learned = (await rankOpportunities({ ...base, weights: ranker.weights }, doc!.document, { kind: 'beneficiary', category: candidate.category }, options)).map((r) => r.id);
      if (handSet.length >= 5 && handSet.join() !== learned.join()) {
        person = candidate;
        learnedOrder = learned;
        break;
      }
    }
    expect(person, 'someone whose top 10 the learned weights reorder').to.exist;

    const app = createApi({
      config: { ...harness().config, database: { ...harness().config.database, url: world.url }, search: { ...harness().config.search, indexPrefix: world.prefix }, api: { ...harness().config.api, rateLimitPerMinute: 1_000_000 } },
      db: world.db, search: world.search, log: harness().log, authSecret: SECRET, now: () => WORLD_AS_OF, ranker,
    });
    const server: Server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const token = signToken({ sub: person!.user_id, roles: ['beneficiary'] }, SECRET);
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/me/recommendations?size=10`, { headers: { authorization: `Bearer ${token}` } });
      const body = await response.json() as { modelVersion: string; results: Array<{ opportunity: { id: string }; recommendationId: string }> };
      expect(response.status, JSON.stringify(body)).to.equal(200);
      expect(body.modelVersion).to.equal('ranker:v1+encoder:none');
      expect(body.results.map((r) => r.opportunity.id)).to.deep.equal(learnedOrder);
      const stored = await world.db('recommendations').whereIn('id', body.results.map((r) => r.recommendationId)).pluck('model_version');
      expect(new Set(stored)).to.deep.equal(new Set(['ranker:v1+encoder:none']));
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await app.flush();
    }
  });

  it('retrains weekly only with enough new feedback, and activates a version that is not worse', async () => {
    const skipped = await runJob(world.jobDeps(WORLD_AS_OF), rankerRetrainJob, { mode: 'incremental' });
    expect(skipped.status).to.equal('skipped');
    expect(skipped.error).to.match(/^0 new lifecycle events since ranker v1 was trained \(need 200\)/);
    // The same lifecycle as v1 learned from (without the rows the API test served), with its
    // events stamped after v1 was trained: enough "new" feedback, and a model as good as v1.
    await world.db('recommendations').where({ model_version: 'ranker:v1+encoder:none' }).delete();
    await world.db.raw(`UPDATE recommendations SET updated_at = clock_timestamp() + interval '1 minute' WHERE status <> 'generated'`);
    const retrained = await runJob(world.jobDeps(WORLD_AS_OF), rankerRetrainJob, { mode: 'incremental' });
    expect(retrained.status, retrained.error).to.equal('succeeded');
    const versions = await world.db('ml_model_versions').where({ model_name: RANKER_MODEL }).orderBy('version').select('version', 'status', 'metrics');
    expect(versions.map((v) => [v.version, v.status])).to.deep.equal([['v1', 'retired'], ['v2', 'active']]);
    const v2 = versions[1]!.metrics;
    expect(v2).to.include({ activated: true, comparedWith: 'v1' });
    expect(v2.learned.ndcg10).to.be.at.least(v2.active.ndcg10);
  });
});
