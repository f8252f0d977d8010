/**
 * Deterministic randomness for the demo data generator: the same seed gives the same rows,
 * on every machine. sfc32 is fast, passes PractRand to large sizes and needs only 32-bit maths.
 */

/** 32-bit mix (murmur3 finaliser): turns structured input into well-spread bits. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export function hashString(text: string, seed = 0): number {
  let h = seed ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = mix32(seed ^ 0x243f6a88);
    this.b = mix32(stream ^ 0x85a308d3);
    this.c = mix32((seed + stream) ^ 0x13198a2e);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next32();
  }

  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.next32() / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight; `weights` must be the same length as `items`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i]!;
      if (r < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }

  /** `count` distinct items (or all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    if (count >= items.length) return [...items];
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].map((i) => items[i]!);
  }

  /** Normal distribution (Box–Muller), clamped to [min, max]. */
  normal(mean: number, sd: number, min = -Infinity, max = Infinity): number {
    const u = 1 - this.next();
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.min(max, Math.max(min, mean + z * sd));
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (n: number) => HEX[(n >>> 24) & 255]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;

/**
 * A stable id for the `index`-th row of a kind: the same (seed, kind, index) always gives the
 * same UUID, so later phases can refer to row i without keeping it in memory. The leading bits
 * are (kind, index), so ids of one kind are ordered like UUIDv7 and append to the primary key
 * index instead of splitting pages at random; the rest is hashed noise.
 */
export function stableUuid(seed: number, kind: number, index: number): string {
  const high = Math.floor(index / 4294967296);
  const low = index >>> 0;
  const r1 = mix32(mix32(seed + 0x7f4a7c15) ^ Math.imul(kind, 0x9e3779b1) ^ low);
  const r2 = mix32(r1 ^ high ^ 0x6a09e667);
  const first = ((kind & 0xff) << 24) | (high & 0xffffff);
  const time = hex32(first >>> 0) + hex32(low);
  // xxxxxxxx-xxxx-7xxx-Vxxx-xxxxxxxxxxxx with version 7 and variant 10.
  const r1h = hex32(r1);
  const r2h = hex32(r2);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${r1h.slice(0, 3)}-${HEX[0x80 | (r1 & 0x3f)]}${r1h.slice(5, 7)}-${time.slice(12, 16)}${r2h}`;
}
