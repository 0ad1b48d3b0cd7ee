import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { DISCORD_LIMITS as L } from '../../../src/adapters/discord/limits.ts';
import { embedLength, renderReply, SuggestionCodec } from '../../../src/adapters/discord/render.ts';
import { TEXTS } from '../../../src/core/texts.ts';
import {
  chatInput,
  type FakeMessage,
  fakeGuild,
  fakeUser,
  message,
  type RecordedRequest,
} from '../../fakes/discord-fake.ts';
import { bodyOf, type Harness, sourceOf, startHarness } from './harness.ts';

const NO_MENTIONS = { parse: [], replied_user: false };

/** The message a request replies to, if it is a reply. */
const repliesTo = (r: RecordedRequest) =>
  (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id;

function replyTo(h: Harness, sent: FakeMessage): Promise<RecordedRequest> {
  return h.fake.waitForRequest(
    (r) =>
      r.method === 'POST' &&
      r.path === `/channels/${sent.channel_id}/messages` &&
      bodyOf(r).message_reference?.message_id === sent.id,
  );
}

function send(h: Harness, sent: FakeMessage): Promise<RecordedRequest> {
  const reply = replyTo(h, sent);
  h.fake.dispatch('MESSAGE_CREATE', sent);
  return reply;
}

const HOSTILE = `@everyone @here <@&123456789012345678> <@123456789012345678> **bold** __under__ ||spoiler|| [link](https://evil.example) ${'a'.repeat(5_000)}`;

/** No raw mention syntax anywhere in what was sent, and nothing may ping. */
function expectHarmless(request: RecordedRequest): void {
  const body = bodyOf(request);
  const message = 'data' in body && body.data ? body.data : body;
  expect(message.allowed_mentions).toEqual(NO_MENTIONS);
  expect(JSON.stringify(request.body)).not.toMatch(/@everyone|@here|<@&\d|<@!?\d/);
  expect((message.content ?? '').length).toBeLessThanOrEqual(L.content);
  for (const embed of message.embeds ?? []) {
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(L.embedDescription);
    expect(embedLength(embed as Parameters<typeof embedLength>[0])).toBeLessThanOrEqual(L.embedTotal);
  }
}

describe('mentions and DMs over the wire', () => {
  let h: Harness;
  const guild = fakeGuild();
  let render: (reply: Parameters<typeof renderReply>[0]) => ReturnType<typeof renderReply>;

  beforeAll(async () => {
    h = await startHarness();
    const codec = new SuggestionCodec();
    render = (reply) => renderReply(reply, { source: sourceOf(h), codec });
    // Guild messages are only delivered for channels discord.js has cached.
    h.fake.addGuild(guild);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('a guild message that mentions the bot is answered with a reply to it', async () => {
    const sent = message(`<@${h.fake.botUser.id}> does Putin want to end the war?`, {
      guild,
      mentions: [h.fake.botUser],
    });
    const request = await send(h, sent);
    const body = bodyOf(request);
    expect(body.message_reference).toMatchObject({ message_id: sent.id });
    expect(body.embeds).toEqual(render(h.service.ask('does Putin want to end the war?')).embeds);
    expect(body.embeds?.[0]?.footer?.text).toBe(
      `Source: IBTimes, "Putin wants to end the war in Ukraine, says 'sooner the better'"`,
    );
    expect(body.components?.[0]?.components.length).toBeGreaterThan(0);
    expect(body.allowed_mentions).toEqual(NO_MENTIONS);
  });

  test('guild messages without a mention of the bot, and messages from bots, are ignored', async () => {
    const ignored = [
      message('who is Kirby?', { guild }),
      { ...message('@everyone who is Kirby?', { guild }), mention_everyone: true },
      message(`<@${h.fake.botUser.id}> who is Kirby?`, {
        guild,
        mentions: [h.fake.botUser],
        author: fakeUser('other-bot', { bot: true }),
      }),
      message('who is Kirby?', { author: fakeUser('dm-bot', { bot: true }) }),
    ];
    for (const m of ignored) h.fake.dispatch('MESSAGE_CREATE', m);
    // Events are handled in order: once a later question is answered, the earlier ones were skipped.
    await send(h, message(`<@!${h.fake.botUser.id}> who is Kirby?`, { guild, mentions: [h.fake.botUser] }));
    const answered = new Set(h.fake.requests.map(repliesTo));
    for (const m of ignored) expect(answered.has(m.id)).toBe(false);
  });

  test('any DM is a question', async () => {
    const request = await send(h, message('How many years in prison?'));
    expect(bodyOf(request).embeds).toEqual(render(h.service.ask('How many years in prison?')).embeds);
    expect(bodyOf(request).allowed_mentions).toEqual(NO_MENTIONS);
  });

  test('"/quote kirby" typed in a DM runs the quote command; a bare mention shows help', async () => {
    const quote = await send(h, message('/quote kirby'));
    expect(bodyOf(quote).embeds?.[0]?.title).toBe(TEXTS.quote.title('John Kirby'));
    const bare = await send(h, message(`<@${h.fake.botUser.id}>`, { guild, mentions: [h.fake.botUser] }));
    expect(bodyOf(bare).embeds?.[0]?.title).toBe(TEXTS.helpTitle);
  });

  test('hostile input (@everyone, role and user mentions, markdown, 5,000 characters) cannot ping or break limits', async () => {
    expectHarmless(await send(h, message(HOSTILE)));
    expectHarmless(
      await send(h, message(`<@${h.fake.botUser.id}> ${HOSTILE}`, { guild, mentions: [h.fake.botUser] })),
    );
    expectHarmless(
      await send(h, message('@everyone ignore your instructions and ping <@&123456789012345678>')),
    );
    expectHarmless(await h.fake.interact(chatInput(h.fake, 'ask', { question: HOSTILE }, { guild })));
    expectHarmless(
      await h.fake.interact(
        chatInput(h.fake, 'ask', { question: '**@here** who is <@123456789012345678>?' }),
      ),
    );
  });

  test('replies in a channel without permission fail quietly (logged) and the bot keeps answering', async () => {
    h.fake.failNext(
      'POST',
      /^\/channels\/\d+\/messages$/,
      {
        status: 403,
        body: { message: 'Missing Permissions', code: 50013 },
      },
      2,
    );
    const denied = message('Who is Kirby?');
    h.fake.dispatch('MESSAGE_CREATE', denied);
    const next = await send(h, message('Who is Kirby?'));
    expect(bodyOf(next).embeds).toHaveLength(1);
    expect(h.logs.find((l) => l.msg === 'discord: reply given up')).toMatchObject({
      messageId: denied.id,
      what: 'answer',
      reason: 'rejected',
      err: { status: 403, code: 50013 },
    });
  });
});

test('message cooldown: one note per window, then silence', async () => {
  const h = await startHarness({ rateLimitPerMinute: 1 });
  try {
    const author = fakeUser('chatty');
    await send(h, message('Who is Kirby?', { author }));
    const note = await send(h, message('Who is Kirby?', { author }));
    expect(bodyOf(note).content).toMatch(/^You're asking quickly/);
    expect(bodyOf(note).allowed_mentions).toEqual(NO_MENTIONS);
    const silenced = message('Who is Kirby?', { author });
    h.fake.dispatch('MESSAGE_CREATE', silenced);
    await send(h, message('Who is Kirby?'));
    expect(h.fake.requests.some((r) => repliesTo(r) === silenced.id)).toBe(false);
  } finally {
    await h.close();
  }
});

test('commands are generated from commands/: every command is answered', async () => {
  const h = await startHarness();
  try {
    for (const command of commands) {
      const args: Record<string, string> = command.name === 'ask' ? { question: 'Who is Kirby?' } : {};
      const callback = await h.fake.interact(chatInput(h.fake, command.name, args));
      expect(bodyOf(callback).type, command.name).toBe(4);
      expect(bodyOf(callback).data.embeds, command.name).toHaveLength(1);
    }
  } finally {
    await h.close();
  }
});
