import {
  chatInput,
  DiscordFake,
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
    case 'close':
      await fake?.close();
      fake = undefined;
      answer({ cmd: 'close' });
      process.disconnect?.();
  }
});
