import {
  chatInput,
  DiscordFake,
  message as dm,
  type FakeGuild,
  type FakeUser,
  fakeGuild,
  fakeUser,
} from '../test/fakes/discord-fake.ts';

/**
 * The far side of the Discord benchmark, in its own process as Discord would be: it hosts the
 * REST + gateway fake, generates interactions and times them on its own clock. bench/discord.ts
 * forks it and drives it over IPC, so the bot's process (and its RSS) does only the bot's work.
 */

export type DiscordPeerRequest =
  | { readonly cmd: 'start' }
  | { readonly cmd: 'guild' }
  | {
      readonly cmd: 'run';
      readonly interactions: number;
      readonly concurrency: number;
      readonly questions: readonly string[];
    }
  | {
      readonly cmd: 'burst';
      /** How long every message create answers 5xx. */
      readonly burstMs: number;
      /** DM questions sent during the burst, evenly spread. */
      readonly messages: number;
      readonly questions: readonly string[];
      /** The apology text, to tell apologies from answers. */
      readonly apology: string;
      /** Give up waiting for replies this long after the burst. */
      readonly settleMs: number;
    }
  | { readonly cmd: 'close' };

export type DiscordPeerReply =
  | { readonly cmd: 'start'; readonly apiRoot: string; readonly applicationId: string }
  | { readonly cmd: 'guild' }
  | {
      readonly cmd: 'run';
      readonly elapsedMs: number;
      /** Dispatch-to-callback time of every interaction, in ms. */
      readonly latenciesMs: number[];
      /** Interactions without a callback within 5 s. */
      readonly lost: number;
      /** Callback types seen (4 = message, 5 = deferred), to prove every one was an answer. */
      readonly callbackTypes: Record<string, number>;
    }
  | {
      readonly cmd: 'burst';
      readonly sent: number;
      /** Messages that never got an answer. */
      readonly lost: number;
      /** Replies beyond the first, summed over messages (answers and apologies alike). */
      readonly duplicated: number;
      readonly apologies: number;
      /** Requests the bot made to create messages during and after the burst (its retries). */
      readonly createRequests: number;
      /** From the end of the burst to the last reply. */
      readonly lastReplyAfterBurstMs: number;
    }
  | { readonly cmd: 'close' };

let fake: DiscordFake | undefined;
let guild: FakeGuild | undefined;
// A stable pool of users, as in a real server: interaction user objects are not cached by the bot.
const users: FakeUser[] = Array.from({ length: 200 }, (_, i) => fakeUser(`user${i}`));

async function run(request: Extract<DiscordPeerRequest, { cmd: 'run' }>) {
  const current = fake;
  if (!current) throw new Error('start first');
  const latenciesMs: number[] = [];
  const callbackTypes: Record<string, number> = {};
  let lost = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < request.interactions) {
      const i = next++;
      const interaction = chatInput(
        current,
        'ask',
        { question: request.questions[i % request.questions.length] ?? '' },
        { user: users[i % users.length], ...(guild ? { guild } : {}) },
      );
      const dispatched = performance.now();
      try {
        const callback = await current.interact(interaction);
        latenciesMs.push(callback.at - dispatched);
        const type = String((callback.body as { type?: number } | undefined)?.type);
        callbackTypes[type] = (callbackTypes[type] ?? 0) + 1;
      } catch {
        lost += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: request.concurrency }, worker));
  return { elapsedMs: performance.now() - started, latenciesMs, lost, callbackTypes };
}

/**
 * A 5xx burst on message creates: each second alternates between failing before Discord acts
 * (503, nothing created) and after (502, the message exists but the bot is not told), the two
 * cases a retry must tell apart. Questions arrive as DMs throughout; then the replies are counted.
 */
async function burst(request: Extract<DiscordPeerRequest, { cmd: 'burst' }>) {
  const current = fake;
  if (!current) throw new Error('start first');
  const replies = new Map<string, { answers: number; apologies: number }>();
  let lastReplyAt = 0;
  let createRequests = 0;
  current.onDelivery = (delivery) => {
    if (delivery.kind !== 'message' || !delivery.replyTo) return;
    const entry = replies.get(delivery.replyTo);
    if (!entry) return;
    const content = (delivery.body as { content?: string } | undefined)?.content;
    if (content === request.apology) entry.apologies += 1;
    else entry.answers += 1;
    lastReplyAt = performance.now();
  };
  const messages = /^\/channels\/\d+\/messages$/;
  const started = performance.now();
  const seconds = Math.ceil(request.burstMs / 1000);
  for (let i = 0; i < seconds; i++) {
    setTimeout(() => {
      const length = Math.min(1000, request.burstMs - i * 1000);
      const afterProcessing = i % 2 === 1;
      const fault = afterProcessing
        ? { status: 502, body: { message: 'Bad Gateway' } }
        : { status: 503, body: { message: 'Service Unavailable' } };
      current.failFor('POST', messages, fault, length, { afterProcessing });
    }, i * 1000);
  }
  const counting = current.onRequest;
  current.onRequest = (r) => {
    if (r.method === 'POST' && messages.test(r.path)) createRequests += 1;
  };
  for (let i = 0; i < request.messages; i++) {
    const at = started + (i * request.burstMs) / request.messages;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
    const sent = dm(request.questions[i % request.questions.length] ?? '', {
      author: users[i % users.length],
    });
    replies.set(sent.id, { answers: 0, apologies: 0 });
    current.dispatch('MESSAGE_CREATE', sent);
  }
  const burstEnd = started + request.burstMs;
  const deadline = burstEnd + request.settleMs;
  const done = () => [...replies.values()].every((r) => r.answers + r.apologies > 0);
  while (!done() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  // A duplicate would arrive right after the first reply; wait a little for any.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  current.onDelivery = undefined;
  current.onRequest = counting;
  current.clearFaults();
  const all = [...replies.values()];
  return {
    sent: all.length,
    lost: all.filter((r) => r.answers === 0).length,
    duplicated: all.reduce((sum, r) => sum + Math.max(0, r.answers + r.apologies - 1), 0),
    apologies: all.reduce((sum, r) => sum + r.apologies, 0),
    createRequests,
    lastReplyAfterBurstMs: Math.max(0, lastReplyAt - burstEnd),
  };
}

const answer = (reply: DiscordPeerReply) => process.send?.(reply);

process.on('message', async (message: DiscordPeerRequest) => {
  switch (message.cmd) {
    case 'start':
      // Nothing is recorded, so the fake's own memory stays flat over 10,000 interactions.
      fake = await DiscordFake.start({ record: false });
      return answer({ cmd: 'start', apiRoot: fake.apiRoot, applicationId: fake.applicationId });
    case 'guild':
      guild = fakeGuild('Bench server');
      fake?.addGuild(guild);
      return answer({ cmd: 'guild' });
    case 'run':
      return answer({ cmd: 'run', ...(await run(message)) });
    case 'burst':
      return answer({ cmd: 'burst', ...(await burst(message)) });
    case 'close':
      await fake?.close();
      fake = undefined;
      answer({ cmd: 'close' });
      process.disconnect?.();
  }
});
