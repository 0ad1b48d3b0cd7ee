import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { DISCORD_TEXTS as T } from '../../../src/adapters/discord/texts.ts';
import {
  autocomplete,
  buttonPress,
  chatInput,
  type FakeInteraction,
  fakeGuild,
  message,
} from '../../fakes/discord-fake.ts';
import { bodyOf, collectUnhandledRejections, type Harness, quiet, startHarness } from './harness.ts';

/**
 * Gateway packets discord.js cannot build objects from. Before the guard each of these threw
 * inside discord.js's packet handler: an unhandled rejection and no response at all.
 */

const EPHEMERAL = 64;
const callbackPath = (i: Readonly<Record<string, unknown>>) =>
  `/interactions/${String(i.id)}/${String(i.token)}/callback`;

let unhandled: ReturnType<typeof collectUnhandledRejections>;
let h: Harness;
const guild = fakeGuild();
beforeAll(async () => {
  unhandled = collectUnhandledRejections();
  h = await startHarness();
  h.fake.addGuild(guild);
});
afterAll(async () => {
  await h?.close();
  unhandled.stop();
});
afterEach(() => {
  expect(unhandled.reasons.splice(0)).toEqual([]);
});

/** Dispatches a (possibly broken) interaction and resolves with its callback body. */
async function callbackFor(interaction: Record<string, unknown>) {
  const request = await h.fake.interact(interaction as FakeInteraction, 2_000);
  return bodyOf(request);
}

function without<T extends Record<string, unknown>>(value: T, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

const stillAnswers = async () => {
  const body = await callbackFor(chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }));
  expect(body.type).toBe(4);
  expect(body.data.embeds).toHaveLength(1);
};

describe('malformed interactions are answered with an ephemeral apology and logged', () => {
  test.each([
    ['no user and no member', (i: FakeInteraction) => without(i, 'user', 'member')],
    ['no data', (i: FakeInteraction) => without(i, 'data')],
    [
      'options that are not an array',
      (i: FakeInteraction) => ({ ...i, data: { ...(i.data as object), options: 'question=kirby' } }),
    ],
    ['no entitlements', (i: FakeInteraction) => without(i, 'entitlements')],
  ])('a slash command with %s', async (_name, breakIt) => {
    const broken = breakIt(chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }));
    const body = await callbackFor(broken);
    expect(body).toEqual({
      type: 4,
      data: { content: T.failure, flags: EPHEMERAL, allowed_mentions: { parse: [], replied_user: false } },
    });
    const logged = h.logs.find(
      (l) =>
        l.msg === 'discord: malformed interaction; answering with an apology' &&
        l.interactionId === broken.id,
    );
    expect(logged?.problems).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(JSON.stringify(logged)).not.toContain(String(broken.token));
    await stillAnswers();
  });

  test('a guild slash command whose member has no user', async () => {
    const valid = chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }, { guild });
    const broken = { ...valid, member: { ...(valid.member as object), user: undefined } };
    expect((await callbackFor(broken)).data.content).toBe(T.failure);
  });

  test('autocomplete with options that are not an array → no choices (type 8), not silence', async () => {
    const valid = autocomplete(h.fake, 'ask', { question: 'kir' }, 'question');
    const body = await callbackFor({
      ...valid,
      data: { ...(valid.data as object), options: { question: 'kir' } },
    });
    expect(body).toEqual({ type: 8, data: { choices: [] } });
  });

  test('a button press without its message → an apology', async () => {
    const body = await callbackFor(without(buttonPress(h.fake, 'a:Who is Kirby?'), 'message'));
    expect(body.data.content).toBe(T.failure);
  });

  test('an interaction without a usable id or token is ignored, and says so in the log', async () => {
    const broken = { ...chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }), token: null };
    h.fake.dispatch('INTERACTION_CREATE', broken);
    await quiet(h, 200);
    expect(h.fake.requests.some((r) => r.path.includes(broken.id))).toBe(false);
    expect(
      h.logs.some(
        (l) =>
          l.msg === 'discord: malformed interaction ignored (nowhere to answer)' &&
          l.interactionId === broken.id,
      ),
    ).toBe(true);
  });
});

type Breakage = (m: Record<string, unknown>) => Record<string, unknown>;

describe('malformed messages are ignored deliberately', () => {
  test.each<[string, Breakage]>([
    ['no author', (m) => without(m, 'author')],
    ['an author without an id', (m) => ({ ...m, author: { username: 'x' } })],
    ['no content', (m) => without(m, 'content')],
    ['mentions that are not an array', (m) => ({ ...m, mentions: 'everyone' })],
  ])('a DM with %s', async (_name, breakIt) => {
    const broken = breakIt({ ...message('Who is Kirby?') });
    h.fake.dispatch('MESSAGE_CREATE', broken);
    await quiet(h, 200);
    expect(h.fake.requests.some((r) => r.path === `/channels/${String(broken.channel_id)}/messages`)).toBe(
      false,
    );
    expect(
      h.logs.some((l) => l.msg === 'discord: malformed message ignored' && l.messageId === broken.id),
    ).toBe(true);
    // The next, well-formed message is answered.
    const next = message('Who is Kirby?');
    h.fake.dispatch('MESSAGE_CREATE', next);
    const reply = await h.fake.waitForRequest(
      (r) => r.path === `/channels/${next.channel_id}/messages`,
      2_000,
    );
    expect(bodyOf(reply).embeds).toHaveLength(1);
  });
});

describe('no field, missing or null, makes a packet throw unhandled', () => {
  const breakages = [
    (value: Record<string, unknown>, key: string) => without(value, key),
    (value: Record<string, unknown>, key: string) => ({ ...value, [key]: null }),
    (value: Record<string, unknown>, key: string) => ({ ...value, [key]: 'x' }),
  ];

  test('every top-level field of a slash command, a button press and an autocomplete', async () => {
    const makers = [
      () => chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }, { guild }),
      () => buttonPress(h.fake, 'a:Who is Kirby?'),
      () => autocomplete(h.fake, 'ask', { question: 'kir' }, 'question'),
    ];
    for (const make of makers) {
      for (const key of Object.keys(make())) {
        for (const breakIt of breakages) {
          const valid = make();
          const broken = breakIt(valid, key);
          const logged = h.logs.length;
          h.fake.dispatch('INTERACTION_CREATE', broken);
          // Answered (normally or with an apology), or logged as ignored: never silence.
          await waitFor(
            () =>
              h.fake.requests.some((r) => r.path === callbackPath(broken)) ||
              h.logs.slice(logged).some((l) => /malformed/.test(l.msg)),
            `${key} → ${JSON.stringify(broken[key])}`,
          );
        }
      }
    }
    await quiet(h, 200);
    await stillAnswers();
  });

  test('every top-level field of a message', async () => {
    for (const key of Object.keys(message('Who is Kirby?'))) {
      for (const breakIt of breakages) {
        const valid = message('Who is Kirby?');
        h.fake.dispatch('MESSAGE_CREATE', breakIt(valid, key));
        await waitFor(
          () =>
            h.fake.requests.some((r) => r.path === `/channels/${valid.channel_id}/messages`) ||
            h.logs.some((l) => l.messageId === valid.id && /malformed|ignored|given up/.test(l.msg)),
          key,
          // Some breakages leave a message discord.js reads as not addressed to the bot: silence is right.
          true,
        );
      }
    }
    await quiet(h, 200);
    await stillAnswers();
  });
});

describe('the unknown-command note', () => {
  test.each([
    ['**bold**', '\\*\\*bold\\*\\*'],
    ['__x__', '\\_\\_x\\_\\_'],
    ['~~gone~~', '\\~\\~gone\\~\\~'],
  ])('escapes Markdown in the command name %s', async (name, shown) => {
    const body = await callbackFor(chatInput(h.fake, name));
    expect(body.data.content).toBe(T.unknownCommand(shown));
    expect(body.data.flags).toBe(EPHEMERAL);
  });
});

async function waitFor(check: () => boolean, what: string, silenceIsFine = false): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > (silenceIsFine ? 150 : 2_000)) {
      if (silenceIsFine) return;
      throw new Error(`neither answered nor logged: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
