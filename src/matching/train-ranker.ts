/**
 * The learned ranker: the same normalised weighted sum as scoreOf() in features.ts, with the
 * weights learned from the recommendation lifecycle (lifecycle.ts) in TensorFlow.js, so a
 * learned model is as readable as the hand-set one and the chips keep their signed weights.
 *
 * Model: weights = m · softmax(θ) over the learnable features (non-negative, summing to the
 * hand-set mass m of those features), score difference of a pair scaled by a learned
 * sharpness α. Loss: RankNet (pairwise logistic) over every pair of one person's list whose
 * grades differ, each pair weighted by its grade difference, plus a pull of θ towards the
 * hand-set start that fades as feedback grows (with little feedback, or feedback that says
 * nothing, the weights stay near where they were). A feature that
 * does not vary in the training data (the text score, never reconstructable; similarity
 * without an encoder) cannot be learned and keeps its hand-set weight.
 *
 * Held out: a fifth of the people (by a hash of their id, so the split is stable as data
 * grows). Reported on it for the hand-set and the learned weights (and for the active ones,
 * when retraining): pairwise accuracy and nDCG@10 with gains 2^grade − 1.
 */
import { createHash } from 'node:crypto';
import type * as TF from '@tensorflow/tfjs';
import { MeridianError } from '../errors.js';
import { FEATURES, HAND_SET_WEIGHTS, scoreOf, type Feature, type Features } from './features.js';
import type { LifecycleData, LifecycleExample } from './lifecycle.js';
import { loadTf } from './tf.js';

export interface RankerTrainOptions {
  /** Refuse to train with fewer lifecycle events than this. */
  minEvents: number;
  /** Refuse to train with fewer training pairs than this. */
  minPairs: number;
  steps: number;
  learningRate: number;
  /**
   * Pull of θ towards the starting weights (an L2 prior), divided by the training pairs'
   * total weight: it outweighs a little evidence (noise does not move the weights much) and
   * fades as feedback grows.
   */
  prior: number;
  heldOutFraction: number;
  seed: number;
}

export const DEFAULT_RANKER_OPTIONS: RankerTrainOptions = { minEvents: 200, minPairs: 100, steps: 400, learningRate: 0.05, prior: 15, heldOutFraction: 0.2, seed: 7 };

/** Too little feedback to learn from (a refusal, not a failure). */
export class InsufficientFeedbackError extends MeridianError {
  constructor(message: string, details: Record<string, unknown>) {
    super('insufficient_feedback', message, { status: 409, expose: true, details });
  }
}

export interface RankingQuality {
  pairwiseAccuracy: number;
  ndcg10: number;
}

export interface RankerMetrics {
  backend: string;
  seconds: number;
  finalLoss: number;
  events: number;
  examples: number;
  trainLists: number;
  trainPairs: number;
  heldOutLists: number;
  heldOutPairs: number;
  learnable: Feature[];
  frozen: Feature[];
  handSet: RankingQuality;
  learned: RankingQuality;
  /** The weights that were active when this was trained, on the same held-out lists. */
  active?: RankingQuality & { version: string };
}

export interface RankerTrainResult {
  weights: Features;
  metrics: RankerMetrics;
}

type List = LifecycleExample[];

function listsOf(examples: LifecycleExample[]): List[] {
  const byCandidate = new Map<string, List>();
  for (const e of examples) byCandidate.set(e.candidateId, [...(byCandidate.get(e.candidateId) ?? []), e]);
  // Only lists whose grades differ say anything about an order.
  return [...byCandidate.values()].filter((list) => new Set(list.map((e) => e.grade)).size > 1);
}

function pairsOf(lists: List[]): Array<{ better: LifecycleExample; worse: LifecycleExample; weight: number }> {
  const pairs = [];
  for (const list of lists) {
    for (const a of list) for (const b of list) if (a.grade > b.grade) pairs.push({ better: a, worse: b, weight: a.grade - b.grade });
  }
  return pairs;
}

const heldOut = (candidateId: string, seed: number, fraction: number) =>
  createHash('sha256').update(`${seed}:${candidateId}`).digest().readUInt32BE(0) / 2 ** 32 < fraction;

/** Pairwise accuracy (ties count half) and mean nDCG@10 of `weights` over `lists`. */
export function rankingQuality(weights: Features, lists: List[]): RankingQuality {
  let correct = 0;
  let pairs = 0;
  let ndcg = 0;
  for (const list of lists) {
    const scored = list.map((e) => ({ grade: e.grade, score: scoreOf(e.features, weights) }));
    for (const a of scored) for (const b of scored) {
      if (a.grade <= b.grade) continue;
      pairs++;
      correct += a.score > b.score ? 1 : a.score === b.score ? 0.5 : 0;
    }
    const dcg = (grades: number[]) => grades.slice(0, 10).reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
    // Ties broken against the model (worst grade first), so a constant score earns nothing.
    const ranked = [...scored].sort((a, b) => b.score - a.score || a.grade - b.grade).map((s) => s.grade);
    const ideal = dcg(scored.map((s) => s.grade).sort((a, b) => b - a));
    ndcg += ideal > 0 ? dcg(ranked) / ideal : 0;
  }
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  return { pairwiseAccuracy: round(pairs ? correct / pairs : 0), ndcg10: round(lists.length ? ndcg / lists.length : 0) };
}

export async function trainRanker(data: LifecycleData, options: RankerTrainOptions = DEFAULT_RANKER_OPTIONS, active?: { version: string; weights: Features }, start: Features = HAND_SET_WEIGHTS): Promise<RankerTrainResult> {
  const started = performance.now();
  const lists = listsOf(data.examples);
  const trainLists = lists.filter((l) => !heldOut(l[0]!.candidateId, options.seed, options.heldOutFraction));
  const testLists = lists.filter((l) => heldOut(l[0]!.candidateId, options.seed, options.heldOutFraction));
  const pairs = pairsOf(trainLists);
  const counts = { events: data.events, examples: data.examples.length, trainLists: trainLists.length, trainPairs: pairs.length, heldOutLists: testLists.length, heldOutPairs: pairsOf(testLists).length };
  if (data.events < options.minEvents || pairs.length < options.minPairs || testLists.length === 0) {
    throw new InsufficientFeedbackError(
      `Too little feedback to train the ranker: ${data.events} lifecycle events (need ${options.minEvents}), ${pairs.length} training pairs (need ${options.minPairs}), ${testLists.length} held-out lists (need 1)`, counts);
  }

  const trainExamples = trainLists.flat();
  const varies = (f: Feature) => trainExamples.some((e) => Math.abs(e.features[f] - trainExamples[0]!.features[f]) > 1e-9);
  const learnable = FEATURES.filter((f) => f !== 'text' && varies(f));
  const frozen = FEATURES.filter((f) => !learnable.includes(f));
  const mass = learnable.reduce((sum, f) => sum + start[f], 0);

  const { tf, backend } = await loadTf();
  const diffs = new Float32Array(pairs.length * learnable.length);
  const weightsOfPairs = new Float32Array(pairs.length);
  pairs.forEach((p, i) => {
    learnable.forEach((f, k) => { diffs[i * learnable.length + k] = p.better.features[f] - p.worse.features[f]; });
    weightsOfPairs[i] = p.weight;
  });
  const theta0 = learnable.map((f) => Math.log(Math.max(start[f], 1e-4) / mass));
  const D = tf.tensor2d(diffs, [pairs.length, learnable.length]);
  const g = tf.tensor1d(weightsOfPairs);
  const gSum = weightsOfPairs.reduce((a, b) => a + b, 0);
  const thetaStart = tf.tensor1d(theta0);
  const theta = tf.variable(tf.tensor1d(theta0));
  const logAlpha = tf.variable(tf.scalar(Math.log(10)));
  const optimizer = tf.train.adam(options.learningRate);
  const lossOf = () => tf.tidy(() => {
    const w = tf.mul(tf.softmax(theta), mass);
    const margins = tf.mul(tf.exp(logAlpha), tf.squeeze(tf.matMul(D, tf.reshape(w, [learnable.length, 1])), [1]));
    // softplus(−m) = log(1 + e^−m), the RankNet loss of a pair ordered right by margin m.
    const ranknet = tf.div(tf.sum(tf.mul(g, tf.softplus(tf.neg(margins)))), gSum);
    return tf.add(ranknet, tf.mul(options.prior / gSum, tf.sum(tf.square(tf.sub(theta, thetaStart))))) as TF.Scalar;
  });
  let finalLoss = NaN;
  for (let step = 1; step <= options.steps; step++) {
    const loss = optimizer.minimize(lossOf, step === options.steps, [theta, logAlpha]);
    if (loss) {
      finalLoss = loss.dataSync()[0]!;
      loss.dispose();
    }
  }
  const learnedTheta = tf.tidy(() => Array.from(tf.mul(tf.softmax(theta), mass).dataSync()));
  for (const t of [D, g, thetaStart, theta, logAlpha]) t.dispose();
  optimizer.dispose();

  const weights = { ...start };
  learnable.forEach((f, k) => { weights[f] = Math.round(learnedTheta[k]! * 1e6) / 1e6; });
  return {
    weights,
    metrics: {
      backend, seconds: Math.round((performance.now() - started) / 100) / 10, finalLoss: Math.round(finalLoss * 1e4) / 1e4, ...counts, learnable, frozen,
      handSet: rankingQuality(HAND_SET_WEIGHTS, testLists), learned: rankingQuality(weights, testLists),
      ...(active ? { active: { version: active.version, ...rankingQuality(active.weights, testLists) } } : {}),
    },
  };
}
