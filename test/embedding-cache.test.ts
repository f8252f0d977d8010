/**
 * The indexer's embedding cache: a hit returns exactly what the encoder computes, a changed
 * text is a miss, and the least recently used entry goes first.
 */
import { expect } from 'chai';
import { Encoder } from '../src/matching/encoder.js';
import { EmbeddingCache } from '../src/matching/embedding-cache.js';

const config = { buckets: 1 << 10, dimension: 16, maxFeatures: 32 };
const weights = Float32Array.from({ length: config.buckets * config.dimension }, (_, i) => Math.sin(i * 12.9898) % 1);

describe('embedding cache', () => {
  it('returns the encoder\'s own vector, and embeds a text only once', () => {
    const encoder = new Encoder(config, weights, 'v1');
    const cache = new EmbeddingCache(encoder, 10);
    const first = cache.embed('Forklift operator, warehouse');
    expect(Array.from(first)).to.deep.equal(Array.from(encoder.embedOne('Forklift operator, warehouse')));
    expect(cache.embed('Forklift operator, warehouse')).to.equal(first);
    expect(Array.from(cache.embed('Forklift operator, warehouses'))).to.deep.equal(Array.from(encoder.embedOne('Forklift operator, warehouses')));
    expect({ hits: cache.hits, misses: cache.misses }).to.deep.equal({ hits: 1, misses: 2 });
  });

  it('stays within its capacity, dropping the least recently used', () => {
    const cache = new EmbeddingCache(new Encoder(config, weights, 'v1'), 3);
    for (const text of ['a', 'b', 'c']) cache.embed(text);
    cache.embed('a'); // a is now the most recent
    cache.embed('d'); // b goes
    expect(cache.size).to.equal(3);
    const misses = cache.misses;
    cache.embed('a');
    cache.embed('c');
    expect(cache.misses).to.equal(misses);
    cache.embed('b');
    expect(cache.misses).to.equal(misses + 1);
  });
});
