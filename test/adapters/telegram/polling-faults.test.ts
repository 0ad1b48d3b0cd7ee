import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BotApiTransportError, createBotApiClient } from '../../../src/adapters/telegram/bot-api-client.ts';
import { TELEGRAM_TEXTS } from '../../../src/adapters/telegram/texts.ts';
import { UpdateQueue } from '../../../src/adapters/telegram/update-queue.ts';
import { FAKE_TOKEN, FakeBotApi, textMessage } from '../../fakes/telegram-bot-api.ts';
import { echoService, type Harness, type HarnessOptions, startHarness } from './harness.ts';

/**
 * Faults a long-polling bot meets, injected at the wire through the Bot API fake: polls cut short
 * or never answered, one chat's replies held up, 5xx outages of a set length, a send whose
 * connection drops after Telegram processed it. Each test asserts what users get, with times
 * measured against the injected delay.
 */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Fast back-off everywhere; the long-poll timeout stays Telegram's 50 s unless a test says otherwise. */
const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 100 };
const FAST_POLL_RETRY = { baseDelayMs: 20, maxDelayMs: 50 };

async function start(options: HarnessOptions = {}): Promise<Harness> {
  harness = await startHarness({
    service: echoService(),
    ...options,
    tuning: { polling: FAST_POLL_RETRY, ...options.tuning },
  });
  return harness;
}

const user = (id: number) => ({ id, is_bot: false, first_name: `U${id}` });
const ask = (id: number, text = 'who is kirby') => textMessage(text, { from: user(id) });
const warnings = (h: Harness) => h.logs.filter((line) => line.level >= 40);
const apologies = (h: Harness) => h.fake.delivered.filter((m) => m.text === TELEGRAM_TEXTS.internalError);

describe('a dropped or hung long poll (defect 1)', () => {
  it('a poll cut short under its Content-Length is noticed at once, logged without the token, and polled again', async () => {
    const h = await start({
      beforeStart: (fake) => fake.failNext({ method: 'getUpdates', status: 'truncate' }),
    });
    const dropped = await h.fake.waitFor('getUpdates');
    h.fake.push(ask(1));
    const reply = await h.fake.waitFor('sendMessage', undefined, 3000);
    // The poll's own timeout is 50 s: only noticing the closed connection can be this quick.
    expect(reply.at - dropped.at).toBeLessThan(1000);
    expect(h.fake.callsTo('getUpdates')[0]?.body.timeout).toBe(50);
    const failed = h.logs.find((l) => l.msg === 'Telegram long poll failed; polling again');
    expect(failed).toMatchObject({
      level: 40,
      err: expect.objectContaining({
        platform: 'telegram',
        method: 'getUpdates',
        message: expect.stringMatching(/closed before the answer was complete/),
      }),
    });
    expect(JSON.stringify(h.logs)).not.toContain(FAKE_TOKEN.split(':')[1]);
  });

  it('a poll that is never answered is dropped a little after its timeout and polled again', async () => {
    const h = await start({
      tuning: { polling: { ...FAST_POLL_RETRY, timeoutSeconds: 1, graceMs: 200 } },
      beforeStart: (fake) => fake.failNext({ method: 'getUpdates', status: 'hang' }),
    });
    const hung = await h.fake.waitFor('getUpdates');
    h.fake.push(ask(1));
    const reply = await h.fake.waitFor('sendMessage', undefined, 4000);
    const waited = reply.at - hung.at;
    expect(waited).toBeGreaterThanOrEqual(1150);
    expect(waited).toBeLessThan(1200 + 700);
    expect(warnings(h)).toContainEqual(
      expect.objectContaining({
        msg: 'Telegram long poll failed; polling again',
        err: expect.objectContaining({ message: expect.stringMatching(/no complete answer within 1200 ms/) }),
      }),
    );
  });

  it('keeps polling through a run of failed polls, backing off, then says it recovered', async () => {
    const h = await start({
      beforeStart: (fake) =>
        fake.failNext(
          { method: 'getUpdates', status: 502 },
          { method: 'getUpdates', status: 'reset' },
          { method: 'getUpdates', status: 429, retryAfter: 1 },
        ),
    });
    h.fake.push(ask(1));
    await h.fake.waitFor('sendMessage', undefined, 4000);
    const polls = h.fake.callsTo('getUpdates');
    // retry_after is honoured between the third failure and the next poll.
    expect((polls[3]?.at ?? 0) - (polls[2]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(h.logs.filter((l) => l.msg === 'Telegram long poll failed; polling again')).toHaveLength(3);
    expect(h.logs).toContainEqual(
      expect.objectContaining({ msg: 'Telegram long polling recovered', failedPolls: 3 }),
    );
  });
});

describe('polling ends only when Telegram refuses it', () => {
  it('a token revoked while polling (401) settles `crashed` with a hint, logged once, no more polls', async () => {
    const h = await start({ beforeStart: (fake) => fake.failNext({ method: 'getUpdates', status: 401 }) });
    expect((await h.bot.crashed).message).toMatch(/the bot token was revoked \(401 Unauthorized\)/);
    expect(h.logs.filter((l) => l.level === 50)).toHaveLength(1);
    const polls = h.fake.callsTo('getUpdates').length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.fake.callsTo('getUpdates')).toHaveLength(polls);
  });
});

describe('one slow chat does not hold up the others (defect 2)', () => {
  const STUCK = 500;
  const others = Array.from({ length: 19 }, (_, i) => 600 + i);

  it('while one chat waits out a 429 retry_after, 19 other chats are answered at once, and the slow chat keeps its order', async () => {
    const h = await start();
    h.fake.failNext({ method: 'sendMessage', chatId: STUCK, status: 429, retryAfter: 1 });
    h.fake.push(ask(STUCK, 'first'));
    const held = await h.fake.waitFor('sendMessage', (body) => body.chat_id === STUCK);
    h.fake.push(ask(STUCK, 'second'));
    for (const id of others) h.fake.push(ask(id));
    h.fake.push(ask(STUCK, 'third'));
    await h.fake.waitForCount('sendMessage', 1 + 19 + 3, 5000);
    for (const id of others) {
      const [reply] = h.fake.deliveredTo(id);
      // Well inside the 1 s the slow chat is told to wait.
      expect((reply?.at ?? Infinity) - held.at).toBeLessThan(500);
    }
    const slow = h.fake.deliveredTo(STUCK);
    expect(slow.map((m) => m.text.split('\n')[0])).toEqual([
      'You asked: first',
      'You asked: second',
      'You asked: third',
    ]);
    expect((slow[0]?.at ?? 0) - held.at).toBeGreaterThanOrEqual(950);
  });

  it('a truncated sendMessage answer in one chat: that reply counts as sent (no retry, no apology), others are not delayed', async () => {
    const h = await start();
    h.fake.failNext({ method: 'sendMessage', chatId: STUCK, status: 'truncate' });
    h.fake.push(ask(STUCK));
    const truncated = await h.fake.waitFor('sendMessage', (body) => body.chat_id === STUCK);
    for (const id of others) h.fake.push(ask(id));
    await h.fake.waitForCount('sendMessage', 20);
    for (const id of others)
      expect((h.fake.deliveredTo(id)[0]?.at ?? Infinity) - truncated.at).toBeLessThan(500);
    await h.bot.stop('test');
    expect(h.fake.deliveredTo(STUCK)).toHaveLength(1);
    expect(apologies(h)).toEqual([]);
    expect(warnings(h)).toContainEqual(
      expect.objectContaining({
        delivery: 'processed',
        msg: "Reply delivered, but the Bot API's answer was lost",
      }),
    );
  });

  it("an update past its own time limit no longer holds its chat: the chat's next update is answered", async () => {
    const h = await start({
      tuning: {
        polling: FAST_POLL_RETRY,
        handlerTimeoutMs: 300,
        retry: { ...FAST_RETRY, attemptTimeoutMs: 5000 },
      },
    });
    h.fake.failNext({ method: 'sendMessage', chatId: STUCK, status: 'hang' });
    h.fake.push(ask(STUCK, 'first'));
    const hung = await h.fake.waitFor('sendMessage', (body) => body.chat_id === STUCK);
    h.fake.push(ask(STUCK, 'second'));
    const next = await h.fake.waitFor('sendMessage', (body) =>
      String(body.text).startsWith('You asked: second'),
    );
    expect(next.at - hung.at).toBeGreaterThanOrEqual(250);
    expect(next.at - hung.at).toBeLessThan(300 + 300);
    expect(h.logs).toContainEqual(expect.objectContaining({ msg: 'Update took longer than 300 ms' }));
  });

  it('a sendMessage that is never answered is given up after its time limit, others are answered meanwhile', async () => {
    const h = await start({
      tuning: { polling: FAST_POLL_RETRY, retry: { ...FAST_RETRY, attemptTimeoutMs: 600 } },
    });
    h.fake.failNext({ method: 'sendMessage', chatId: STUCK, status: 'hang' });
    h.fake.push(ask(STUCK));
    const hung = await h.fake.waitFor('sendMessage', (body) => body.chat_id === STUCK);
    for (const id of others) h.fake.push(ask(id));
    await h.fake.waitForCount('sendMessage', 20);
    for (const id of others) expect((h.fake.deliveredTo(id)[0]?.at ?? Infinity) - hung.at).toBeLessThan(500);
    await expect.poll(() => h.logs.some((l) => l.delivery === 'unknown'), { timeout: 2000 }).toBe(true);
    // It may have arrived: not sent again, no apology.
    expect(h.fake.callsTo('sendMessage').filter((c) => c.body.chat_id === STUCK)).toHaveLength(1);
    expect(apologies(h)).toEqual([]);
  });
});

describe('replies survive an outage (defect 3)', () => {
  it('a 5xx outage of a set length: every reply is delivered exactly once after it clears', async () => {
    const OUTAGE_MS = 1500;
    const h = await start();
    const chats = Array.from({ length: 10 }, (_, i) => 700 + i);
    h.fake.failFor(OUTAGE_MS, { method: 'sendMessage', status: 502 });
    const began = performance.now();
    for (const id of chats) h.fake.push(ask(id));
    await h.fake.waitFor('sendMessage');
    await expect.poll(() => h.fake.delivered.length, { timeout: OUTAGE_MS + 2000 }).toBe(chats.length);
    for (const id of chats) {
      const received = h.fake.deliveredTo(id);
      expect(received).toHaveLength(1);
      expect(received[0]?.at ?? 0).toBeGreaterThanOrEqual(began + OUTAGE_MS - 50);
    }
    expect(h.fake.callsTo('sendMessage').length).toBeGreaterThan(chats.length * 3);
    expect(h.logs.filter((l) => l.msg === 'Bot API call given up')).toEqual([]);
  });

  it('an outage longer than the retry budget: the reply is given up and logged with its reason, no apology', async () => {
    const h = await start({ tuning: { polling: FAST_POLL_RETRY, retry: { ...FAST_RETRY, budgetMs: 400 } } });
    h.fake.failFor(5000, { method: 'sendMessage', status: 500 });
    const began = performance.now();
    h.fake.push(ask(1));
    await expect
      .poll(() => h.logs.find((l) => l.msg === 'Bot API call given up'), { timeout: 2000 })
      .toMatchObject({
        method: 'sendMessage',
        chatId: 1,
        reason: expect.stringMatching(/400 ms retry budget is spent/),
      });
    expect(performance.now() - began).toBeGreaterThanOrEqual(300);
    expect(h.logs).toContainEqual(
      expect.objectContaining({
        msg: 'Telegram refused a reply',
        err: expect.objectContaining({
          method: 'sendMessage',
          status: 500,
          message: '500: Internal Server Error',
        }),
      }),
    );
    expect(h.fake.delivered).toEqual([]);
  });

  it('a retry_after longer than the budget is not waited out: given up at once, saying so', async () => {
    const h = await start({ tuning: { polling: FAST_POLL_RETRY, retry: { ...FAST_RETRY, budgetMs: 2000 } } });
    h.fake.failNext({ method: 'sendMessage', status: 429, retryAfter: 5 });
    h.fake.push(ask(1));
    await expect
      .poll(() => h.logs.find((l) => l.msg === 'Bot API call given up'), { timeout: 1000 })
      .toMatchObject({ reason: 'retry_after 5 s is beyond the 2000 ms retry budget' });
  });
});

describe('no duplicate replies (defect 4, sendMessage)', () => {
  it('a send whose connection drops after Telegram processed it: exactly one reply, no apology', async () => {
    const h = await start();
    h.fake.failNext({ method: 'sendMessage', status: 'processed-reset' });
    h.fake.push(ask(1));
    await expect
      .poll(() => h.logs.find((l) => l.delivery === 'unknown'), { timeout: 2000 })
      .toMatchObject({ msg: expect.stringMatching(/may have been delivered/) });
    h.fake.push(ask(1, 'and then?'));
    await h.fake.waitForCount('sendMessage', 2);
    await h.bot.stop('test');
    expect(h.fake.deliveredTo(1).map((m) => m.text.split('\n')[0])).toEqual([
      'You asked: who is kirby',
      'You asked: and then?',
    ]);
    expect(apologies(h)).toEqual([]);
    expect(h.logs).toContainEqual(
      expect.objectContaining({
        msg: 'Bot API call given up',
        method: 'sendMessage',
        reason: expect.stringMatching(/not sent again/),
      }),
    );
  });
});

describe('stopping', () => {
  it('stop() keeps to its budget: a reply stuck past it is logged as unfinished, fetched updates are confirmed', async () => {
    const h = await start({
      tuning: { polling: FAST_POLL_RETRY, retry: { ...FAST_RETRY, attemptTimeoutMs: 5000 } },
    });
    h.fake.failNext({ method: 'sendMessage', status: 'hang' });
    const updateId = h.fake.push(ask(1));
    await h.fake.waitFor('sendMessage');
    const began = performance.now();
    await h.bot.stop('SIGTERM', 400);
    expect(performance.now() - began).toBeLessThan(400 + 150);
    expect(warnings(h)).toContainEqual(
      expect.objectContaining({ msg: 'Stopped with updates still being answered', updates: 1 }),
    );
    // The next instance starts after this update instead of answering it again.
    expect(h.fake.callsTo('getUpdates').at(-1)?.body).toEqual({ offset: updateId + 1, limit: 1, timeout: 0 });
  });
});

describe('idle connections', () => {
  it('a send never goes out on a connection idle long enough to have been silently dropped', async () => {
    const fake = await FakeBotApi.start({ forgetIdleConnectionsAfterMs: 300 });
    const client = createBotApiClient(fake.token, fake.url, { idleConnectionMs: 200 });
    try {
      await client.call('getMe', {}, { timeoutMs: 1000 });
      await new Promise((resolve) => setTimeout(resolve, 400));
      await expect(
        client.call('sendMessage', { chat_id: 1, text: 'hello' }, { timeoutMs: 1000 }),
      ).resolves.toMatchObject({ text: 'hello' });
      expect(fake.deliveredTo(1)).toHaveLength(1);
    } finally {
      client.close();
      await fake.close();
    }
  });
});

describe('building blocks', () => {
  const deferred = () => {
    let resolve = () => {};
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  };

  it('the update queue runs chats concurrently up to its bound, one chat in order, and forgets idle chats', async () => {
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const queue = new UpdateQueue<{ key: string; id: string }>(
      (item) => {
        started.push(item.id);
        const gate = deferred();
        gates.set(item.id, gate);
        return gate.promise;
      },
      (item) => item.key,
      2,
    );
    for (const [key, id] of [
      ['a', 'a1'],
      ['a', 'a2'],
      ['b', 'b1'],
      ['c', 'c1'],
    ])
      queue.push({ key: key ?? '', id: id ?? '' });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    await settle();
    // a2 waits for a1; c1 waits for a slot.
    expect(started).toEqual(['a1', 'b1']);
    gates.get('b1')?.resolve();
    await settle();
    expect(started).toEqual(['a1', 'b1', 'c1']);
    gates.get('a1')?.resolve();
    await settle();
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2']);
    expect(queue.size).toBe(2);
    gates.get('c1')?.resolve();
    gates.get('a2')?.resolve();
    await queue.whenAtMost(0);
    expect(queue.keys).toBe(0);
  });

  it('the Bot API client says a refused connection never reached the Bot API', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const client = createBotApiClient(FAKE_TOKEN, `http://127.0.0.1:${port}`, { idleConnectionMs: 1000 });
    const failure = client.call('sendMessage', { chat_id: 1, text: 'x' }, { timeoutMs: 1000 });
    await expect(failure).rejects.toBeInstanceOf(BotApiTransportError);
    await expect(failure).rejects.toMatchObject({ delivery: 'not-sent', code: 'ECONNREFUSED' });
    await expect(failure).rejects.not.toThrow(FAKE_TOKEN);
    client.close();
  });
});
