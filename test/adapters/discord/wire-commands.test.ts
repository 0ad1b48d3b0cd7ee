import { GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from '../../../commands/index.ts';
import type { Command } from '../../../commands/types.ts';
import { DISCORD_LIMITS as L } from '../../../src/adapters/discord/limits.ts';
import { renderReply, SuggestionCodec } from '../../../src/adapters/discord/render.ts';
import { DISCORD_TEXTS as T } from '../../../src/adapters/discord/texts.ts';
import { RateLimiter } from '../../../src/conversation/rate-limit.ts';
import { TEXTS } from '../../../src/core/texts.ts';
import { autocomplete, buttonPress, chatInput, fakeGuild, fakeUser } from '../../fakes/discord-fake.ts';
import { failingCommand } from '../../helpers/commands.ts';
import { bodyOf, type Harness, sourceOf, startHarness, type WireMessage } from './harness.ts';

const EPHEMERAL = 64;
const NO_MENTIONS = { parse: [], replied_user: false };

/** Test-only commands: one that fails, one whose autocomplete ignores every limit. */
const boom = failingCommand;
const flood: Command = {
  name: 'flood',
  description: 'Too many suggestions',
  options: [
    {
      type: 'string',
      name: 'q',
      description: 'anything',
      complete: () =>
        Array.from({ length: 40 }, (_, i) => ({
          name: `${i} ${'n'.repeat(150)}`,
          value: `${i} ${'word '.repeat(40)}`,
        })),
    },
  ],
  parseText: () => ({}),
  run: () => ({ kind: 'smalltalk', text: 'ok', suggestions: [] }),
};

/** What the callback's `data` must equal: exactly the rendered reply, on the wire. */
function wire(message: ReturnType<typeof renderReply>): WireMessage {
  return {
    embeds: message.embeds as WireMessage['embeds'],
    components: message.components as WireMessage['components'],
    allowed_mentions: NO_MENTIONS,
  };
}

describe('slash commands, autocomplete and buttons over the wire', () => {
  let h: Harness;
  const guild = fakeGuild();
  let codec: SuggestionCodec;
  const render = (reply: Parameters<typeof renderReply>[0]) =>
    renderReply(reply, { source: sourceOf(h), codec });

  beforeAll(async () => {
    h = await startHarness({ commands: [...commands, boom, flood] });
    codec = new SuggestionCodec();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('ready: identifies with guilds, guild messages and DMs only, no privileged intent', () => {
    expect(h.fake.identifies).toHaveLength(1);
    const intents = h.fake.identifies[0]?.intents;
    expect(intents).toBe(
      GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages,
    );
    const privileged =
      GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
    expect(Number(intents) & privileged).toBe(0);
    expect(h.logs.some((l) => l.msg === 'discord: logged in and listening')).toBe(true);
  });

  test('/ask answers publicly with an embed: answer, block quotes with speakers, publisher footer, buttons', async () => {
    const question = 'Does Putin want to end the war?';
    const callback = await h.fake.interact(chatInput(h.fake, 'ask', { question }, { guild }));
    const body = bodyOf(callback);
    expect(body.type).toBe(4);
    expect(body.data).toMatchObject(wire(render(h.service.ask(question))));
    expect(body.data.flags).toBeUndefined();
    expect(body.data.allowed_mentions).toEqual(NO_MENTIONS);
    const [embed] = body.data.embeds ?? [];
    expect(embed?.footer).toEqual({
      text: `Source: IBTimes, "Putin wants to end the war in Ukraine, says 'sooner the better'"`,
    });
    expect(embed?.description).toMatch(/\n\n> .+\n— \*\*Vladimir Putin\*\*/);
    expect(body.data.components?.[0]?.components.length).toBeGreaterThan(0);
  });

  test('/ask private:true answers ephemerally', async () => {
    const callback = await h.fake.interact(
      chatInput(h.fake, 'ask', { question: 'Who is John Kirby?', private: true }, { guild }),
    );
    expect(bodyOf(callback).type).toBe(4);
    expect(bodyOf(callback).data.flags).toBe(EPHEMERAL);
    expect(bodyOf(callback).data.embeds?.[0]?.description).toContain('Kirby');
  });

  test('/quote speaker:kirby shows his quote with context and the source', async () => {
    const callback = await h.fake.interact(chatInput(h.fake, 'quote', { speaker: 'kirby' }));
    const [embed] = bodyOf(callback).data.embeds ?? [];
    expect(embed?.title).toBe(TEXTS.quote.title('John Kirby'));
    expect(embed?.description).toMatch(/> .+\n— \*\*John Kirby\*\* · \*/);
    expect(embed?.footer?.text).toBe(T.footer(h.service.article.publisher, h.service.article.headline));
    expect(bodyOf(callback).data.allowed_mentions).toEqual(NO_MENTIONS);
  });

  test('/quote topic: finds a quote on that topic', async () => {
    const topic = h.service.topics()[0]?.topic ?? '';
    const callback = await h.fake.interact(chatInput(h.fake, 'quote', { topic }, { guild }));
    const reply = commands.find((c) => c.name === 'quote')?.run(h.service, { topic });
    expect(reply).toBeDefined();
    if (reply) expect(bodyOf(callback).data).toMatchObject(wire(render(reply)));
  });

  test.each([
    ['topics', TEXTS.topicsTitle],
    ['about', TEXTS.aboutTitle],
    ['help', TEXTS.helpTitle],
  ])('/%s answers with its embed and question buttons', async (name, title) => {
    const callback = await h.fake.interact(chatInput(h.fake, name, {}, { guild }));
    const body = bodyOf(callback);
    expect(body.type).toBe(4);
    expect(body.data.embeds?.[0]?.title).toBe(title);
    expect(body.data.components?.[0]?.components.length).toBeGreaterThan(0);
    expect(body.data.allowed_mentions).toEqual(NO_MENTIONS);
  });

  test('autocomplete for /ask suggests knowledge-base questions (type 8)', async () => {
    const callback = await h.fake.interact(
      autocomplete(h.fake, 'ask', { question: 'kirb' }, 'question', { guild }),
    );
    const body = bodyOf(callback);
    expect(body.type).toBe(8);
    const choices = body.data.choices ?? [];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(L.autocompleteChoices);
    expect(choices.some((c) => /kirby/i.test(c.name))).toBe(true);
    for (const c of choices) expect(c.name).toBe(c.value);
  });

  test('autocomplete for /quote topic stays within 25 choices of at most 100 characters', async () => {
    const callback = await h.fake.interact(autocomplete(h.fake, 'quote', { topic: '' }, 'topic'));
    const choices = bodyOf(callback).data.choices ?? [];
    expect(choices.length).toBe(Math.min(h.service.quoteTopics().length, L.autocompleteChoices));
  });

  test("autocomplete for /quote speaker offers the article's speakers matching what is typed", async () => {
    const callback = await h.fake.interact(autocomplete(h.fake, 'quote', { speaker: 'kir' }, 'speaker'));
    const choices = bodyOf(callback).data.choices ?? [];
    expect(choices.map((c) => c.value)).toEqual(h.service.speakers().filter((s) => /kir/i.test(s)));
    expect(choices.length).toBeGreaterThan(0);
  });

  test('autocomplete limits are enforced whatever a command returns (40 long choices → 25 valid ones)', async () => {
    const callback = await h.fake.interact(autocomplete(h.fake, 'flood', { q: 'x' }, 'q'));
    const choices = bodyOf(callback).data.choices ?? [];
    expect(choices).toHaveLength(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(L.choiceName);
      expect(c.value.length).toBeLessThanOrEqual(L.choiceValue);
      expect(c.value.endsWith(' ')).toBe(false);
    }
  });

  test('pressing a suggestion button answers its entry directly', async () => {
    const first = await h.fake.interact(chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }, { guild }));
    const button = bodyOf(first).data.components?.[0]?.components[0];
    expect(button).toBeDefined();
    if (!button) return;
    const target = codec.decode(button.custom_id);
    expect(target && 'entryId' in target).toBe(true);
    const entryId = target && 'entryId' in target ? target.entryId : '';
    const press = await h.fake.interact(buttonPress(h.fake, button.custom_id, { guild }));
    expect(bodyOf(press).type).toBe(4);
    expect(bodyOf(press).data).toMatchObject(wire(render(h.service.answerEntry(entryId))));
    expect(bodyOf(press).data.flags).toBeUndefined();
  });

  test('a button on a private answer answers privately; a stale button says so, privately', async () => {
    const privatePress = await h.fake.interact(
      buttonPress(h.fake, codec.encode({ label: 'Who is John Kirby?', entryId: 'who-is-kirby' }), {
        ephemeral: true,
      }),
    );
    expect(bodyOf(privatePress).data.flags).toBe(EPHEMERAL);
    // A button from an older knowledge base names an entry that is gone: said plainly, not guessed.
    const gone = await h.fake.interact(buttonPress(h.fake, 'e:no-such-entry', { guild }));
    expect(JSON.stringify(bodyOf(gone).data)).toContain(TEXTS.staleChoice.slice(0, 30));
    const stale = await h.fake.interact(buttonPress(h.fake, 'k:9999.0', { guild }));
    expect(bodyOf(stale).data).toMatchObject({
      content: T.staleButton,
      flags: EPHEMERAL,
      allowed_mentions: NO_MENTIONS,
    });
  });

  test('a failing command answers with an ephemeral apology and is logged; the bot keeps answering', async () => {
    const callback = await h.fake.interact(chatInput(h.fake, 'boom', {}, { guild }));
    expect(bodyOf(callback)).toEqual({
      type: 4,
      data: expect.objectContaining({ content: T.failure, flags: EPHEMERAL, allowed_mentions: NO_MENTIONS }),
    });
    const logged = h.logs.find((l) => l.msg === 'discord: interaction failed');
    expect(logged).toMatchObject({ command: 'boom', err: { message: 'kaboom' } });
    const next = await h.fake.interact(chatInput(h.fake, 'help', {}, { guild }));
    expect(bodyOf(next).type).toBe(4);
  });

  test('a command the bot does not know (stale registration) gets an ephemeral note', async () => {
    const callback = await h.fake.interact(chatInput(h.fake, 'removed', {}, { guild }));
    expect(bodyOf(callback).data).toMatchObject({ content: T.unknownCommand('removed'), flags: EPHEMERAL });
  });
});

describe('deferral and cooldown', () => {
  test('when deferring, the callback is type 5 (ephemeral if private) and the answer edits @original', async () => {
    const h = await startHarness({ deferAfterMs: 0, commands: [...commands, boom] });
    try {
      const interaction = chatInput(h.fake, 'ask', { question: 'Who is Kirby?', private: true });
      const callback = await h.fake.interact(interaction);
      expect(bodyOf(callback)).toEqual({ type: 5, data: { flags: EPHEMERAL } });
      const edit = await h.fake.waitForRequest(
        (r) =>
          r.method === 'PATCH' &&
          r.path === `/webhooks/${h.fake.applicationId}/${interaction.token}/messages/%40original`,
      );
      expect(bodyOf(edit).embeds?.[0]?.description).toContain('Kirby');
      expect(bodyOf(edit).allowed_mentions).toEqual(NO_MENTIONS);

      // A failure after deferring replaces the "thinking…" placeholder with the apology: an edit,
      // which a lost response cannot duplicate (a follow-up can), and no placeholder is left.
      const failing = chatInput(h.fake, 'boom', {}, { guild: fakeGuild() });
      expect(bodyOf(await h.fake.interact(failing))).toEqual({ type: 5, data: { flags: 0 } });
      const apology = await h.fake.waitForRequest(
        (r) =>
          r.method === 'PATCH' &&
          r.path === `/webhooks/${h.fake.applicationId}/${failing.token}/messages/%40original`,
      );
      expect(bodyOf(apology)).toMatchObject({ content: T.failure, allowed_mentions: NO_MENTIONS });
      expect(
        h.fake.requests.filter((r) =>
          r.path.startsWith(`/webhooks/${h.fake.applicationId}/${failing.token}`),
        ),
      ).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  test('time spent in a slow rate limit (Redis) counts toward the deferral: the 3 s window is kept', async () => {
    const slow = new RateLimiter({ points: 1_000, windowMs: 60_000 });
    const take = slow.take.bind(slow);
    slow.take = async (key: string) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return take(key);
    };
    const h = await startHarness({ deferAfterMs: 300, limiter: slow });
    try {
      const callback = await h.fake.interact(chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }));
      // 400 ms went to the limiter, past the 300 ms deferral point: defer at once, answer by edit.
      expect(bodyOf(callback).type).toBe(5);
    } finally {
      await h.close();
    }
  });

  test('/help and /about never count against the limit; /ask still has its one point', async () => {
    const h = await startHarness({ rateLimitPerMinute: 1 });
    try {
      const user = fakeUser('curious');
      for (const name of ['help', 'about', 'help', 'about']) {
        const free = await h.fake.interact(chatInput(h.fake, name, {}, { user }));
        expect(bodyOf(free).data.embeds, name).toHaveLength(1);
      }
      const ask = () => h.fake.interact(chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }, { user }));
      expect(bodyOf(await ask()).data.embeds).toHaveLength(1);
      expect(bodyOf(await ask()).data.content).toMatch(/^You're asking quickly/);
      // Over the limit, help still answers.
      const help = await h.fake.interact(chatInput(h.fake, 'help', {}, { user }));
      expect(bodyOf(help).data.embeds?.[0]?.title).toBe(TEXTS.helpTitle);
    } finally {
      await h.close();
    }
  });

  test('a user over the per-minute limit gets an ephemeral cooldown note; others are unaffected', async () => {
    const h = await startHarness({ rateLimitPerMinute: 2 });
    try {
      const user = fakeUser('eager');
      for (let i = 0; i < 2; i++) {
        const ok = await h.fake.interact(chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }, { user }));
        expect(bodyOf(ok).data.embeds).toHaveLength(1);
      }
      const refused = await h.fake.interact(
        chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }, { user }),
      );
      expect(bodyOf(refused).data).toMatchObject({ flags: EPHEMERAL, allowed_mentions: NO_MENTIONS });
      expect(bodyOf(refused).data.content).toMatch(/^You're asking quickly; please wait (60|59) seconds/);
      // Autocomplete is not counted, and another user still gets answers.
      const choices = await h.fake.interact(
        autocomplete(h.fake, 'ask', { question: 'kir' }, 'question', { user }),
      );
      expect(bodyOf(choices).type).toBe(8);
      const other = await h.fake.interact(chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }));
      expect(bodyOf(other).data.embeds).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
