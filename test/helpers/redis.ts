import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { connectRedis } from '../../src/shared-state/redis-client.ts';
import { type RedisServer, startRedisServer } from '../fakes/redis-server.ts';

export interface RedisPair {
  readonly server: RedisServer;
  /** Two clients stand for two processes of the bot. */
  readonly first: Redis;
  readonly second: Redis;
}

/**
 * A real redis-server for the enclosing file or describe block, and two clients of it, started
 * before its tests and stopped after. Read the fields inside tests: they are set by `beforeAll`.
 */
export function useRedisPair(): RedisPair {
  const pair = {} as { server: RedisServer; first: Redis; second: Redis };
  beforeAll(async () => {
    pair.server = await startRedisServer();
    pair.first = await connectRedis(pair.server.url, { onError: () => {} });
    pair.second = await connectRedis(pair.server.url, { onError: () => {} });
  });
  afterAll(async () => {
    pair.first?.disconnect();
    pair.second?.disconnect();
    await pair.server?.close();
  });
  return pair;
}
