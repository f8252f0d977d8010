/**
 * Recently computed vectors by text, so a document whose text did not change (most changes:
 * a salary, a status, a skill's years) is not embedded again each time the indexer rewrites
 * it. A vector is a pure function of the text for one encoder (each cache serves one), so a
 * hit is exact.
 * Least recently used entries go first; the bound keeps the indexer's memory flat.
 */
import { createHash } from 'node:crypto';
import type { Encoder } from './encoder.js';

export class EmbeddingCache {
  private readonly entries = new Map<string, Float32Array>();
  hits = 0;
  misses = 0;

  constructor(private readonly encoder: Encoder, private readonly capacity = 20_000) {}

  embed(text: string): Float32Array {
    // A digest rather than the text: documents' texts run to a kilobyte each.
    const key = createHash('sha1').update(text).digest('base64');
    const cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    this.misses++;
    const vector = this.encoder.embedOne(text);
    this.entries.set(key, vector);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return vector;
  }

  get size(): number {
    return this.entries.size;
  }
}
