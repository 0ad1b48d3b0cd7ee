import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/conversation/rate-limit.ts';
import { SharedStateError } from '../../src/shared-state/errors.ts';
import { connectRedis } from '../../src/shared-state/redis-client.ts';
import { RedisContextStore } from '../../src/shared-state/redis-context-store.ts';
import { RedisSeenIds } from '../../src/shared-state/seen-ids.ts';
import { type RedisServer, startRedisServer } from '../fakes/redis-server.ts';

// Short bounds so an outage shows within a test; production uses REDIS_CLIENT_DEFAULTS (1 s).
const COMMAND_TIMEOUT_MS = 300;
// What "promptly" allows beyond the command timeout on a loaded CI machine.
const SLACK_MS = 250;

let server: RedisServer;
let client: Redis;
let errors: Error[];

beforeEach(async () => {
  server = await startRedisServer();
  errors = [];
  client = await connectRedis(server.url, {
    onError: (error) => errors.push(error),
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
    connectTimeoutMs: 300,
    maxReconnectDelayMs: 100,
  });
});

afterEach(async () => {
  client?.disconnect();
  await server?.close();
});

/** How a call settled, and how long it took. */
async function timed<T>(call: () => Promise<T>) {
  const started = performance.now();
  try {
    const value = await call();
    return { ok: true as const, value, ms: performance.now() - started };
  } catch (error) {
    return { ok: false as const, error, ms: performance.now() - started };
  }
}

function expectSharedStateFailure(result: Awaited<ReturnType<typeof timed>>, operation: string) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error).toBeInstanceOf(SharedStateError);
  expect((result.error as SharedStateError).operation).toBe(operation);
  expect((result.error as Error).message).toMatch(new RegExp(`^Redis ${operation} failed: `));
  expect(result.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
}

describe('Redis stopped mid-test', () => {
  it('context and seen-id calls reject with a SharedStateError within the command timeout, the limiter keeps limiting in-process, and all recover when Redis is back', async () => {
    const context = new RedisContextStore<{ question: string }>(client, { keyPrefix: 'ctx:', ttlMs: 60_000 });
    const seen = new RedisSeenIds(client, { keyPrefix: 'seen:', ttlMs: 60_000 });
    const limiter = new RateLimiter({ points: 2, windowMs: 60_000, keyPrefix: 'rate', redis: client });
    await context.set('c1', { question: 'who is kirby' });
    expect(await limiter.take('u1')).toEqual({ allowed: true });

    // A call already on its way when Redis goes: answered, or failed within the command timeout.
    const inFlight = timed(() => context.get('c1'));
    await server.stop();
    const before = await inFlight;
    if (!before.ok) expectSharedStateFailure(before, 'context get');

    // Once the client knows Redis is gone, calls fail at once rather than waiting for it.
    await expect.poll(() => client.status, { timeout: 2_000, interval: 5 }).not.toBe('ready');
    const results = await Promise.all([
      timed(() => context.get('c1')),
      timed(() => context.set('c2', { question: 'q' })),
      timed(() => context.delete('c1')),
      timed(() => seen.firstTime('1001')),
    ]);
    const operations = ['context get', 'context set', 'context delete', 'seen-id set'];
    results.forEach((result, i) => {
      expectSharedStateFailure(result, operations[i] ?? '');
      expect(result.ok || (result.error as Error).message).toMatch(/failed: not connected \(/);
      expect(result.ms).toBeLessThan(50);
    });

    // The limiter answers from its in-process insurance, still limiting: 2 points, then refusals.
    const takes = await Promise.all([timed(() => limiter.take('u2')), timed(() => limiter.take('u2'))]);
    const third = await timed(() => limiter.take('u2'));
    for (const take of [...takes, third]) expect(take.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    expect(takes.map((t) => t.ok && t.value.allowed)).toEqual([true, true]);
    expect(third.ok && third.value).toMatchObject({ allowed: false, firstRefusal: true });

    // Told once, not once per reconnection attempt, and without the URL.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).not.toContain('redis://');

    await server.restart();
    await expect.poll(() => client.status, { timeout: 3_000, interval: 20 }).toBe('ready');
    // A fresh server is empty (no persistence): the old context is gone, but nothing throws.
    expect(await context.get('c1')).toBeUndefined();
    await context.set('c3', { question: 'back' });
    expect(await context.get('c3')).toEqual({ question: 'back' });
    expect(await seen.firstTime('1001')).toBe(true);
  });
});

describe('Redis frozen (connection open, nothing answered)', () => {
  it('calls reject with "Command timed out" after the command timeout, and the limiter falls back after it', async () => {
    const context = new RedisContextStore<{ question: string }>(client, { keyPrefix: 'ctx:', ttlMs: 60_000 });
    const seen = new RedisSeenIds(client, { keyPrefix: 'seen:', ttlMs: 60_000 });
    const limiter = new RateLimiter({ points: 1, windowMs: 60_000, keyPrefix: 'rate', redis: client });
    server.pause();
    try {
      const [get, first, take] = await Promise.all([
        timed(() => context.get('c1')),
        timed(() => seen.firstTime('2002')),
        timed(() => limiter.take('u1')),
      ]);
      expectSharedStateFailure(get, 'context get');
      expectSharedStateFailure(first, 'seen-id set');
      expect(get.ok || (get.error as Error).message).toBe('Redis context get failed: Command timed out');
      // It did wait for Redis (the timeout), then counted in-process.
      expect(get.ms).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 20);
      expect(take.ok && take.value).toEqual({ allowed: true });
      expect(take.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    } finally {
      server.resume();
    }
    // Once Redis answers again, so does the client, on the same connection.
    await context.set('c1', { question: 'thawed' });
    expect(await context.get('c1')).toEqual({ question: 'thawed' });
  });
});

describe('connectRedis', () => {
  it('fails at start-up with a message naming REDIS_URL when nothing answers', async () => {
    const { port } = server;
    await server.stop();
    const reported: Error[] = [];
    const started = performance.now();
    await expect(
      connectRedis(`redis://127.0.0.1:${port}`, {
        onError: (error) => reported.push(error),
        connectTimeoutMs: 300,
      }),
    ).rejects.toThrow(/^Redis \(REDIS_URL\) did not answer: /);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
