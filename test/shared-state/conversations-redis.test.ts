import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Conversations } from '../../src/conversation/conversations.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import type { QuestionReply } from '../../src/core/reply.ts';
import { createQaService, type PreviousTurn } from '../../src/core/service.ts';
import { connectRedis } from '../../src/shared-state/redis-client.ts';
import { RedisContextStore } from '../../src/shared-state/redis-context-store.ts';
import { startRedisServer } from '../fakes/redis-server.ts';
import { useRedisPair } from '../helpers/redis.ts';

const service = createQaService(loadKnowledge());
const entry = (r: QuestionReply) => (r.kind === 'answer' ? r.entryId : r.kind);

const redis = useRedisPair();

/** One bot process: its own Conversations and its own Redis client. */
const processOn = (client: Redis, keyPrefix: string) =>
  new Conversations(service, {
    store: new RedisContextStore<PreviousTurn>(client, { keyPrefix, ttlMs: 60_000 }),
  });

describe('Conversations over RedisContextStore', () => {
  it('answers a follow-up in context when it reaches another process than the question before it', async () => {
    const one = processOn(redis.first, 'conv-a:');
    const other = processOn(redis.second, 'conv-a:');
    expect(entry((await one.ask('tg:private:7', 'who is kirby')).reply)).toBe('who-is-kirby');
    const next = await other.ask('tg:private:7', 'what did he say about biden');
    expect(next.followUp).toBe(true);
    expect(entry(next.reply)).toBe('biden-willing');
  });

  it('without shared context the other process reads the follow-up on its own (the control)', async () => {
    const one = processOn(redis.first, 'conv-b:');
    const elsewhere = processOn(redis.second, 'conv-c:'); // a different store: nothing shared
    await one.ask('tg:private:8', 'who is kirby');
    const next = await elsewhere.ask('tg:private:8', 'what did he say about biden');
    expect(next.followUp).toBe(false);
  });

  it('keeps two users of one group apart across processes', async () => {
    const one = processOn(redis.first, 'conv-d:');
    const other = processOn(redis.second, 'conv-d:');
    await one.ask('tg:group:1:user:alice', 'who is kirby');
    const bob = await other.ask('tg:group:1:user:bob', 'what did he say about biden');
    const alice = await other.ask('tg:group:1:user:alice', 'what did he say about biden');
    expect(bob.followUp).toBe(false);
    expect(alice.followUp).toBe(true);
  });
});

describe('Conversations when Redis goes away', () => {
  it('still answers every message, without context, and reports each failing read and write', async () => {
    const own = await startRedisServer();
    const client = await connectRedis(own.url, { onError: () => {} });
    const failures: string[] = [];
    const layer = new Conversations(service, {
      store: new RedisContextStore<PreviousTurn>(client, { keyPrefix: 'down:', ttlMs: 60_000 }),
      onStoreError: (_error, operation) => failures.push(operation),
    });
    try {
      expect(entry((await layer.ask('c', 'who is kirby')).reply)).toBe('who-is-kirby');
      await own.stop();
      const during = await layer.ask('c', 'how many years in prison');
      expect(entry(during.reply)).toBe('law-15-years');
      expect(failures).toEqual(expect.arrayContaining(['get', 'set']));
    } finally {
      client.disconnect();
      await own.close();
    }
  });
});
