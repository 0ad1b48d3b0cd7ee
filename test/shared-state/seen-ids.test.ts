import { describe, expect, it } from 'vitest';
import { RedisSeenIds } from '../../src/shared-state/seen-ids.ts';
import { useRedisPair } from '../helpers/redis.ts';

describe('RedisSeenIds', () => {
  const redis = useRedisPair();

  it('answers an update redelivered to another process once: only one of two clients sees it first', async () => {
    const one = new RedisSeenIds(redis.first, { keyPrefix: 'seen-a:', ttlMs: 60_000 });
    const other = new RedisSeenIds(redis.second, { keyPrefix: 'seen-a:', ttlMs: 60_000 });
    expect(await one.firstTime('5550001')).toBe(true);
    expect(await other.firstTime('5550001')).toBe(false);
    expect(await one.firstTime('5550001')).toBe(false);
    expect(await other.firstTime('5550002')).toBe(true);
  });

  it('lets exactly one of many simultaneous deliveries through, across both clients', async () => {
    const stores = [redis.first, redis.second].map(
      (client) => new RedisSeenIds(client, { keyPrefix: 'seen-b:', ttlMs: 60_000 }),
    );
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => stores[i % 2]?.firstTime('777') ?? Promise.resolve(false)),
    );
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('forgets an id after its time to live', async () => {
    const seen = new RedisSeenIds(redis.first, { keyPrefix: 'seen-c:', ttlMs: 150 });
    expect(await seen.firstTime('9')).toBe(true);
    expect(await redis.second.pttl('seen-c:9')).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await seen.firstTime('9')).toBe(true);
  });
});
