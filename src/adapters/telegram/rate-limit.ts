/**
 * Per-user token bucket: `perMinute` questions in a burst, refilled evenly over a minute.
 * The caller is told when to send the one friendly "slow down" note, so a flooding user gets
 * a single note per empty bucket rather than one per message.
 */
export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly notify: boolean; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
  notified: boolean;
}

export class RateLimiter {
  readonly #buckets = new Map<string | number, Bucket>();
  readonly #refillPerMs: number;
  #lastSweep: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perMinute >= 1)) throw new RangeError('perMinute must be at least 1');
    this.#refillPerMs = perMinute / 60_000;
    this.#lastSweep = now();
  }

  take(key: string | number): RateDecision {
    const now = this.now();
    this.#sweep(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.perMinute, updatedAt: now, notified: false };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * this.#refillPerMs);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.notified = false;
      return { allowed: true };
    }
    const notify = !bucket.notified;
    bucket.notified = true;
    return {
      allowed: false,
      notify,
      retryAfterSeconds: Math.ceil((1 - bucket.tokens) / this.#refillPerMs / 1000),
    };
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Forgets users whose bucket has refilled completely, so memory tracks active users only. */
  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.#refillPerMs >= this.perMinute)
        this.#buckets.delete(key);
    }
  }
}
