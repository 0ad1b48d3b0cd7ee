import { describe, expect, it } from 'vitest';
import { type RateDecision, RateLimiter } from '../../src/conversation/rate-limit.ts';
import { useRedisPair } from '../helpers/redis.ts';

// rate-limiter-flexible's memory store reads Date.now() and expires by timer, so no injected clock:
// windows of one second, and at most one wait just past a window.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const refusals = (decisions: readonly RateDecision[]) => decisions.filter((d) => !d.allowed);
const firstRefusals = (decisions: readonly RateDecision[]) =>
  decisions.filter((d) => !d.allowed && d.firstRefusal).length;

describe('RateLimiter in memory', () => {
  it('allows `points` messages per window, then refuses with the time left and one first refusal', async () => {
    const limiter = new RateLimiter({ points: 3, windowMs: 1_000 });
    const decisions: RateDecision[] = [];
    for (let i = 0; i < 6; i += 1) decisions.push(await limiter.take('tg:1'));
    expect(decisions.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(refusals(decisions)).toHaveLength(3);
    expect(decisions.map((d) => !d.allowed && d.firstRefusal)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
    for (const refusal of refusals(decisions)) {
      if (refusal.allowed) continue;
      expect(refusal.retryAfterMs).toBeGreaterThan(0);
      expect(refusal.retryAfterMs).toBeLessThanOrEqual(1_000);
    }
  });

  it('counts each user apart', async () => {
    const limiter = new RateLimiter({ points: 1, windowMs: 1_000 });
    expect(await limiter.take('dc:a')).toEqual({ allowed: true });
    expect((await limiter.take('dc:a')).allowed).toBe(false);
    expect(await limiter.take('dc:b')).toEqual({ allowed: true });
  });

  it('starts afresh after the window, with a new first refusal, and forgets users whose window ended', async () => {
    const limiter = new RateLimiter({ points: 1, windowMs: 1_000 });
    await limiter.take('u1');
    await limiter.take('u2');
    const refused = await limiter.take('u1');
    expect(refused).toMatchObject({ allowed: false, firstRefusal: true });
    expect(limiter.trackedInMemory).toBe(2);
    await sleep(1_050);
    // Memory stays bounded: rate-limiter-flexible drops each user's count when its window ends.
    expect(limiter.trackedInMemory).toBe(0);
    expect(await limiter.take('u1')).toEqual({ allowed: true });
    expect(await limiter.take('u1')).toMatchObject({ allowed: false, firstRefusal: true });
  });

  it('refuses settings the stores cannot honour', () => {
    expect(() => new RateLimiter({ points: 0, windowMs: 60_000 })).toThrow(RangeError);
    expect(() => new RateLimiter({ points: 2.5, windowMs: 60_000 })).toThrow(RangeError);
    // The Redis store counts in whole seconds; 1.5 s would silently become 1 s.
    expect(() => new RateLimiter({ points: 5, windowMs: 1_500 })).toThrow(RangeError);
    expect(() => new RateLimiter({ points: 5, windowMs: 500 })).toThrow(RangeError);
  });
});

describe('RateLimiter in Redis', () => {
  const redis = useRedisPair();
  let run = 0;
  // Two limiters on two clients stand for two processes of the bot.
  const pair = (points: number, windowMs = 60_000) => {
    const keyPrefix = `rate-test-${++run}`;
    return [
      new RateLimiter({ points, windowMs, keyPrefix, redis: redis.first }),
      new RateLimiter({ points, windowMs, keyPrefix, redis: redis.second }),
    ] as const;
  };

  it("counts one user's messages across two processes, with the first refusal told once", async () => {
    const [one, other] = pair(3);
    const decisions: RateDecision[] = [];
    for (let i = 0; i < 8; i += 1) decisions.push(await (i % 2 === 0 ? one : other).take('tg:42'));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false, false, false, false]);
    expect(decisions.map((d) => !d.allowed && d.firstRefusal)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
    ]);
    const refusal = decisions[3];
    if (refusal?.allowed !== false) throw new Error('expected a refusal');
    expect(refusal.retryAfterMs).toBeGreaterThan(58_000);
    expect(refusal.retryAfterMs).toBeLessThanOrEqual(60_000);
    // The count lives in Redis, not in either process.
    expect(one.trackedInMemory).toBe(0);
    expect(other.trackedInMemory).toBe(0);
  });

  it('lets exactly `points` through and tells exactly one first refusal when messages arrive at once on both', async () => {
    const [one, other] = pair(5);
    const decisions = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? one : other).take('dc:flooder')),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(firstRefusals(decisions)).toBe(1);
  });

  it('keeps users apart and starts a new window after the last one ended, in Redis too', async () => {
    const [one, other] = pair(1, 1_000);
    expect(await one.take('a')).toEqual({ allowed: true });
    expect(await other.take('b')).toEqual({ allowed: true });
    expect(await other.take('a')).toMatchObject({ allowed: false, firstRefusal: true });
    await sleep(1_050);
    expect(await other.take('a')).toEqual({ allowed: true });
    expect(await one.take('a')).toMatchObject({ allowed: false, firstRefusal: true });
  });
});
