/**
 * Per-token rate limits: a token bucket per caller, refilled continuously. A caller over its
 * limit gets 429 with Retry-After (seconds until one request is allowed again). Buckets live
 * in this process: with several API processes each enforces its share.
 */
import { MeridianError } from '../errors.js';

export class RateLimitedError extends MeridianError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('rate_limited', `Too many requests; retry in ${retryAfterSeconds} s`, { status: 429, expose: true });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function createRateLimiter(perMinute: number, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  return {
    /** Takes one request from `key`'s bucket, or throws RateLimitedError. */
    take(key: string): void {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: perMinute, at: t };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * refillPerMs);
      bucket.at = t;
      if (bucket.tokens < 1) {
        buckets.set(key, bucket);
        throw new RateLimitedError(Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000)));
      }
      bucket.tokens -= 1;
      buckets.set(key, bucket);
      // Forget idle callers so the map does not grow with every token ever seen.
      if (buckets.size > 10_000) {
        for (const [k, b] of buckets) if (t - b.at > 60_000) buckets.delete(k);
      }
    },
  };
}
