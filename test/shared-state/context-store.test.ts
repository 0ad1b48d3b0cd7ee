import { describe, expect, it } from 'vitest';
import { RedisContextStore } from '../../src/shared-state/redis-context-store.ts';
import { useRedisPair } from '../helpers/redis.ts';

interface Turn {
  readonly question: string;
  readonly entryId?: string;
  readonly shown?: readonly string[];
}

const redis = useRedisPair();
let run = 0;
const prefix = () => `ctx-test-${++run}:`;

describe('RedisContextStore', () => {
  it('returns what was set, as JSON, and undefined for a key never set', async () => {
    const store = new RedisContextStore<Turn>(redis.first, { keyPrefix: prefix(), ttlMs: 60_000 });
    const turn: Turn = { question: 'who is kirby', entryId: 'kirby-role', shown: ['kirby-role', 'nsc'] };
    await store.set('tg:42', turn);
    expect(await store.get('tg:42')).toEqual(turn);
    expect(await store.get('tg:43')).toBeUndefined();
  });

  it('stores under the key prefix with the time to live in milliseconds (SET ... PX)', async () => {
    const keyPrefix = prefix();
    const store = new RedisContextStore<Turn>(redis.first, { keyPrefix, ttlMs: 60_000 });
    await store.set('dc:7', { question: 'why?' });
    expect(JSON.parse((await redis.first.get(`${keyPrefix}dc:7`)) ?? 'null')).toEqual({ question: 'why?' });
    const pttl = await redis.first.pttl(`${keyPrefix}dc:7`);
    expect(pttl).toBeGreaterThan(59_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it('forgets a context after its time to live, and each set restarts it', async () => {
    const store = new RedisContextStore<Turn>(redis.first, { keyPrefix: prefix(), ttlMs: 300 });
    await store.set('a', { question: 'q1' });
    await store.set('b', { question: 'q1' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await store.set('b', { question: 'q2' }); // b was active: its 300 ms start again
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toEqual({ question: 'q2' });
  });

  it('deletes, and deleting a missing key is not an error', async () => {
    const store = new RedisContextStore<Turn>(redis.first, { keyPrefix: prefix(), ttlMs: 60_000 });
    await store.set('x', { question: 'q' });
    await store.delete('x');
    expect(await store.get('x')).toBeUndefined();
    await expect(store.delete('never-set')).resolves.toBeUndefined();
  });

  it('shares context between two clients (two processes): set by one, read and replaced by the other', async () => {
    const keyPrefix = prefix();
    const one = new RedisContextStore<Turn>(redis.first, { keyPrefix, ttlMs: 60_000 });
    const other = new RedisContextStore<Turn>(redis.second, { keyPrefix, ttlMs: 60_000 });
    await one.set('tg:chat-1:user-9', { question: 'who is kirby', entryId: 'kirby-role' });
    expect(await other.get('tg:chat-1:user-9')).toEqual({ question: 'who is kirby', entryId: 'kirby-role' });
    await other.set('tg:chat-1:user-9', { question: "what's his job", entryId: 'kirby-job' });
    expect(await one.get('tg:chat-1:user-9')).toEqual({ question: "what's his job", entryId: 'kirby-job' });
    await one.delete('tg:chat-1:user-9');
    expect(await other.get('tg:chat-1:user-9')).toBeUndefined();
  });

  it('keeps stores with different prefixes apart', async () => {
    const a = new RedisContextStore<Turn>(redis.first, { keyPrefix: prefix(), ttlMs: 60_000 });
    const b = new RedisContextStore<Turn>(redis.first, { keyPrefix: prefix(), ttlMs: 60_000 });
    await a.set('k', { question: 'from a' });
    expect(await b.get('k')).toBeUndefined();
  });

  it('reads a value that is not JSON, or that the decoder rejects, as absent', async () => {
    const keyPrefix = prefix();
    const store = new RedisContextStore<Turn>(redis.first, {
      keyPrefix,
      ttlMs: 60_000,
      decode: (value) =>
        typeof value === 'object' && value !== null && typeof (value as Turn).question === 'string'
          ? (value as Turn)
          : undefined,
    });
    await redis.first.set(`${keyPrefix}garbled`, '{not json');
    await redis.first.set(`${keyPrefix}old-shape`, JSON.stringify({ q: 'from an older version' }));
    await store.set('good', { question: 'fine' });
    expect(await store.get('garbled')).toBeUndefined();
    expect(await store.get('old-shape')).toBeUndefined();
    expect(await store.get('good')).toEqual({ question: 'fine' });
  });

  it('refuses a time to live that is not a positive whole number of milliseconds', () => {
    expect(() => new RedisContextStore<Turn>(redis.first, { keyPrefix: 'p:', ttlMs: 0 })).toThrow(RangeError);
    expect(() => new RedisContextStore<Turn>(redis.first, { keyPrefix: 'p:', ttlMs: 1.5 })).toThrow(
      RangeError,
    );
  });
});
