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
    case 'close':
      await fake?.close();
      fake = undefined;
      answer({ cmd: 'close' });
      process.disconnect?.();
  }
});
