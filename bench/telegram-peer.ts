import { Agent, request } from 'node:http';
import { FakeBotApi, textMessage } from '../test/fakes/telegram-bot-api.ts';

/**
 * The far side of the Telegram benchmark, in its own process as Telegram would be: it hosts the
 * Bot API fake and generates the load, and measures on its own clock. bench/telegram.ts forks
 * it and drives it over IPC, so the bot's process does only the bot's work (and its RSS is the
 * bot's, not the fake's).
 */

export type PeerRequest =
  | { readonly cmd: 'start' }
  | {
      readonly cmd: 'latency';
      readonly samples: number;
      readonly warmUp: number;
      readonly questions: readonly string[];
    }
  | {
      readonly cmd: 'webhook';
      readonly port: number;
      readonly path: string;
      readonly secret: string;
      readonly updates: number;
      readonly concurrency: number;
      readonly questions: readonly string[];
    }
  | { readonly cmd: 'droppedPoll'; readonly samples: number }
  | { readonly cmd: 'stuckChat'; readonly rounds: number; readonly others: number }
  | { readonly cmd: 'outage'; readonly outageMs: number; readonly updates: number; readonly settleMs: number }
  | { readonly cmd: 'close' };

export type PeerReply =
  | { readonly cmd: 'start'; readonly url: string; readonly token: string }
  | { readonly cmd: 'latency'; readonly latenciesMs: number[] }
  | {
      readonly cmd: 'webhook';
      readonly elapsedMs: number;
      readonly lostReplies: number;
      readonly extraReplies: number;
      readonly httpStatuses: Record<string, number>;
    }
  | { readonly cmd: 'droppedPoll'; readonly recoveryMs: number[] }
  | {
      readonly cmd: 'stuckChat';
      /** Latencies of other chats' updates, pushed together, with one chat stuck and without. */
      readonly whileStuckMs: number[];
      readonly normalMs: number[];
      /** How long the stuck chat was held (its retry_after). */
      readonly stuckForMs: number;
    }
  | {
      readonly cmd: 'outage';
      readonly updates: number;
      readonly lostReplies: number;
      readonly duplicatedReplies: number;
      readonly failedCalls: number;
      /** From the outage's end to the last reply. */
      readonly lastReplyAfterOutageMs: number;
    }
  | { readonly cmd: 'close' };

const user = (id: number) => ({ id, is_bot: false, first_name: 'U' });

async function latency(
  fake: FakeBotApi,
  request: Extract<PeerRequest, { cmd: 'latency' }>,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < request.warmUp + request.samples; i++) {
    const userId = 10_000 + i;
    const reply = fake.waitFor('sendMessage', (body) => body.chat_id === userId, 5000);
    const queued = performance.now();
    fake.push(textMessage(request.questions[i % request.questions.length] ?? '', { from: user(userId) }));
    const call = await reply;
    if (i >= request.warmUp) latencies.push(call.at - queued);
  }
  return latencies;
}

function post(agent: Agent, port: number, path: string, body: string, secret: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function webhook(fake: FakeBotApi, request: Extract<PeerRequest, { cmd: 'webhook' }>) {
  const agent = new Agent({ keepAlive: true, maxSockets: request.concurrency });
  const statuses: Record<string, number> = {};
  const firstUser = 100_000;
  const bodies = Array.from({ length: request.updates }, (_, i) =>
    JSON.stringify({
      update_id: i + 1,
      ...textMessage(request.questions[i % request.questions.length] ?? '', { from: user(firstUser + i) }),
    }),
  );
  const before = fake.callsTo('sendMessage').length;
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const status = await post(agent, request.port, request.path, bodies[next++] ?? '', request.secret);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: request.concurrency }, worker));
  // Each webhook response is held until its update is handled: every reply has arrived by now.
  const elapsedMs = performance.now() - started;
  agent.destroy();
  const replies = fake.callsTo('sendMessage').slice(before);
  const replied = new Set(replies.map((call) => call.body.chat_id));
  let lostReplies = 0;
  for (let i = 0; i < request.updates; i++) if (!replied.has(firstUser + i)) lostReplies++;
  return {
    elapsedMs,
    lostReplies,
    extraReplies: replies.length - (request.updates - lostReplies),
    httpStatuses: statuses,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A long poll answered 200 with a Content-Length beyond its body, then the connection closed:
 * from the broken poll reaching the fake to the reply to an update queued right then.
 */
async function droppedPoll(fake: FakeBotApi, samples: number): Promise<number[]> {
  const recovery: number[] = [];
  for (let i = 0; i < samples; i++) {
    const polls = fake.callsTo('getUpdates').length;
    fake.failNext({ method: 'getUpdates', status: 'truncate' });
    // Releases the poll already waiting, so the next one is the broken one.
    const wake = 20_000 + i;
    fake.push(textMessage('who is kirby', { from: user(wake) }));
    const broken = (await fake.waitForCount('getUpdates', polls + 1, 10_000))[polls];
    const userId = 21_000 + i;
    const reply = fake.waitFor('sendMessage', (body) => body.chat_id === userId, 10_000);
    fake.push(textMessage('who is kirby', { from: user(userId) }));
    recovery.push((await reply).at - (broken?.at ?? 0));
  }
  return recovery;
}

/** Pushes one update per chat at once; resolves with each reply's latency. */
async function burstOfChats(fake: FakeBotApi, firstUser: number, count: number): Promise<number[]> {
  const queued = performance.now();
  const replies = Array.from({ length: count }, (_, i) =>
    fake.waitFor('sendMessage', (body) => body.chat_id === firstUser + i, 10_000),
  );
  for (let i = 0; i < count; i++) fake.push(textMessage('who is kirby', { from: user(firstUser + i) }));
  return (await Promise.all(replies)).map((call) => call.at - queued);
}

/** One chat's reply held by 429 retry_after 1 s while other chats ask at the same time. */
async function stuckChat(fake: FakeBotApi, rounds: number, others: number) {
  const whileStuckMs: number[] = [];
  const normalMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    normalMs.push(...(await burstOfChats(fake, 30_000 + round * 100, others)));
    const stuck = 40_000 + round;
    fake.failNext({ method: 'sendMessage', chatId: stuck, status: 429, retryAfter: 1 });
    const held = fake.waitFor('sendMessage', (body) => body.chat_id === stuck, 10_000);
    fake.push(textMessage('who is kirby', { from: user(stuck) }));
    await held;
    whileStuckMs.push(...(await burstOfChats(fake, 50_000 + round * 100, others)));
    const until = performance.now() + 5000;
    while (fake.deliveredTo(stuck).length === 0 && performance.now() < until) await sleep(20);
  }
  return { whileStuckMs, normalMs, stuckForMs: 1000 };
}

/** Every sendMessage answers 502 for `outageMs` while updates keep arriving; then every chat is counted. */
async function outage(fake: FakeBotApi, request: Extract<PeerRequest, { cmd: 'outage' }>) {
  const firstUser = 60_000;
  const callsBefore = fake.callsTo('sendMessage').length;
  const started = performance.now();
  fake.failFor(request.outageMs, { method: 'sendMessage', status: 502 });
  for (let i = 0; i < request.updates; i++) {
    fake.push(textMessage('who is kirby', { from: user(firstUser + i) }));
    await sleep(request.outageMs / request.updates);
  }
  const ended = started + request.outageMs;
  const deadline = ended + request.settleMs;
  const answered = () => {
    let count = 0;
    for (let i = 0; i < request.updates; i++) if (fake.deliveredTo(firstUser + i).length) count++;
    return count;
  };
  while (answered() < request.updates && performance.now() < deadline) await sleep(50);
  // A little longer, so a late duplicate would be seen too.
  await sleep(500);
  let lost = 0;
  let duplicated = 0;
  let last = 0;
  for (let i = 0; i < request.updates; i++) {
    const received = fake.deliveredTo(firstUser + i);
    if (received.length === 0) lost++;
    duplicated += Math.max(0, received.length - 1);
    for (const message of received) last = Math.max(last, message.at);
  }
  return {
    updates: request.updates,
    lostReplies: lost,
    duplicatedReplies: duplicated,
    failedCalls: fake.callsTo('sendMessage').length - callsBefore - (request.updates - lost + duplicated),
    lastReplyAfterOutageMs: Math.round(last - ended),
  };
}

let fake: FakeBotApi | undefined;
const answer = (reply: PeerReply) => process.send?.(reply);

process.on('message', async (message: PeerRequest) => {
  switch (message.cmd) {
    case 'start':
      fake = await FakeBotApi.start();
      return answer({ cmd: 'start', url: fake.url, token: fake.token });
    case 'latency':
      if (!fake) throw new Error('start first');
      return answer({ cmd: 'latency', latenciesMs: await latency(fake, message) });
    case 'webhook':
      if (!fake) throw new Error('start first');
      return answer({ cmd: 'webhook', ...(await webhook(fake, message)) });
    case 'droppedPoll':
      if (!fake) throw new Error('start first');
      return answer({ cmd: 'droppedPoll', recoveryMs: await droppedPoll(fake, message.samples) });
    case 'stuckChat':
      if (!fake) throw new Error('start first');
      return answer({ cmd: 'stuckChat', ...(await stuckChat(fake, message.rounds, message.others)) });
    case 'outage':
      if (!fake) throw new Error('start first');
      return answer({ cmd: 'outage', ...(await outage(fake, message)) });
    case 'close':
      await fake?.close();
      fake = undefined;
      answer({ cmd: 'close' });
      process.disconnect?.();
  }
});
