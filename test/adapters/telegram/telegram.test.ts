import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import type { Command } from '../../../commands/types.ts';
import { PlatformError } from '../../../src/adapters/platform-error.ts';
import { escapeHtml, renderMessages, replyToOutgoing } from '../../../src/adapters/telegram/render.ts';
import { shortId } from '../../../src/adapters/telegram/suggestions.ts';
import { TELEGRAM_TEXTS } from '../../../src/adapters/telegram/texts.ts';
import type { Reply, Suggestion } from '../../../src/core/reply.ts';
import { TEXTS } from '../../../src/core/texts.ts';
import {
  alice,
  bob,
  callbackQuery,
  editedMessage,
  FakeBotApi,
  groupChat,
  inlineQuery,
  otherBot,
  textMessage,
} from '../../fakes/telegram-bot-api.ts';
import { failingCommand } from '../../helpers/commands.ts';

import {
  echoService,
  type Harness,
  htmlProblems,
  realService,
  startHarness,
  visibleText,
} from './harness.ts';

/**
 * The real telegraf, driven over HTTP against a local Bot API fake: every test asserts the
 * exact calls and payloads Telegram would receive.
 */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } };

/** The line under every answer naming the article in its own words (no address in this knowledge base). */
const SOURCE_LINE = `\n\n<i>Source: ${escapeHtml(realService.article.publisher)}, &quot;${escapeHtml(realService.article.headline)}&quot;</i>`;

/** What the adapter must send for a reply, rendered by hand for the simple cases. */
function keyboardFor(suggestions: readonly Suggestion[], prefix = 'e') {
  return {
    inline_keyboard: suggestions
      .slice(0, 4)
      .map((s) => [{ text: s.label, callback_data: `${prefix}:${s.entryId}` }]),
  };
}

function expectedHtml(reply: Reply): string[] {
  return renderMessages(replyToOutgoing(reply, realService.article).blocks, 4096);
}

/** The help, as the bot sends it (one message, its example buttons): the answer to any unknown command. */
function helpMessage() {
  const help = commands.find((c) => c.name === 'help') as Command;
  const reply = help.run(realService, {});
  const [text, ...more] = expectedHtml(reply);
  expect(more).toEqual([]);
  return { text, ...HTML, reply_markup: keyboardFor(reply.suggestions) };
}

const sentTo = (chatId: number) => (body: Record<string, unknown>) => body.chat_id === chatId;

describe('start-up', () => {
  it('checks the token, publishes the command menu from the definitions, then long-polls', async () => {
    const { fake, bot } = await start();
    expect(bot.mode).toBe('polling');
    expect(bot.botUsername).toBe('ArticleQaBot');
    await fake.waitFor('getUpdates');
    const methods = fake.calls.map((call) => call.method);
    expect(methods.slice(0, 3)).toEqual(['getMe', 'setMyCommands', 'deleteWebhook']);
    expect(methods[3]).toBe('getUpdates');
    expect(fake.callsTo('setMyCommands')[0]?.body).toEqual({
      commands: commands.map((c) => ({ command: c.name, description: c.description })),
    });
    expect(fake.callsTo('getUpdates')[0]?.body).toMatchObject({
      timeout: 50,
      allowed_updates: ['message', 'edited_message', 'callback_query', 'inline_query'],
    });
    // A bot set up as the README says (inline on, privacy off) gets no set-up warning.
    expect(harness?.logs.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('warns, naming the @BotFather command, when inline mode is off or privacy mode hides group messages', async () => {
    const { logs } = await start({
      botUser: { supports_inline_queries: false, can_read_all_group_messages: false },
    });
    expect(
      logs.filter((l) => l.level >= 40).map(({ level, setting, msg }) => ({ level, setting, msg })),
    ).toEqual([
      {
        level: 40,
        setting: '/setinline',
        msg: 'Inline mode is off for @ArticleQaBot: typing "@ArticleQaBot question" in other chats does nothing. Turn it on in @BotFather with /setinline.',
      },
      {
        level: 40,
        setting: '/setprivacy',
        msg:
          'Privacy mode is on for @ArticleQaBot: in groups Telegram may deliver only commands and replies to the bot, ' +
          'so plain messages like "@ArticleQaBot who is ...?" can go unanswered. Turn it off in @BotFather with ' +
          '/setprivacy (Disable), then remove and re-add the bot to each group; or make the bot a group admin.',
      },
    ]);
  });

  it('no privacy warning for a bot that cannot join groups (@BotFather /setjoingroups)', async () => {
    const { logs } = await start({
      botUser: { can_join_groups: false, can_read_all_group_messages: false },
    });
    expect(logs.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('turns a 401 from getMe into a clear error, without starting anything', async () => {
    const fake = await FakeBotApi.start();
    try {
      const failure = startHarnessWithToken(fake, '123456789:AAWrongTokenWrongTokenWrongToken_0123');
      await expect(failure).rejects.toBeInstanceOf(PlatformError);
      await expect(failure).rejects.toMatchObject({ platform: 'telegram', method: 'getMe', status: 401 });
      await expect(failure).rejects.toThrow(
        /Telegram rejected the bot token \(401 Unauthorized\)\. Check TELEGRAM_BOT_TOKEN/,
      );
      expect(fake.calls.map((call) => call.method)).toEqual(['getMe']);
    } finally {
      await fake.close();
    }
  });

  it('refuses command definitions Telegram would reject, naming the command', async () => {
    const bad: Command = { ...(commands[0] as Command), name: 'Ask-Me' };
    await expect(startHarness({ commands: [bad] })).rejects.toThrow(/"Ask-Me": a Telegram command name/);
  });
});

async function startHarnessWithToken(fake: FakeBotApi, token: string) {
  const { startTelegram } = await import('../../../src/adapters/telegram/index.ts');
  const { createLogger } = await import('../../../src/logger.ts');
  return startTelegram(
    { token, apiRoot: fake.url },
    { service: realService, commands, logger: createLogger('silent'), rateLimitPerMinute: 10 },
  );
}

describe('where answers come from', () => {
  const url = 'https://www.ibtimes.example/putin-wants-end-war';
  const linked = (): typeof realService => {
    const article = { ...realService.article, url };
    return { ...realService, article };
  };

  it("an answer ends with the publisher and headline in the article's own words, without a link when none is known", async () => {
    const { fake } = await start();
    fake.push(textMessage('who is kirby'));
    const call = await fake.waitFor('sendMessage');
    expect(String(call.body.text).endsWith(SOURCE_LINE)).toBe(true);
    expect(fake.delivered[0]?.shown.entities.some((e) => e.type === 'text_link')).toBe(false);
  });

  it("with the knowledge base's article address, the answer's headline and /start's link to it, and /about shows it", async () => {
    const service = linked();
    const { fake } = await start({ service });
    fake.push(textMessage('who is kirby'));
    fake.push(textMessage('/start'));
    const [answer, welcome] = await fake.waitForCount('sendMessage', 2);
    const { headline, publisher } = realService.article;
    expect(String(answer?.body.text)).toMatch(
      new RegExp(`<i>Source: ${publisher}, <a href="${url}">${escapeRegExp(escapeHtml(headline))}</a></i>$`),
    );
    expect(String(welcome?.body.text)).toContain(`<b><a href="${url}">${escapeHtml(headline)}</a></b>`);
    fake.push(textMessage('/about'));
    await fake.waitForCount('sendMessage', 3);
    // /about names the address in its text: Telegram makes it a link of its own.
    const about = fake.delivered[2]?.shown;
    expect(
      about?.entities
        .filter((e) => e.type === 'url')
        .map((e) => about.text.slice(e.offset, e.offset + e.length)),
    ).toEqual([url]);
    for (const message of fake.delivered.slice(0, 2)) {
      const link = message.shown.entities.find((e) => e.type === 'text_link');
      expect(link).toMatchObject({ url });
      expect(message.shown.text.slice(link?.offset, (link?.offset ?? 0) + (link?.length ?? 0))).toBe(
        headline,
      );
      expect(htmlProblems(message.text)).toEqual([]);
    }
  });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('private chats', () => {
  it('answers any text as a question, in HTML with the quote and follow-up buttons', async () => {
    const { fake } = await start();
    fake.push(textMessage('who is kirby'));
    const call = await fake.waitFor('sendMessage');
    const reply = realService.ask('who is kirby');
    expect(reply.kind).toBe('answer');
    expect(call.body).toEqual({
      chat_id: alice.id,
      text: expectedHtml(reply)[0],
      ...HTML,
      reply_markup: keyboardFor(reply.suggestions),
    });
    // The quote is in a blockquote with its speaker, and the answer text is escaped.
    expect(call.body.text).toContain(`${escapeHtml(reply.text)}\n\n<blockquote>`);
    if (reply.kind === 'answer') {
      const quote = reply.quotes[0];
      expect(call.body.text).toContain(
        `<blockquote>${escapeHtml(quote?.text ?? '')}\n— <i>${escapeHtml(quote?.speaker ?? '')}</i></blockquote>`,
      );
    }
  });
});

describe('commands', () => {
  it.each([
    ['/help', 'help', ''],
    ['/ask who is kirby', 'ask', 'who is kirby'],
    ['/quote', 'quote', ''],
    ['/quote kirby', 'quote', 'kirby'],
    ['/topics', 'topics', ''],
    ['/about', 'about', ''],
  ])('%s runs the "%s" definition and sends its reply', async (text, name, payload) => {
    const { fake } = await start();
    const command = commands.find((c) => c.name === name) as Command;
    const reply = command.run(realService, command.parseText(realService, payload));
    const expected = expectedHtml(reply);
    fake.push(textMessage(text));
    const calls = await fake.waitForCount('sendMessage', expected.length);
    expect(calls.map((call) => call.body)).toEqual(
      expected.map((html, i) => ({
        chat_id: alice.id,
        text: html,
        ...HTML,
        ...(i === expected.length - 1 && reply.suggestions.length
          ? { reply_markup: keyboardFor(reply.suggestions) }
          : {}),
      })),
    );
    for (const call of calls) expect(htmlProblems(String(call.body.text))).toEqual([]);
  });

  it('/start welcomes with the headline, the commands, the real @username for inline mode, and example buttons', async () => {
    const { fake } = await start({ botUser: { username: 'Kirby_Facts_bot' } });
    fake.push(textMessage('/start'));
    const call = await fake.waitFor('sendMessage');
    const { headline, publisher } = realService.article;
    expect(call.body).toEqual({
      chat_id: alice.id,
      text:
        `Hi! I answer questions about one news article:\n\n<b>${escapeHtml(headline)}</b>\n\n` +
        `Published by ${escapeHtml(publisher)}. Ask me anything about it in your own words, or tap an example below. ` +
        '/help lists every command. In any other chat, type @Kirby_Facts_bot and a question to share an answer there.',
      ...HTML,
      reply_markup: keyboardFor(realService.examples(4)),
    });
    // Telegram makes /help tappable and @Kirby_Facts_bot a mention of the bot.
    const shown = fake.delivered[0]?.shown;
    const tappable = shown?.entities
      .filter((e) => e.type === 'bot_command' || e.type === 'mention')
      .map((e) => [e.type, shown.text.slice(e.offset, e.offset + e.length)]);
    expect(tappable).toEqual([
      ['bot_command', '/help'],
      ['mention', '@Kirby_Facts_bot'],
    ]);
  });

  it('/start does not mention inline mode when getMe says it is off', async () => {
    const { fake } = await start({ botUser: { supports_inline_queries: false } });
    fake.push(textMessage('/start'));
    const call = await fake.waitFor('sendMessage');
    expect(String(call.body.text)).toMatch(/\/help lists every command\.$/);
    expect(String(call.body.text)).not.toContain('@ArticleQaBot');
  });

  it('/ask with nothing after it shows how to use it, with an example that works', async () => {
    const { fake } = await start();
    fake.push(textMessage('/ask'));
    const call = await fake.waitFor('sendMessage');
    const example = realService.examples(1)[0]?.label ?? '';
    expect(call.body).toEqual({
      chat_id: alice.id,
      text:
        `Type your question after the command, for example:\n/ask ${escapeHtml(example)}\n\n` +
        'In a private chat you can also just send me the question. Or tap one of these:',
      ...HTML,
      reply_markup: keyboardFor(realService.examples(4)),
    });
    // The example is what /ask answers.
    fake.push(textMessage(`/ask ${example}`));
    const answered = await fake.waitForCount('sendMessage', 2);
    expect(answered[1]?.body.text).toBe(expectedHtml(realService.ask(example))[0]);
  });

  it('/help lists every command as Telegram users type it, each one tappable', async () => {
    const { fake } = await start();
    fake.push(textMessage('/help'));
    const call = await fake.waitFor('sendMessage');
    expect(call.body).toEqual({ chat_id: alice.id, ...helpMessage() });
    const shown = fake.delivered[0]?.shown;
    if (!shown) throw new Error('expected the help message');
    const helpReply = (commands.find((c) => c.name === 'help') as Command).run(realService, {});
    const usages = helpReply.kind === 'info' ? (helpReply.commands ?? []) : [];
    expect(usages.map((u) => u.name)).toEqual(commands.map((c) => c.name));
    const lines = shown.text.split('\n').filter((line) => line.startsWith('- /'));
    expect(lines).toEqual(
      usages.map(
        (u) =>
          `- /${u.name}${u.args ? ` ${u.args}` : ''}: ${u.description}${u.example ? ` (e.g. /${u.name} ${u.example})` : ''}`,
      ),
    );
    // Every "/name" in the list, the examples' included, is a bot_command entity: a tap sends it.
    const commandsShown = shown.entities
      .filter((e) => e.type === 'bot_command')
      .map((e) => shown.text.slice(e.offset, e.offset + e.length));
    const listed = usages.flatMap((u) => (u.example ? [`/${u.name}`, `/${u.name}`] : [`/${u.name}`]));
    expect(commandsShown.slice(-listed.length)).toEqual(listed);
    expect(shown.entities[0]).toEqual({ type: 'bold', offset: 0, length: TEXTS.helpTitle.length });
  });

  it('/start with a deep-link payload answers it as a question', async () => {
    const { fake } = await start();
    fake.push(textMessage('/start who_is_kirby'));
    const call = await fake.waitFor('sendMessage');
    expect(call.body.text).toBe(expectedHtml(realService.ask('who is kirby'))[0]);
  });

  it('an unknown command gets the help in private chats, as on every platform', async () => {
    const { fake } = await start();
    fake.push(textMessage('/frobnicate now'));
    const call = await fake.waitFor('sendMessage');
    expect(call.body).toEqual({ chat_id: alice.id, ...helpMessage() });
  });
});

describe('groups', () => {
  const fromBot = (text: string) => ({
    message_id: 7,
    date: 1,
    chat: groupChat,
    from: { id: 123456789, is_bot: true, first_name: 'Article Bot', username: 'ArticleQaBot' },
    text,
  });

  it('answers commands, /ask@BotName, mentions and replies to its messages, replying to the asker', async () => {
    const { fake } = await start();
    const asked = [
      textMessage('/ask@ArticleQaBot who is kirby', { chat: groupChat }),
      textMessage('/topics', { chat: groupChat, from: bob }),
      textMessage('@ArticleQaBot who is kirby', { chat: groupChat }),
      textMessage('hey @articleqabot, how many years in prison?', { chat: groupChat, from: bob }),
      textMessage('and who is putin?', { chat: groupChat, replyTo: fromBot('John Kirby is...') }),
    ];
    const questions = [
      'who is kirby',
      undefined,
      'who is kirby',
      'hey , how many years in prison?',
      'and who is putin?',
    ];
    for (const update of asked) fake.push(update);
    const calls = await fake.waitForCount('sendMessage', asked.length);
    for (const [i, update] of asked.entries()) {
      const messageId = update.message.message_id as number;
      const call = calls.find(
        (c) => (c.body.reply_parameters as { message_id?: number })?.message_id === messageId,
      );
      expect(call?.body).toMatchObject({
        chat_id: groupChat.id,
        ...HTML,
        reply_parameters: { message_id: messageId, allow_sending_without_reply: true },
      });
      const question = questions[i];
      if (question !== undefined) expect(call?.body.text).toBe(expectedHtml(realService.ask(question))[0]);
    }
  });

  it('stays silent on chatter, commands for other bots, bare unknown commands and other bots', async () => {
    const { fake } = await start();
    const silent = [
      textMessage('who is kirby', { chat: groupChat }),
      textMessage('replying to Bob', { chat: groupChat, replyTo: { ...fromBot('x'), from: bob } }),
      textMessage('/ask@OtherBot who is kirby', { chat: groupChat }),
      // Replying to us does not make another bot's command ours.
      textMessage('/ask@OtherBot who is kirby', { chat: groupChat, replyTo: fromBot('x') }),
      textMessage('/frobnicate', { chat: groupChat }),
      textMessage('@ArticleQaBot who is kirby', { chat: groupChat, from: otherBot }),
      textMessage('who is kirby', { from: otherBot }),
      textMessage('who is kirby', { extra: { via_bot: fake.botUser } }),
      // An edit is read like a message: chatter stays chatter.
      editedMessage(textMessage('who is kirby', { chat: groupChat }), 'who is putin'),
      {
        channel_post: {
          message_id: 1,
          date: 1,
          chat: { id: -1001, type: 'channel', title: 'News' },
          text: '/ask x',
        },
      },
      { message: { message_id: 99, date: 1, chat: groupChat, from: alice, sticker: { file_id: 'f' } } },
    ];
    for (const update of silent) fake.push(update);
    const marker = textMessage('/frobnicate@ArticleQaBot', { chat: groupChat });
    fake.push(marker);
    await fake.waitFor('sendMessage');
    await fake.waitFor('getUpdates', (body) => Number(body.offset) > silent.length + 1);
    expect(fake.callsTo('sendMessage').map((call) => call.body)).toEqual([
      {
        chat_id: groupChat.id,
        ...helpMessage(),
        reply_parameters: { message_id: marker.message.message_id, allow_sending_without_reply: true },
      },
    ]);
  });

  it('a bare mention gets the help, as on Discord', async () => {
    const { fake } = await start();
    const greeting = textMessage('@ArticleQaBot', { chat: groupChat });
    fake.push(greeting);
    const call = await fake.waitFor('sendMessage');
    expect(call.body).toEqual({
      chat_id: groupChat.id,
      ...helpMessage(),
      reply_parameters: { message_id: greeting.message.message_id, allow_sending_without_reply: true },
    });
  });

  it("keeps the answer in the asker's forum topic, for buttons too", async () => {
    const { fake } = await start();
    fake.push(
      textMessage('@ArticleQaBot who is kirby', {
        chat: { ...groupChat, is_forum: true },
        extra: { is_topic_message: true, message_thread_id: 77 },
      }),
    );
    const call = await fake.waitFor('sendMessage');
    expect(call.body).toMatchObject({ chat_id: groupChat.id, message_thread_id: 77 });
    const example = realService.examples(1)[0];
    const carrying = {
      message_id: 4321,
      date: 1,
      chat: { ...groupChat, is_forum: true },
      from: fake.botUser,
      text: 'an answer',
      is_topic_message: true,
      message_thread_id: 77,
    };
    fake.push(callbackQuery(`e:${example?.entryId}`, carrying, bob));
    const pressed = await fake.waitFor('sendMessage', (body) => body.text !== call.body.text);
    expect(pressed.body).toMatchObject({
      chat_id: groupChat.id,
      message_thread_id: 77,
      reply_parameters: { message_id: 4321, allow_sending_without_reply: true },
    });
  });
});

describe('edited messages', () => {
  it('an edited question is answered again, in reply to the edited message; the same text is answered once', async () => {
    const { fake } = await start();
    const original = textMessage('who is kirbi');
    fake.push(original);
    const first = await fake.waitFor('sendMessage');
    expect(first.body.reply_parameters).toBeUndefined();
    const fixed = editedMessage(original, 'who is putin');
    fake.push(fixed);
    const second = await fake.waitForCount('sendMessage', 2);
    expect(second[1]?.body).toMatchObject({
      chat_id: alice.id,
      text: expectedHtml(realService.ask('who is putin'))[0],
      ...HTML,
      reply_parameters: { message_id: original.message.message_id, allow_sending_without_reply: true },
    });
    // The same edit again (a second update for it), and an edit of its formatting only: no answer.
    fake.push(fixed);
    fake.push(editedMessage(original, 'who is putin', Math.floor(Date.now() / 1000) + 5));
    const marker = textMessage('/about');
    fake.push(marker);
    await fake.waitForCount('sendMessage', 3);
    await fake.waitFor('getUpdates', (body) => Number(body.offset) > 5);
    expect(fake.callsTo('sendMessage').map((call) => call.body.text)).toEqual([
      first.body.text,
      second[1]?.body.text,
      expectedHtml(aboutReply())[0],
    ]);
  });

  it('in a group, an edit that now mentions the bot is answered, replying to it', async () => {
    const { fake } = await start();
    const chatter = textMessage('who is kirby', { chat: groupChat });
    fake.push(chatter);
    fake.push(editedMessage(chatter, '@ArticleQaBot who is kirby'));
    const call = await fake.waitFor('sendMessage');
    expect(call.body).toMatchObject({
      chat_id: groupChat.id,
      text: expectedHtml(realService.ask('who is kirby'))[0],
      reply_parameters: { message_id: chatter.message.message_id, allow_sending_without_reply: true },
    });
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
  });
});

function aboutReply(): Reply {
  return (commands.find((c) => c.name === 'about') as Command).run(realService, {});
}

describe('inline mode', () => {
  it('offers up to 5 distinct answers, titled by the matched question, carrying the quote', async () => {
    const { fake } = await start();
    fake.push(inlineQuery('who is kirby'));
    const call = await fake.waitFor('answerInlineQuery');
    const reply = realService.ask('who is kirby');
    if (reply.kind !== 'answer') throw new Error('the core should answer "who is kirby"');
    const results = call.body.results as Record<string, unknown>[];
    expect(call.body).toMatchObject({ inline_query_id: expect.stringMatching(/^iq/), cache_time: 300 });
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect(results.length).toBeLessThanOrEqual(5);
    expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
    expect(results[0]).toEqual({
      type: 'article',
      id: `a:${shortId(reply.entryId)}`,
      title: reply.matchedQuestion,
      description: reply.text.length <= 120 ? reply.text : expect.stringMatching(/…$/),
      input_message_content: { message_text: expectedHtml(reply)[0], ...HTML },
    });
    expect(JSON.stringify(results[0])).toContain('<blockquote>');
  });

  it('an off-article query ("world cup") offers one honest decline, not an unrelated answer', async () => {
    const { fake } = await start();
    fake.push(inlineQuery('world cup'));
    const call = await fake.waitFor('answerInlineQuery');
    expect(realService.ask('world cup').kind).toBe('decline');
    expect(call.body.results).toEqual([
      {
        type: 'article',
        id: `d:${shortId('world cup')}`,
        title: "The article doesn't cover that, so I can't answer it without guessing.",
        description: 'You asked: world cup',
        input_message_content: {
          message_text:
            "<b>You asked: world cup</b>\n\nThe article doesn't cover that, so I can't answer it without guessing.",
          ...HTML,
        },
      },
    ]);
  });

  it('a question still being typed ("what did p") offers the questions it may become, not the decline', async () => {
    const { fake } = await start();
    expect(realService.ask('what did p').kind).toBe('decline');
    fake.push(inlineQuery('what did p'));
    const call = await fake.waitFor('answerInlineQuery');
    const results = call.body.results as { id: string; title: string }[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((r) => r.id[0])).not.toContain('d');
    expect(results[0]?.title).toBe('What did Putin say?');
  });

  it('results are titled by curated questions, never by the casual sample the query matched', async () => {
    const { fake } = await start();
    const curated = new Set(realService.knowledge.entries.map((e) => e.questions[0]));
    const queries = ['kirby role?', 'whats john kirby position', 'brief summary pls'];
    for (const [i, query] of queries.entries()) fake.push(inlineQuery(query, { ...alice, id: 7000 + i }));
    const calls = await fake.waitForCount('answerInlineQuery', queries.length);
    for (const call of calls) {
      const titles = (call.body.results as { title: string }[]).map((r) => r.title);
      expect(titles.length).toBeGreaterThan(0);
      for (const title of titles) expect(curated).toContain(title);
    }
    // The casual sample did match: the title is the curated question of that entry instead.
    const matched = realService.ask('kirby role?');
    expect(matched.kind === 'answer' && !curated.has(matched.matchedQuestion)).toBe(true);
  });

  it('an empty query offers the topics', async () => {
    const { fake } = await start();
    fake.push(inlineQuery('   '));
    const call = await fake.waitFor('answerInlineQuery');
    const results = call.body.results as { title: string; description: string }[];
    const topics = realService.topics().filter((t) => realService.ask(t.example).kind === 'answer');
    expect(results.map((r) => [r.title, r.description])).toEqual(
      topics.slice(0, 5).map((t) => [t.topic, t.example]),
    );
  });
});

describe('buttons', () => {
  const botMessage = (chat: object, messageId = 1000) => ({
    message_id: messageId,
    date: 1,
    chat,
    from: { id: 123456789, is_bot: true, first_name: 'Article Bot', username: 'ArticleQaBot' },
    text: 'previous answer',
  });

  it('a follow-up button answers the callback at once, then answers its question', async () => {
    const { fake } = await start();
    fake.push(textMessage('who is kirby'));
    const first = await fake.waitFor('sendMessage');
    const button = (first.body.reply_markup as ReturnType<typeof keyboardFor>).inline_keyboard[0]?.[0];
    if (!button) throw new Error('expected follow-up buttons');
    const pressed = callbackQuery(
      button.callback_data,
      botMessage({ id: alice.id, type: 'private', first_name: 'Alice' }),
    );
    fake.push(pressed);
    const answered = await fake.waitFor('answerCallbackQuery');
    const second = await fake.waitFor('sendMessage', (body) => body.text !== first.body.text);
    expect(answered.body).toEqual({ callback_query_id: pressed.callback_query.id });
    expect(fake.calls.indexOf(answered)).toBeLessThan(fake.calls.indexOf(second));
    // The button names its entry: the answer is that entry's, without matching the label again.
    const reply = realService.answerEntry(button.callback_data.slice(2));
    if (reply.kind !== 'answer') throw new Error('a follow-up button names an entry');
    // The answer first says which question was picked: the button is on the earlier message.
    expect(reply.matchedQuestion).toBe(button.text);
    expect(second.body).toEqual({
      chat_id: alice.id,
      text: `<b>${escapeHtml(button.text)}</b>\n\n${expectedHtml(reply)[0]}`,
      ...HTML,
      ...(reply.suggestions.length ? { reply_markup: keyboardFor(reply.suggestions) } : {}),
    });
  });

  it("in a group, the button's answer replies to the message carrying the button", async () => {
    const { fake } = await start();
    const example = realService.examples(1)[0];
    if (!example) throw new Error('expected an example');
    fake.push(callbackQuery(`e:${example.entryId}`, botMessage(groupChat, 555), bob));
    const call = await fake.waitFor('sendMessage');
    expect(call.body).toMatchObject({
      chat_id: groupChat.id,
      text: `<b>${escapeHtml(example.label)}</b>\n\n${expectedHtml(realService.answerEntry(example.entryId))[0]}`,
      reply_parameters: { message_id: 555, allow_sending_without_reply: true },
    });
  });

  it('a "did you mean" choice replaces the clarification with the answer', async () => {
    const { fake } = await start({ service: echoService() });
    fake.push(textMessage('clarify please'));
    const clarification = await fake.waitFor('sendMessage');
    const choices = [
      { label: 'Who is <John> Kirby?', entryId: 'who-is-kirby' },
      { label: 'What did Putin say?', entryId: 'putin-said' },
    ];
    expect(clarification.body).toEqual({
      chat_id: alice.id,
      text: 'Did you mean:',
      ...HTML,
      reply_markup: keyboardFor(choices, 'd'),
    });
    fake.push(callbackQuery('d:who-is-kirby', botMessage({ id: alice.id, type: 'private' }, 1234)));
    const edit = await fake.waitFor('editMessageText');
    expect(edit.body).toEqual({
      chat_id: alice.id,
      message_id: 1234,
      text:
        '<b>Q: who-is-kirby</b>\n\nYou chose: who-is-kirby\n\n<blockquote>&quot;who-is-kirby&quot; &amp; more\n' +
        `— <i>&lt;Speaker &amp; Co&gt;</i></blockquote>${SOURCE_LINE}`,
      ...HTML,
      reply_markup: keyboardFor([{ label: 'More about who-is-kirby', entryId: 'more-about' }]),
    });
    expect(fake.callsTo('answerCallbackQuery')).toHaveLength(1);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
  });

  it('a label too long for a button is shortened at a word boundary', async () => {
    const long = 'What did the White House spokesman say about negotiations with Russia over Ukraine?';
    const service = { ...echoService(), examples: () => [{ label: long, entryId: 'long-one' }] };
    const { fake } = await start({ service });
    fake.push(textMessage('/start'));
    const call = await fake.waitFor('sendMessage');
    expect(call.body.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: 'What did the White House spokesman say about negotiations…', callback_data: 'e:long-one' }],
      ],
    });
  });

  it('an unknown or expired button gets a short note and no message', async () => {
    const { fake } = await start();
    const pressed = callbackQuery('q:zzzzzzzzzz', botMessage({ id: alice.id, type: 'private' }));
    fake.push(pressed);
    const answered = await fake.waitFor('answerCallbackQuery');
    expect(answered.body).toEqual({
      callback_query_id: pressed.callback_query.id,
      text: TELEGRAM_TEXTS.buttonExpired,
    });
    expect(fake.callsTo('sendMessage')).toHaveLength(0);
  });
});

describe('hostile input', () => {
  const hostile = [
    '<b>bold</b> & friends',
    '&amp; &lt;script&gt; & &',
    '@everyone @here who is kirby',
    'x'.repeat(5000),
    'who\u200B is\u200D kir\u200Cby\uFEFF?',
    '\u202Ewho is kirby\u202C \u05DE\u05D9 \u05D6\u05D4 \u0645\u0646',
    '<a href="javascript:alert(1)">x</a></blockquote><blockquote>',
    '🇺🇦👨‍👩‍👧 '.repeat(700),
  ];

  it("the real core's replies to hostile text are valid HTML within Telegram's limit", async () => {
    const { fake } = await start();
    hostile.forEach((text, i) => {
      fake.push(textMessage(text, { from: { ...alice, id: 5000 + i } }));
      fake.push(inlineQuery(text.slice(0, 256), { ...alice, id: 6000 + i }));
    });
    await fake.waitForCount('sendMessage', hostile.length);
    await fake.waitForCount('answerInlineQuery', hostile.length);
    const texts = [
      ...fake.callsTo('sendMessage').map((call) => String(call.body.text)),
      ...fake
        .callsTo('answerInlineQuery')
        .flatMap((call) => (call.body.results as { input_message_content: { message_text: string } }[]) ?? [])
        .map((r) => r.input_message_content.message_text),
    ];
    for (const html of texts) {
      expect(htmlProblems(html)).toEqual([]);
      expect(html.length).toBeLessThanOrEqual(4096);
    }
  });

  it('text echoed by the core is escaped exactly, and buttons carry it as plain text', async () => {
    const { fake } = await start({ service: echoService() });
    fake.push(textMessage('<b>bold</b> & @everyone'));
    const call = await fake.waitFor('sendMessage');
    expect(call.body).toEqual({
      chat_id: alice.id,
      text:
        'You asked: &lt;b&gt;bold&lt;/b&gt; &amp; @everyone\n\n' +
        `<blockquote>&quot;&lt;b&gt;bold&lt;/b&gt; &amp; @everyone&quot; &amp; more\n— <i>&lt;Speaker &amp; Co&gt;</i></blockquote>${SOURCE_LINE}`,
      ...HTML,
      reply_markup: keyboardFor([{ label: 'More about <b>bold</b> & @every', entryId: 'more-about' }]),
    });
  });

  it('a 5,000-character reply is split into valid messages, buttons under the last, nothing lost', async () => {
    const { fake } = await start({ service: echoService() });
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}&`).join(' ');
    fake.push(textMessage(words));
    await fake.waitFor('sendMessage', (body) => body.reply_markup !== undefined, 5000);
    const calls = fake.callsTo('sendMessage');
    expect(calls.length).toBeGreaterThan(1);
    for (const [i, call] of calls.entries()) {
      const html = String(call.body.text);
      expect(html.length).toBeLessThanOrEqual(4096);
      expect(htmlProblems(html)).toEqual([]);
      expect(call.body.reply_markup === undefined).toBe(i < calls.length - 1);
    }
    const seen = calls.map((call) => visibleText(String(call.body.text))).join(' ');
    // Every word survives, once in the answer and once in the quote, none cut in half.
    for (const i of [0, 1, 500, 998, 999])
      expect(seen.split(/\s+|"/).filter((w) => w === `w${i}&`)).toHaveLength(2);
  });
});

describe('robustness', () => {
  it('honours 429 retry_after on sendMessage: the reply still arrives', async () => {
    const { fake, logs } = await start();
    fake.failNext({ method: 'sendMessage', status: 429, retryAfter: 1 });
    fake.push(textMessage('who is kirby'));
    const [failed, delivered] = await fake.waitForCount('sendMessage', 2, 5000);
    expect(delivered?.body).toEqual(failed?.body);
    expect((delivered?.at ?? 0) - (failed?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(logs.some((l) => l.msg === 'Bot API call failed, retrying' && l.delayMs === 1000)).toBe(true);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('retries a 500 with back-off, and keeps answering afterwards', async () => {
    const { fake, logs } = await start();
    fake.failNext({ method: 'sendMessage', status: 500 }, { method: 'answerInlineQuery', status: 502 });
    fake.push(textMessage('who is kirby'));
    fake.push(inlineQuery('who is kirby', bob));
    const [failed, delivered] = await fake.waitForCount('sendMessage', 2);
    expect(delivered?.body).toEqual(failed?.body);
    await fake.waitForCount('answerInlineQuery', 2);
    fake.push(textMessage('how many years in prison'));
    await fake.waitForCount('sendMessage', 3);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('a connection dropped after a send was written is not retried (it may have arrived); an idempotent call is', async () => {
    const { fake, logs } = await start();
    fake.failNext(
      { method: 'sendMessage', status: 'reset' },
      { method: 'answerInlineQuery', status: 'reset' },
    );
    fake.push(textMessage('who is kirby'));
    fake.push(inlineQuery('who is kirby', bob));
    const [dropped, delivered] = await fake.waitForCount('answerInlineQuery', 2);
    expect(delivered?.body).toEqual(dropped?.body);
    await expect
      .poll(() => logs.some((l) => l.msg === 'Bot API call given up' && l.method === 'sendMessage'))
      .toBe(true);
    await harness?.bot.stop('test');
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        delivery: 'unknown',
        msg: expect.stringMatching(/may have been delivered/),
      }),
    );
  });

  it('start-up survives a 5xx on getMe; a 409 while polling is logged with its cause', async () => {
    const { logs, bot } = await start({
      beforeStart: (fake) =>
        fake.failNext({ method: 'getMe', status: 502 }, { method: 'getUpdates', status: 409 }),
    });
    expect((await bot.crashed).message).toMatch(/409 Conflict/);
    await expect
      .poll(() => logs.find((l) => l.level === 50)?.msg, { timeout: 2000 })
      .toMatch(/another process is polling with this token, or a webhook is set \(409 Conflict\)/);
  });

  it('/help and /about never count against the rate limit; a question still has its point', async () => {
    const { fake } = await start({ rateLimitPerMinute: 1 });
    for (const text of ['/help', '/about', '/help@ArticleQaBot', '/about']) fake.push(textMessage(text));
    fake.push(textMessage('who is kirby'));
    fake.push(textMessage('who is kirby'));
    fake.push(textMessage('/help'));
    const sent = await fake.waitForCount('sendMessage', 7);
    const texts = sent.map((call) => String(call.body.text));
    expect(texts.filter((t) => t.includes(escapeHtml(TEXTS.helpTitle)))).toHaveLength(3);
    expect(texts.filter((t) => t.includes(escapeHtml(TEXTS.aboutTitle)))).toHaveLength(2);
    expect(texts.filter((t) => /John Kirby is/.test(t))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith("You're"))).toHaveLength(1);
  });

  it('a per-user rate limit sends one friendly note, then stays quiet', async () => {
    const { fake } = await start({ rateLimitPerMinute: 2 });
    for (let i = 0; i < 5; i++) fake.push(textMessage('who is kirby'));
    fake.push(textMessage('who is kirby', { from: bob }));
    await fake.waitFor('sendMessage', sentTo(bob.id));
    await fake.waitForCount('sendMessage', 4);
    // stop() answers every update already fetched: nothing more can reach Alice after it.
    await harness?.bot.stop('test');
    const toAlice = fake.callsTo('sendMessage').filter((call) => call.body.chat_id === alice.id);
    expect(toAlice).toHaveLength(3);
    const note = toAlice.find((call) => String(call.body.text).startsWith("You're"));
    // A fixed one-minute window from the first question: the wait left is just under a minute.
    const wait = Number(/\d+/.exec(String(note?.body.text))?.[0]);
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);
    expect(note?.body).toEqual({
      chat_id: alice.id,
      text: escapeHtml(TELEGRAM_TEXTS.slowDown(wait)),
      ...HTML,
    });
  });

  it('bot.catch keeps one failing update from stopping the bot, and tells the user', async () => {
    const { fake, logs } = await start({ commands: [...commands, failingCommand] });
    fake.push(textMessage('/boom'));
    const note = await fake.waitFor('sendMessage');
    expect(note.body).toEqual({ chat_id: alice.id, text: TELEGRAM_TEXTS.internalError });
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'Failed to handle a Telegram update',
        err: expect.objectContaining({ platform: 'telegram', method: 'handle update', message: 'kaboom' }),
      }),
    );
    fake.push(textMessage('/about'));
    await fake.waitForCount('sendMessage', 2);
  });

  it('a time limit per update: a stuck reply is abandoned and logged, the bot carries on', async () => {
    const { fake, logs } = await start({ tuning: { handlerTimeoutMs: 100 } });
    fake.slowNext('sendMessage', 400);
    fake.push(textMessage('who is kirby'));
    await fake.waitFor('sendMessage');
    await expect
      .poll(() => logs.some((l) => l.msg === 'Update took longer than 100 ms'), { timeout: 2000 })
      .toBe(true);
    fake.push(textMessage('who is kirby', { from: bob }));
    await fake.waitFor('sendMessage', sentTo(bob.id));
  });

  it('stop() lets an in-flight reply finish (polling)', async () => {
    const { fake, bot } = await start();
    fake.slowNext('sendMessage', 300);
    fake.push(textMessage('who is kirby'));
    const call = await fake.waitFor('sendMessage');
    await bot.stop('SIGTERM');
    expect(performance.now() - call.at).toBeGreaterThanOrEqual(250);
    expect(harness?.logs.filter((l) => l.level >= 40)).toEqual([]);
  });
});

function post(port: number, path: string, body: unknown, secret?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
        },
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

describe('webhook mode', () => {
  const webhook = { url: 'https://bot.example.test/telegram/hook', port: 0, secret: 's3cret-Token_1' };

  it('registers the webhook with its secret, answers updates posted with it, and refuses others with 403', async () => {
    const { fake, bot } = await start({ webhook });
    expect(bot.mode).toBe('webhook');
    expect(fake.calls.map((call) => call.method)).toEqual(['getMe', 'setMyCommands', 'setWebhook']);
    expect(fake.callsTo('setWebhook')[0]?.body).toEqual({
      url: webhook.url,
      secret_token: webhook.secret,
      allowed_updates: ['message', 'edited_message', 'callback_query', 'inline_query'],
    });
    const port = bot.webhookPort ?? 0;
    const update = (id: number, from = alice) => ({
      update_id: id,
      ...textMessage('who is kirby', { from }),
    });

    expect(await post(port, '/telegram/hook', update(1, bob), 'wrong-secret')).toBe(403);
    expect(await post(port, '/telegram/hook', update(2, bob))).toBe(403);
    expect(await post(port, '/elsewhere', update(3, bob), webhook.secret)).toBe(403);
    expect(await post(port, '/telegram/hook', update(4), webhook.secret)).toBe(200);
    // The reply goes to the Bot API, never into the webhook response: the fake has it by now.
    const call = await fake.waitFor('sendMessage');
    expect(call.body).toMatchObject({
      chat_id: alice.id,
      text: expectedHtml(realService.ask('who is kirby'))[0],
    });
    expect(fake.callsTo('sendMessage').filter((c) => c.body.chat_id === bob.id)).toEqual([]);
  });

  it('without a configured secret, registers a random one, so unsigned posts still get 403; huge bodies get 413', async () => {
    const { fake, bot } = await start({ webhook: { url: 'https://bot.example.test/tg', port: 0 } });
    const secret = String(fake.callsTo('setWebhook')[0]?.body.secret_token);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const port = bot.webhookPort ?? 0;
    expect(await post(port, '/tg', { update_id: 1, ...textMessage('hi') })).toBe(403);
    expect(await post(port, '/tg', { update_id: 2, ...textMessage('x'.repeat(1_100_000)) }, secret)).toBe(
      413,
    );
    expect(await post(port, '/tg', { update_id: 3, ...textMessage('who is kirby') }, secret)).toBe(200);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
  });

  it('stop() waits for the update in progress before closing', async () => {
    const { fake, bot } = await start({ webhook });
    fake.slowNext('sendMessage', 300);
    const status = post(
      bot.webhookPort ?? 0,
      '/telegram/hook',
      { update_id: 1, ...textMessage('who is kirby') },
      webhook.secret,
    );
    const call = await fake.waitFor('sendMessage');
    await bot.stop('SIGTERM');
    expect(performance.now() - call.at).toBeGreaterThanOrEqual(250);
    expect(await status).toBe(200);
  });
});
