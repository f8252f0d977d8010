/**
 * Text → hashed feature ids for the encoder's embedding bag: folded words, word bigrams and
 * character trigrams of each word (with boundary marks), each hashed (FNV-1a) into a fixed
 * number of buckets. Trigrams carry typos and inflections ("welder", "weldr", "welding"
 * share most of theirs); bigrams carry short phrases ("forklift operator"). Pure and
 * deterministic: the same text gives the same ids on every machine.
 */
export function foldText(text: string): string[] {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().split(/[^\p{L}\p{N}+#]+/u).filter((w) => w.length > 0);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export interface FeatureOptions {
  buckets: number;
  /** At most this many features per text (the first ones: titles come first in our texts). */
  maxFeatures: number;
}

/** Bucket ids in 1 … buckets − 1 (0 is padding). */
export function textFeatures(text: string, options: FeatureOptions): number[] {
  const words = foldText(text);
  const features: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    features.push(`w:${word}`);
    if (i > 0) features.push(`b:${words[i - 1]}_${word}`);
    if (word.length >= 3) {
      const marked = `<${word}>`;
      for (let j = 0; j + 3 <= marked.length; j++) features.push(`c:${marked.slice(j, j + 3)}`);
    }
  }
  const ids: number[] = [];
  for (const feature of features) {
    if (ids.length >= options.maxFeatures) break;
    ids.push(1 + (fnv1a(feature) % (options.buckets - 1)));
  }
  return ids;
}
