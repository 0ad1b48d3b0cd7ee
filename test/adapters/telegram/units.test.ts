import fc from 'fast-check';
import { Telegram, TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../commands/types.ts';
import {
  commandForOtherBot,
  deepLinkQuestion,
  parseCommand,
  questionFor,
  repliedBotMessage,
} from '../../../src/adapters/telegram/addressing.ts';
import { BotApiTransportError, type Delivery } from '../../../src/adapters/telegram/bot-api-client.ts';
import { toBotCommands } from '../../../src/adapters/telegram/bot-commands.ts';
import { conversationKey, replyId } from '../../../src/adapters/telegram/conversation-keys.ts';
import { TELEGRAM_DEFAULTS } from '../../../src/adapters/telegram/defaults.ts';
import { typedAhead, withoutLeadIn } from '../../../src/adapters/telegram/inline.ts';
import {
  type Block,
  escapeHtml,
  renderMessages,
  splitPlainText,
  truncateLabel,
} from '../../../src/adapters/telegram/render.ts';
import {
  contextFor,
  retryDelayMs,
  retryingTelegram,
  withRetry,
} from '../../../src/adapters/telegram/retry.ts';
import { choiceOf, choicePayload } from '../../../src/conversation/buttons.ts';
import { createLogger } from '../../../src/logger.ts';
import { parseTelegramHtml } from '../../fakes/telegram-bot-api.ts';
import { htmlProblems, visibleText } from './harness.ts';

/** Pure pieces of the adapter, table by table; the wire tests cover how they are combined. */

const bot = { id: 42, username: 'ArticleQaBot' };
const group = { id: -1, type: 'supergroup' as const, title: 'G' };
const user = { id: 7, is_bot: false, first_name: 'U' };

function msg(text: string, extra: Record<string, unknown> = {}) {
  const entities: { type: string; offset: number; length: number }[] = [];
  const command = /^\/\S+/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const m of text.matchAll(/@\w+/g))
    entities.push({ type: 'mention', offset: m.index, length: m[0].length });
  // Built like Telegram would send it; the cast stands in for the many optional fields.
  return { message_id: 1, date: 0, chat: group, from: user, text, entities, ...extra } as never;
}

describe('escapeHtml', () => {
  it.each([
    ['<b>x</b>', '&lt;b&gt;x&lt;/b&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    ['&amp;', '&amp;amp;'],
    ['say "hi"', 'say &quot;hi&quot;'],
    ["it's", "it's"],
    ['@everyone', '@everyone'],
    ['\u200B\u202Eabc', '\u200B\u202Eabc'],
  ])('%j → %j', (input, output) => expect(escapeHtml(input)).toBe(output));
});

describe('renderMessages', () => {
  it('packs whole blocks, with quotes in blockquote under their speaker', () => {
    const blocks: Block[] = [
      { kind: 'text', text: 'Title', bold: true },
      { kind: 'text', text: 'A & B' },
      { kind: 'quote', text: '<q>', speaker: 'Kirby', context: 'in a statement' },
    ];
    expect(renderMessages(blocks, 4096)).toEqual([
      '<b>Title</b>\n\nA &amp; B\n\n<blockquote>&lt;q&gt;\n— <i>Kirby</i> · in a statement</blockquote>',
    ]);
  });

  it('moves a block to the next message rather than cutting it', () => {
    const blocks: Block[] = [
      { kind: 'text', text: 'a'.repeat(30) },
      { kind: 'text', text: 'b'.repeat(30) },
    ];
    expect(renderMessages(blocks, 40)).toEqual(['a'.repeat(30), 'b'.repeat(30)]);
  });

  it('cuts a long quote into several blockquotes, the speaker under the last', () => {
    const messages = renderMessages([{ kind: 'quote', text: 'word '.repeat(40).trim(), speaker: 'S' }], 100);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m).toMatch(/^<blockquote>[^<]*(\n— <i>S<\/i>)?<\/blockquote>$/);
    expect(messages.filter((m) => m.includes('<i>S</i>'))).toEqual([messages.at(-1)]);
  });

  it('keeps every message valid HTML within the limit, losing no text (property)', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', ' ', '\n', '&', '<', '>', '"', '😀', '\u200B', 'é', 'ש'),
      maxLength: 600,
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), text), { maxLength: 5 }),
        fc.integer({ min: 80, max: 300 }),
        (parts, limit) => {
          const blocks: Block[] = parts.map(([quote, t]) =>
            quote ? { kind: 'quote', text: t, speaker: 'S & co' } : { kind: 'text', text: t },
          );
          const messages = renderMessages(blocks, limit);
          for (const m of messages) {
            expect(m.length).toBeLessThanOrEqual(limit);
            expect(m.trim()).not.toBe('');
            expect(htmlProblems(m)).toEqual([]);
          }
          const squash = (s: string) => s.replace(/\s+|— S & co/g, '');
          expect(squash(messages.map(visibleText).join(''))).toBe(squash(parts.map(([, t]) => t).join('')));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('splitPlainText', () => {
  it('prefers paragraph, then word breaks, and never splits an entity or an emoji', () => {
    expect(splitPlainText('one two\n\nthree four', 14)).toEqual(['one two', 'three four']);
    expect(splitPlainText('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitPlainText('&&&&', 10)).toEqual(['&&', '&&']);
    expect(splitPlainText('👨‍👩‍👧👨‍👩‍👧', 10)).toEqual(['👨‍👩‍👧', '👨‍👩‍👧']);
  });
});

describe('truncateLabel', () => {
  it('keeps short labels and cuts long ones at a grapheme with an ellipsis', () => {
    expect(truncateLabel('  Who is\nKirby? ', 60)).toBe('Who is Kirby?');
    expect(truncateLabel('x'.repeat(70), 60)).toBe(`${'x'.repeat(59)}…`);
    expect(truncateLabel(`${'x'.repeat(58)}👍🏽👍🏽`, 60)).toBe(`${'x'.repeat(58)}…`);
  });

  it('cuts at the last word boundary that keeps most of the label, never inside a word', () => {
    const label = 'Why did the White House say Putin shows no sign of wanting to negotiate?';
    expect(truncateLabel(label, 60)).toBe('Why did the White House say Putin shows no sign of wanting…');
    expect(truncateLabel(label, 30)).toBe('Why did the White House say…');
  });
});

describe('withoutLeadIn: a decline standing on its own (inline results carry no suggestions)', () => {
  it.each([
    [
      "The article doesn't cover that, so I can't answer it without guessing. Here is what I can answer:",
      "The article doesn't cover that, so I can't answer it without guessing.",
    ],
    [
      'I can only read questions in English for now. Please ask in English, for example one of these:',
      'I can only read questions in English for now.',
    ],
    ['What about? Ask me a little more, for example:', 'What about?'],
    [
      "The article doesn't mention that. It reports only what was said.",
      "The article doesn't mention that. It reports only what was said.",
    ],
    ['For example:', 'For example.'],
  ])('%j', (text, expected) => {
    expect(withoutLeadIn(text)).toBe(expected);
  });
});

describe('typedAhead: a question the inline query may be the start of', () => {
  it.each([
    ['What did Putin say?', 'what did p', true],
    ['What did Putin say?', 'WHAT DID PUTIN SAY', true],
    ['How many years in prison?', 'how many years i', true],
    ['Why would Russia want peace now?', 'world cup', false],
    ['Who is John Kirby?', 'who is kirbys wife', false],
    ['Who is John Kirby?', '', false],
  ])('%j for %j: %s', (question, typed, expected) => {
    expect(typedAhead(question, typed)).toBe(expected);
  });
});

describe('the Bot API fake reads HTML as Telegram does', () => {
  const shown = (html: string) => {
    const parsed = parseTelegramHtml(html);
    return parsed.entities.map((e) => [e.type, parsed.text.slice(e.offset, e.offset + e.length)]);
  };

  it('turns tags into entities, decodes entities, and finds commands and mentions by itself', () => {
    expect(parseTelegramHtml('<b>A &amp; B</b> /help').text).toBe('A & B /help');
    expect(shown('<b>Title</b>\n- /ask &lt;question&gt;: ask (e.g. /ask who?)')).toEqual([
      ['bold', 'Title'],
      ['bot_command', '/ask'],
      ['bot_command', '/ask'],
    ]);
    expect(
      shown('type @ArticleQaBot and /quote@ArticleQaBot, not a/b, /x&lt;y or <code>/help</code>'),
    ).toEqual([
      ['mention', '@ArticleQaBot'],
      ['bot_command', '/quote@ArticleQaBot'],
      ['code', '/help'],
    ]);
    expect(shown('<a href="https://example.org/a?b=1&amp;c=2">the article</a>')[0]).toEqual([
      'text_link',
      'the article',
    ]);
  });

  it('refuses markup Telegram refuses', () => {
    expect(() => parseTelegramHtml('<b>x</i>')).toThrow(/Unmatched end tag/);
    expect(() => parseTelegramHtml('<span>x</span>')).toThrow(/Unsupported start tag "span"/);
    expect(() => parseTelegramHtml('<b>x')).toThrow(/Can't find end tag corresponding to start tag "b"/);
  });
});

describe('addressing', () => {
  it.each([
    ['/ask who', { name: 'ask', payload: 'who', explicit: false }],
    ['/ASK@articleqabot  who  ', { name: 'ask', payload: 'who', explicit: true }],
    ['/ask@OtherBot who', undefined],
    ['hello /ask', undefined],
  ])('parseCommand(%j)', (text, expected) => expect(parseCommand(msg(text), bot)).toEqual(expected));

  it.each([
    ['just chatting', {}, undefined],
    ['@ArticleQaBot who is kirby', {}, 'who is kirby'],
    ['who is kirby, @articleqabot?', {}, 'who is kirby, ?'],
    ['@someoneelse who is kirby', {}, undefined],
    ['who is kirby', { reply_to_message: { message_id: 5, from: { id: 42 } } }, 'who is kirby'],
    ['who is kirby', { reply_to_message: { message_id: 5, from: { id: 8 } } }, undefined],
    // A forum topic's messages all "reply" to its first message; that is not addressing the bot.
    [
      'who is kirby',
      { is_topic_message: true, message_thread_id: 5, reply_to_message: { message_id: 5, from: { id: 42 } } },
      undefined,
    ],
    ['who is kirby', { chat: { id: 7, type: 'private' } }, 'who is kirby'],
  ])('questionFor(%j, %j)', (text, extra, expected) =>
    expect(questionFor(msg(text, extra), bot)).toBe(expected),
  );

  it('reads text mentions of the bot (users without a username link)', () => {
    const m = msg('Bot who is kirby', {
      entities: [{ type: 'text_mention', offset: 0, length: 3, user: { id: 42 } }],
    });
    expect(questionFor(m, bot)).toBe('who is kirby');
  });

  it('turns deep-link payloads into questions', () => {
    expect(deepLinkQuestion('who_is_kirby')).toBe('who is kirby');
  });

  it.each([
    ['/ask@OtherBot who', true],
    ['/ask@ArticleQaBot who', false],
    ['/ask who', false],
    ['who /ask@OtherBot', false],
  ])('commandForOtherBot(%j) is %s', (text, expected) =>
    expect(commandForOtherBot(msg(text), bot)).toBe(expected),
  );

  it('names the bot message a reply answers, not a forum topic root', () => {
    const reply = { reply_to_message: { message_id: 5, from: { id: 42 } } };
    expect(repliedBotMessage(msg('x', reply), bot)).toBe(5);
    expect(repliedBotMessage(msg('x', { reply_to_message: { message_id: 5, from: { id: 8 } } }), bot)).toBe(
      undefined,
    );
    expect(repliedBotMessage(msg('x', { ...reply, is_topic_message: true, message_thread_id: 5 }), bot)).toBe(
      undefined,
    );
  });
});

describe('conversation keys', () => {
  const forum = { id: -5, type: 'supergroup' as const };
  it.each([
    ['a private chat is one conversation', { chat: { id: 7, type: 'private' as const } }, 7, 'telegram:7'],
    ['a group: one per user', { chat: forum }, 7, 'telegram:-5:0:7'],
    [
      'a forum topic: one per user per topic',
      { chat: forum, is_topic_message: true, message_thread_id: 3 },
      7,
      'telegram:-5:3:7',
    ],
    // Outside topics the thread id names a reply chain: replying must not start a new conversation.
    ['a reply chain is not a topic', { chat: forum, message_thread_id: 9 }, 7, 'telegram:-5:0:7'],
  ])('%s', (_name, place, userId, key) => expect(conversationKey(place, userId)).toBe(key));

  it('bot messages have their own ids, per chat', () => {
    expect(replyId(-5, 1000)).toBe('telegram:-5:1000');
    expect(replyId(-5, 1000)).not.toBe(replyId(-6, 1000));
  });
});

describe('toBotCommands', () => {
  const command = (name: string, description = 'Does things'): Command => ({
    name,
    description,
    options: [],
    parseText: () => ({}),
    run: () => ({ kind: 'smalltalk', text: 'x', suggestions: [] }),
  });

  it('maps names and descriptions', () => {
    expect(toBotCommands([command('ask', ' Ask a question ')])).toEqual([
      { command: 'ask', description: 'Ask a question' },
    ]);
  });

  it('names every invalid definition', () => {
    expect(() => toBotCommands([command('Ask'), command('x', ''), command('y'), command('y')])).toThrow(
      /"Ask": a Telegram command name[\s\S]*"x": the description must be 1-256[\s\S]*"y" is defined twice/,
    );
  });
});

describe('retry', () => {
  const policy = { ...TELEGRAM_DEFAULTS.retry, baseDelayMs: 100, maxDelayMs: 1000 };
  const tgError = (code: number, retryAfter?: number) =>
    new TelegramError({
      error_code: code,
      description: 'x',
      ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}),
    });
  const transportError = (delivery: Delivery, code = 'ECONNRESET') =>
    new BotApiTransportError('sendMessage failed', 'sendMessage', delivery, code);

  it.each([
    ['429 with retry_after', tgError(429, 3), 1, true, 3000],
    ['429 asking long (the budget decides)', tgError(429, 3600), 1, true, 3_600_000],
    ['500, first retry', tgError(500), 1, false, 75],
    ['502, third retry (capped)', tgError(502), 5, false, 750],
    ['connection refused, a send', transportError('not-sent', 'ECONNREFUSED'), 2, false, 150],
    ['reset after a send was written', transportError('unknown'), 1, false, undefined],
    ['reset after an idempotent call was written', transportError('unknown'), 2, true, 150],
    ['answer lost after the Bot API accepted it', transportError('processed'), 1, true, undefined],
    ['400 bad request', tgError(400), 1, true, undefined],
    ['403 blocked by the user', tgError(403), 1, true, undefined],
    ['a bug', new TypeError('x is undefined'), 1, true, undefined],
  ])('%s → %s ms', (_name, error, attempt, idempotent, expected) => {
    expect(retryDelayMs(error, attempt, policy, idempotent, () => 0.5)).toBe(expected);
  });

  it('gives up once the total budget is spent, saying why', async () => {
    let clock = 0;
    let calls = 0;
    const reasons: string[] = [];
    const failing = () => {
      calls++;
      clock += 10;
      return Promise.reject(tgError(500));
    };
    const retried = withRetry(
      failing,
      { ...policy, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 100 },
      {
        now: () => clock,
        onRetry: ({ delayMs }) => {
          clock += delayMs;
        },
        onGiveUp: ({ reason }) => reasons.push(reason),
      },
    );
    await expect(retried).rejects.toThrow('500: x');
    expect(calls).toBe(10);
    expect(reasons).toEqual(['still failing after 10 attempts; the 100 ms retry budget is spent']);
  });

  it('gives up at once on a retry_after beyond the budget', async () => {
    const reasons: string[] = [];
    const retried = withRetry(() => Promise.reject(tgError(429, 61)), policy, {
      onGiveUp: ({ reason }) => reasons.push(reason),
    });
    await expect(retried).rejects.toThrow('429: x');
    expect(reasons).toEqual(['retry_after 61 s is beyond the 60000 ms retry budget']);
  });
});

describe('button payloads', () => {
  it('carry the entry id within 64 bytes, and survive a restart (nothing is remembered)', () => {
    const data = choicePayload('who-is-kirby');
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(choiceOf(data)).toEqual({ entryId: 'who-is-kirby', clarifies: false });
    expect(choiceOf(choicePayload('who-is-kirby', true))).toEqual({
      entryId: 'who-is-kirby',
      clarifies: true,
    });
    expect(() => choicePayload('x'.repeat(70))).toThrow(RangeError);
  });

  it.each(['', 'x:abc', 'e:', 'e:has space', `e:${'a'.repeat(63)}`, 'q:abc123'])(
    'rejects callback data %j',
    (data) => {
      expect(choiceOf(data)).toBeUndefined();
    },
  );
});

describe('the retrying Telegram client', () => {
  it('sends typed calls through the retry policy, and gives every update context that same client', async () => {
    let calls = 0;
    const client = {
      call: async (method: string) => {
        calls++;
        if (calls === 1) throw new TelegramError({ error_code: 502, description: 'Bad Gateway' });
        return { method, id: 42, is_bot: true, first_name: 'Bot', username: 'bot' };
      },
      close: () => {},
    };
    const policy = { ...TELEGRAM_DEFAULTS.retry, baseDelayMs: 1, maxDelayMs: 2 };
    const telegram = retryingTelegram('1:x', {}, client, policy, createLogger('silent'));
    // A typed method, as a handler would call it: retried once, then the result.
    expect((await telegram.getMe()).id).toBe(42);
    expect(calls).toBe(2);
    const Ctx = contextFor(telegram);
    const ctx = new Ctx({ update_id: 1 } as never, new Telegram('1:x'), { id: 42 } as never);
    expect(ctx.telegram).toBe(telegram);
  });
});
