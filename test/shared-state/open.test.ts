import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversations } from '../../src/conversation/conversations.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { createQaService } from '../../src/core/service.ts';
import { openSharedState, type SharedState } from '../../src/shared-state/open.ts';
import { type RedisServer, startRedisServer } from '../fakes/redis-server.ts';

const service = createQaService(loadKnowledge());
let redis: RedisServer;
const opened: SharedState[] = [];
const open = async (keyPrefix: string) => {
  const shared = await openSharedState({
    redisUrl: redis.url,
    keyPrefix,
    rateLimitPerMinute: 1,
    onError: () => {},
  });
  opened.push(shared);
  return shared;
};

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const s of opened) s.close();
  await redis?.close();
});

describe('shared state namespaces (REDIS_KEY_PREFIX)', () => {
  it('keeps two bots on one Redis apart: context, rate limits and seen ids', async () => {
    const [prod, staging, prodAgain] = [await open('prod:'), await open('staging:'), await open('prod:')];
    const talk = (s: SharedState) =>
      new Conversations(service, s.contexts ? { store: s.contexts.store } : {});
    await talk(prod).ask('telegram:9', 'who is kirby');
    expect((await talk(staging).ask('telegram:9', 'what did he say about biden')).followUp).toBe(false);
    expect((await talk(prodAgain).ask('telegram:9', 'what did he say about biden')).followUp).toBe(true);

    expect((await prod.limiter.take('telegram:9')).allowed).toBe(true);
    expect((await staging.limiter.take('telegram:9')).allowed).toBe(true);
    expect((await prodAgain.limiter.take('telegram:9')).allowed).toBe(false);

    expect(await prod.seenIds?.firstTime('telegram:1:77')).toBe(true);
    expect(await staging.seenIds?.firstTime('telegram:1:77')).toBe(true);
    expect(await prodAgain.seenIds?.firstTime('telegram:1:77')).toBe(false);
  });
});
