/**
 * Training the encoder with an in-batch contrastive loss (InfoNCE, symmetric): for a batch
 * of pairs (a, b) — an opportunity title and its skills, a past title and its skills, a
 * skill and its synonyms, an O*NET alternate title and its occupation — each a must be
 * closer to its own b than to every other b in the batch, and the other way round. Held-out
 * pairs measure it: recall@1 and @5 of finding a's partner among all held-out b's, before
 * and after training.
 */
import { MeridianError } from '../errors.js';
import { textFeatures } from '../domain/text-features.js';
import { Random } from '../domain/random.js';
import { cosine, Encoder, type EncoderConfig } from './encoder.js';
import { loadTf } from './tf.js';
import type * as TF from '@tensorflow/tfjs';

export interface TextPair {
  a: string;
  b: string;
  /** Where the pair came from (reported in the training data summary). */
  source: string;
}

export interface TrainOptions {
  config: EncoderConfig;
  steps: number;
  batchSize: number;
  learningRate: number;
  temperature: number;
  seed: number;
  heldOut: number;
  onProgress?: (step: number, loss: number) => void;
}

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'config'> = { steps: 1500, batchSize: 256, learningRate: 0.01, temperature: 0.05, seed: 7, heldOut: 1000 };

export interface TrainResult {
  encoder: Encoder;
  metrics: { backend: string; seconds: number; finalLoss: number; untrained: { recall1: number; recall5: number }; trained: { recall1: number; recall5: number }; heldOutPairs: number; trainingPairs: number };
}

/** Recall@1 and @5 of each a finding its own b among all the b's. */
export function pairRecall(encoder: Encoder, pairs: TextPair[]): { recall1: number; recall5: number } {
  if (pairs.length === 0) return { recall1: 0, recall5: 0 };
  const as = encoder.embed(pairs.map((p) => p.a));
  const bs = encoder.embed(pairs.map((p) => p.b));
  let hit1 = 0;
  let hit5 = 0;
  for (let i = 0; i < as.length; i++) {
    const own = cosine(as[i]!, bs[i]!);
    let better = 0;
    for (let j = 0; j < bs.length && better < 5; j++) if (j !== i && cosine(as[i]!, bs[j]!) > own) better++;
    if (better === 0) hit1++;
    if (better < 5) hit5++;
  }
  return { recall1: hit1 / pairs.length, recall5: hit5 / pairs.length };
}

/** The bag sums of a batch (before normalisation), and each text's feature ids. */
function bagSums(texts: string[], table: Float32Array, config: EncoderConfig): { sums: Float32Array; features: number[][] } {
  const { dimension } = config;
  const sums = new Float32Array(texts.length * dimension);
  const features = texts.map((text) => textFeatures(text, config));
  features.forEach((ids, i) => {
    for (const id of ids) for (let d = 0; d < dimension; d++) sums[i * dimension + d]! += table[id * dimension + d]!;
  });
  return { sums, features };
}

export async function trainEncoder(pairs: TextPair[], options: TrainOptions): Promise<TrainResult> {
  const { tf, backend } = await loadTf();
  const started = performance.now();
  const { config } = options;
  const random = new Random(options.seed);
  // Deterministic split and order.
  const shuffled = [...pairs];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const heldOut = shuffled.slice(0, Math.min(options.heldOut, Math.floor(shuffled.length / 10)));
  const training = shuffled.slice(heldOut.length);
  if (training.length < options.batchSize) {
    throw new MeridianError('training_data_too_small', `The encoder needs at least ${options.batchSize} training pairs after holding out ${heldOut.length}; the data gives ${training.length} (load more data, or pass --onet DIR)`, { status: 422, expose: true });
  }

  const table = tf.tidy(() => Float32Array.from(tf.randomNormal([config.buckets, config.dimension], 0, 0.1, 'float32', options.seed).dataSync() as Float32Array));
  const untrained = pairRecall(new Encoder(config, Float32Array.from(table), 'untrained'), heldOut);
  // A text's vector is the normalised sum of its rows, so the gradient of a row is the sum of
  // the gradients of the bags it appears in. TensorFlow differentiates the small part (bags →
  // loss); the rows are updated here with a sparse ("lazy") Adam that touches only the rows
  // in the batch — a dense update of the whole table every step cost 30× more, and the WASM
  // backend has no kernel for the gradient of a gather.
  const m = new Float32Array(table.length);
  const v = new Float32Array(table.length);
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  const labels = tf.oneHot(tf.range(0, options.batchSize, 1, 'int32'), options.batchSize);
  const lossOf = (sa: TF.Tensor2D, sb: TF.Tensor2D) => {
    const ua = tf.div(sa, tf.add(tf.norm(sa, 'euclidean', 1, true), 1e-6));
    const ub = tf.div(sb, tf.add(tf.norm(sb, 'euclidean', 1, true), 1e-6));
    const logits = tf.div(tf.matMul(ua, ub, false, true), options.temperature);
    return tf.div(tf.add(tf.losses.softmaxCrossEntropy(labels, logits), tf.losses.softmaxCrossEntropy(labels, logits.transpose())), 2) as TF.Scalar;
  };
  const gradients = tf.valueAndGrads(lossOf as (...args: TF.Tensor[]) => TF.Scalar);
  const { dimension } = config;
  let loss = NaN;
  let cursor = 0;
  for (let step = 1; step <= options.steps; step++) {
    if (cursor + options.batchSize > training.length) cursor = 0;
    const batch = training.slice(cursor, cursor + options.batchSize);
    cursor += options.batchSize;
    const a = bagSums(batch.map((p) => p.a), table, config);
    const b = bagSums(batch.map((p) => p.b), table, config);
    const { value, grads } = tf.tidy(() => {
      const result = gradients([tf.tensor2d(a.sums, [options.batchSize, dimension]), tf.tensor2d(b.sums, [options.batchSize, dimension])]);
      return { value: result.value.dataSync()[0]!, grads: result.grads.map((g) => g.dataSync() as Float32Array) };
    });
    loss = value;
    // Accumulate each row's gradient over the bags it is in, then update those rows.
    const rowGrads = new Map<number, Float32Array>();
    for (const [side, bags] of [[grads[0]!, a.features], [grads[1]!, b.features]] as const) {
      bags.forEach((ids, i) => {
        for (const id of ids) {
          let g = rowGrads.get(id);
          if (!g) rowGrads.set(id, (g = new Float32Array(dimension)));
          for (let d = 0; d < dimension; d++) g[d]! += side[i * dimension + d]!;
        }
      });
    }
    const correction1 = 1 - beta1 ** step;
    const correction2 = 1 - beta2 ** step;
    for (const [id, g] of rowGrads) {
      const base = id * dimension;
      for (let d = 0; d < dimension; d++) {
        const k = base + d;
        m[k] = beta1 * m[k]! + (1 - beta1) * g[d]!;
        v[k] = beta2 * v[k]! + (1 - beta2) * g[d]! * g[d]!;
        table[k]! -= (options.learningRate * (m[k]! / correction1)) / (Math.sqrt(v[k]! / correction2) + epsilon);
      }
    }
    if (step % 50 === 0 || step === options.steps) options.onProgress?.(step, loss);
  }
  labels.dispose();
  const encoder = new Encoder(config, table, 'trained');
  return {
    encoder,
    metrics: {
      backend, seconds: Math.round((performance.now() - started) / 100) / 10, finalLoss: Math.round(loss * 1e4) / 1e4,
      untrained, trained: pairRecall(encoder, heldOut), heldOutPairs: heldOut.length, trainingPairs: training.length,
    },
  };
}
