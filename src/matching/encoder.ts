/**
 * The text encoder: a hashed word + character n-gram embedding bag. A text's vector is the
 * L2-normalised sum of its features' rows. Inference is plain arithmetic over the weights
 * (no TensorFlow needed to serve), so every process loads a trained version once and embeds
 * thousands of texts a second.
 */
import { textFeatures, type FeatureOptions } from '../domain/text-features.js';

export interface EncoderConfig extends FeatureOptions {
  dimension: number;
}

export const DEFAULT_ENCODER_CONFIG: EncoderConfig = { buckets: 1 << 16, dimension: 128, maxFeatures: 96 };

export class Encoder {
  constructor(readonly config: EncoderConfig, readonly weights: Float32Array, readonly version: string) {
    if (weights.length !== config.buckets * config.dimension) throw new RangeError(`weights hold ${weights.length} values; the configuration needs ${config.buckets * config.dimension}`);
  }

  embedOne(text: string): Float32Array {
    const { dimension } = this.config;
    const out = new Float32Array(dimension);
    for (const id of textFeatures(text, this.config)) {
      const row = id * dimension;
      for (let d = 0; d < dimension; d++) out[d]! += this.weights[row + d]!;
    }
    let norm = 0;
    for (let d = 0; d < dimension; d++) norm += out[d]! * out[d]!;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < dimension; d++) out[d]! /= norm;
    return out;
  }

  embed(texts: readonly string[]): Float32Array[] {
    return texts.map((text) => this.embedOne(text));
  }
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}
