import { request } from 'node:http';
import type { User } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { ConversationLayer } from '../../src/conversation/layer.ts';
import { openSharedState, type SharedState } from '../../src/shared-state/open.ts';
import { type Harness, realService, startHarness } from '../adapters/telegram/harness.ts';
import { type RedisServer, startRedisServer } from '../fakes/redis-server.ts';
import { FakeBotApi, textMessage } from '../fakes/telegram-bot-api.ts';

/**
 * Two bot processes behind one Telegram webhook, sharing one real redis-server, as a deployment
 * with several instances would run them: the real telegraf adapter twice (each with its own Redis
 * client, its own webhook server and its own state objects, built by the same code main uses),
 * against one Bot API fake. What one process learns, the other knows.
 */
const SECRET = 'two-process-Secret_1';
const PATH = '/tg/hook';
const webhook = { url: `https://bot.example.test${PATH}`, port: 0, secret: SECRET };
const RATE_LIMIT = 3;

let redis: RedisServer;
let fake: FakeBotApi;
const processes: { shared: SharedState; harness: Harness }[] = [];

async function startProcess(): Promise<{ shared: SharedState; harness: Harness }> {
  const shared = await openSharedState({
    redisUrl: redis.url,
    rateLimitPerMinute: RATE_LIMIT,
    onError: () => {},
  });
  const harness = await startHarness({
    fake,
    webhook,
    layer: new ConversationLayer(realService, commands, { ...(shared.contexts ?? {}) }),
    limiter: shared.limiter,
    ...(shared.seenIds ? { seenIds: shared.seenIds } : {}),
  });
  const started = { shared, harness };
  processes.push(started);
  return started;
}

beforeAll(async () => {
  redis = await startRedisServer();
  fake = await FakeBotApi.start();
  await startProcess();
  await startProcess();
});

afterAll(async () => {
  for (const { shared, harness } of processes) {
    await harness.close();
    shared.close();
  }
  await fake?.close();
  await redis?.close();
});

const port = (i: number) => processes[i]?.harness.bot.webhookPort ?? 0;
let nextUpdateId = 1_000;

/** Posts an update to process `i`'s webhook, as Telegram would, and waits for its answer. */
function post(i: number, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: port(i),
        path: PATH,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const reader = (id: number, name: string): User => ({ id, is_bot: false, first_name: name });
const sentTo = (user: User) => fake.callsTo('sendMessage').filter((c) => c.body.chat_id === user.id);

describe('two bot processes sharing one Redis', () => {
  it('a conversation whose follow-up reaches the other process keeps its context', async () => {
    const dana = reader(5_001, 'Dana');
    expect(
      await post(0, { update_id: nextUpdateId++, ...textMessage('who is zelensky', { from: dana }) }),
    ).toBe(200);
    expect(
      await post(1, { update_id: nextUpdateId++, ...textMessage('what did he do', { from: dana }) }),
    ).toBe(200);
    const replies = sentTo(dana).map((c) => String(c.body.text));
    expect(replies).toHaveLength(2);
    expect(replies[1]).toMatch(/Zelenskiy&#39;s visit to the US|Zelenskiy's visit to the US/);
  });

  it("counts one user's rate limit across both processes: one note, then silence", async () => {
    const eli = reader(5_002, 'Eli');
    for (let i = 0; i < RATE_LIMIT + 2; i++) {
      expect(
        await post(i % 2, {
          update_id: nextUpdateId++,
          ...textMessage('how many years in prison', { from: eli }),
        }),
      ).toBe(200);
    }
    const texts = sentTo(eli).map((c) => String(c.body.text));
    expect(texts.filter((t) => /15 years/.test(t))).toHaveLength(RATE_LIMIT);
    expect(texts.filter((t) => t.startsWith("You're"))).toHaveLength(1);
    expect(texts).toHaveLength(RATE_LIMIT + 1);
  });

  it('an update Telegram redelivers to the other process is answered once', async () => {
    const fay = reader(5_003, 'Fay');
    const update = { update_id: nextUpdateId++, ...textMessage('who is kirby', { from: fay }) };
    expect(await post(0, update)).toBe(200);
    expect(await post(1, update)).toBe(200);
    expect(sentTo(fay)).toHaveLength(1);
    expect(processes[1]?.harness.logs.some((l) => /another process answered/.test(l.msg))).toBe(true);
  });
});
