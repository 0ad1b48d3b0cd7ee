import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { renderMessages, replyToOutgoing } from '../../../src/adapters/telegram/render.ts';
import { TELEGRAM_TEXTS } from '../../../src/adapters/telegram/texts.ts';
import { ConversationLayer, type IncomingEvent } from '../../../src/conversation/layer.ts';
import type { QaService } from '../../../src/core/service.ts';
import {
  alice,
  bob,
  callbackQuery,
  type DeliveredMessage,
  FakeBotApi,
  groupChat,
  privateChat,
  textMessage,
} from '../../fakes/telegram-bot-api.ts';
import { type Harness, realService, startHarness, visibleText } from './harness.ts';

/**
 * Conversations at the wire: the real telegraf against the Bot API fake, the real core and the
 * real conversation layer. Each test asks what a reader would, and reads what the chat shows.
 */

const harnesses: Harness[] = [];
const fakes: FakeBotApi[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  for (const f of fakes.splice(0)) await f.close();
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const harness = await startHarness(options);
  harnesses.push(harness);
  return harness;
}

/** Pushes a message and resolves with the reply the chat shows for it (the last part, if split). */
async function say(
  fake: FakeBotApi,
  update: { message: Record<string, unknown> },
): Promise<DeliveredMessage> {
  const before = fake.delivered.length;
  fake.push(update);
  await expect.poll(() => fake.delivered.length, { timeout: 3000 }).toBeGreaterThan(before);
  const answer = fake.delivered.at(-1) as DeliveredMessage;
  return { ...answer, text: visibleText(answer.text) };
}

/** One of the bot's messages, as Telegram nests it in a reply or a callback query. */
function botMessage(fake: FakeBotApi, sent: DeliveredMessage, chat: object) {
  return { message_id: sent.messageId, date: 1, chat, from: fake.botUser, text: sent.text };
}

const mention = (text: string) => `@ArticleQaBot ${text}`;
const BIDEN_QUOTE = 'seriousness about negotiations';
/** What the bot says to a message read on its own, with no conversation before it. */
const alone = (text: string) => realService.ask(text);

describe('conversations on Telegram', () => {
  it('a private-chat follow-up is read against the question before it', async () => {
    const { fake } = await start();
    await say(fake, textMessage('who is kirby'));
    const followUp = await say(fake, textMessage('what did he say about biden'));
    expect(followUp.chatId).toBe(alice.id);
    expect(followUp.text).toContain(BIDEN_QUOTE);
    // The same words after another question are about that one: the context decides.
    await say(fake, textMessage('who is zelensky', { from: bob }));
    const other = await say(fake, textMessage('what did he say about biden', { from: bob }));
    expect(other.chatId).toBe(bob.id);
    expect(other.text).not.toContain(BIDEN_QUOTE);
  });

  it('two users interleaving in one group each keep their own context', async () => {
    const { fake } = await start();
    await say(fake, textMessage(mention('who is kirby'), { chat: groupChat, from: alice }));
    await say(fake, textMessage(mention('who is zelensky'), { chat: groupChat, from: bob }));
    const asAlice = textMessage(mention('what did he say about biden'), { chat: groupChat, from: alice });
    const aliceFollowUp = await say(fake, asAlice);
    const bobFollowUp = await say(
      fake,
      textMessage(mention('what did he say about biden'), { chat: groupChat, from: bob }),
    );
    // Alice's "he" is Kirby, though Bob asked about Zelenskiy after her; Bob's is not Kirby.
    expect(aliceFollowUp.text).toContain(BIDEN_QUOTE);
    expect(bobFollowUp.text).not.toContain(BIDEN_QUOTE);
    const replies = fake.callsTo('sendMessage').map((call) => call.body.reply_parameters);
    expect(replies[2]).toEqual({ message_id: asAlice.message.message_id, allow_sending_without_reply: true });
  });

  it("a reply to an older bot message resumes that message's context", async () => {
    const { fake } = await start();
    const first = await say(fake, textMessage('who is zelensky'));
    expect(first.text).toContain('Zelenskiy');
    const second = await say(fake, textMessage('how many years in prison'));
    expect(second.text).not.toContain('Zelenskiy');
    const resumed = await say(
      fake,
      textMessage('what did he do', { replyTo: botMessage(fake, first, privateChat(alice)) }),
    );
    expect(resumed.text).toContain('Zelenskiy');
    // Read against the latest answer instead, the same words are about the prison law.
    const latest = await say(fake, textMessage('what did he do', { from: bob }));
    expect(latest.text).not.toContain('Zelenskiy');
  });

  it('in a group, a reply to the bot resumes the context of the message replied to', async () => {
    const { fake } = await start();
    const first = await say(fake, textMessage(mention('who is zelensky'), { chat: groupChat }));
    await say(fake, textMessage(mention('how many years in prison'), { chat: groupChat }));
    // No mention needed: a reply to the bot is addressed to it.
    const resumed = await say(
      fake,
      textMessage('what did he do', { chat: groupChat, replyTo: botMessage(fake, first, groupChat) }),
    );
    expect(resumed.text).toContain('Zelenskiy');
  });

  it("a reply to the answer of /ask or of a suggestion button resumes that answer's context", async () => {
    const { fake } = await start();
    const asked = await say(fake, textMessage('/ask@ArticleQaBot who is zelensky', { chat: groupChat }));
    expect(asked.text).toContain('Zelenskiy');
    await say(fake, textMessage(mention('how many years in prison'), { chat: groupChat }));
    const toCommand = await say(
      fake,
      textMessage('what did he do', { chat: groupChat, replyTo: botMessage(fake, asked, groupChat) }),
    );
    expect(toCommand.text).toContain('Zelenskiy');

    const kirby = alone('who is kirby');
    if (kirby.kind !== 'answer') throw new Error('the core should answer "who is kirby"');
    const before = fake.delivered.length;
    fake.push(callbackQuery(`e:${kirby.entryId}`, botMessage(fake, toCommand, groupChat), alice));
    await expect.poll(() => fake.delivered.length).toBeGreaterThan(before);
    const pressed = fake.delivered.at(-1) as DeliveredMessage;
    await say(fake, textMessage(mention('who is zelensky'), { chat: groupChat }));
    const toButton = await say(
      fake,
      textMessage('what did he say about biden', {
        chat: groupChat,
        replyTo: botMessage(fake, pressed, groupChat),
      }),
    );
    expect(toButton.text).toContain(BIDEN_QUOTE);
  });

  it('in a forum, each topic is its own conversation', async () => {
    const { fake } = await start();
    const forum = { ...groupChat, is_forum: true as const };
    const inTopic = (thread: number, text: string) =>
      textMessage(mention(text), {
        chat: forum,
        extra: { is_topic_message: true, message_thread_id: thread },
      });
    await say(fake, inTopic(11, 'who is zelensky'));
    const elsewhere = await say(fake, inTopic(22, 'what did he do'));
    expect(elsewhere.text).not.toContain('Zelenskiy');
    const same = await say(fake, inTopic(11, 'what did he do'));
    expect(same.text).toContain('Zelenskiy');
    expect(fake.callsTo('sendMessage').map((call) => call.body.message_thread_id)).toEqual([11, 22, 11]);
  });

  it('with the reply store down, replies to the bot are still answered (without their context)', async () => {
    const down = async () => {
      throw new Error('store unreachable');
    };
    const failed: string[] = [];
    const layer = new ConversationLayer(realService, commands, {
      replies: { get: down, set: down, delete: down },
      onStoreError: (_error, operation) => failed.push(operation),
    });
    const { fake, logs } = await start({ layer });
    const first = await say(fake, textMessage('who is zelensky'));
    await say(fake, textMessage('how many years in prison'));
    const reply = await say(
      fake,
      textMessage('what did he do', { replyTo: botMessage(fake, first, privateChat(alice)) }),
    );
    // Read against the latest context, as if it were not a reply; no apology follows it.
    expect(reply.text).not.toContain('Zelenskiy');
    await expect.poll(() => failed).toEqual(['set', 'set', 'get', 'set']);
    expect(fake.delivered).toHaveLength(3);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('if keeping a reply context throws, the delivered answer gets no apology under it', async () => {
    class FailingSent extends ConversationLayer {
      override async sent(): Promise<void> {
        throw new Error('layer broke');
      }
    }
    const { fake, logs } = await start({ layer: new FailingSent(realService, commands) });
    const answer = await say(fake, textMessage('who is kirby'));
    expect(answer.text).toContain('Kirby');
    await expect.poll(() => logs.some((l) => l.msg === 'Reply context not kept')).toBe(true);
    fake.push(textMessage('/about'));
    await expect.poll(() => fake.delivered.length).toBe(2);
    expect(fake.delivered.map((m) => m.text)).not.toContain(TELEGRAM_TEXTS.internalError);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it("a button continues the presser's conversation, not the asker's", async () => {
    const { fake } = await start();
    const zelensky = alone('who is zelensky');
    if (zelensky.kind !== 'answer') throw new Error('the core should answer "who is zelensky"');
    const shown = await say(fake, textMessage(mention('who is kirby'), { chat: groupChat, from: alice }));
    const before = fake.delivered.length;
    fake.push(callbackQuery(`e:${zelensky.entryId}`, botMessage(fake, shown, groupChat), bob));
    await expect.poll(() => fake.delivered.length).toBeGreaterThan(before);
    const asBob = await say(fake, textMessage(mention('what did he do'), { chat: groupChat, from: bob }));
    expect(asBob.text).toContain('Zelenskiy');
    const asAlice = await say(
      fake,
      textMessage(mention('what did he say about biden'), { chat: groupChat, from: alice }),
    );
    expect(asAlice.text).toContain(BIDEN_QUOTE);
  });

  it('a "did you mean" choice replaces the question, and a reply to it resumes the chosen answer', async () => {
    const kirby = realService.ask('who is kirby');
    const zelensky = realService.ask('who is zelensky');
    if (kirby.kind !== 'answer' || zelensky.kind !== 'answer') throw new Error('expected two answers');
    // Whether a question is ambiguous is the core's tuning: this one always is, between two real entries.
    const ambiguous = 'which one?';
    const service: QaService = {
      ...realService,
      askInContext: (message, previous) =>
        message === ambiguous
          ? {
              reply: {
                kind: 'clarify',
                text: 'Did you mean:',
                confidence: 0.5,
                suggestions: [
                  { label: kirby.matchedQuestion, entryId: kirby.entryId },
                  { label: zelensky.matchedQuestion, entryId: zelensky.entryId },
                ],
              },
              question: message,
              followUp: false,
            }
          : realService.askInContext(message, previous),
    };
    // What "what did he say" gets after choosing Kirby, and after asking about Zelenskiy.
    const expected = async (steps: IncomingEvent[]) => {
      const layer = new ConversationLayer(service, commands);
      for (const step of steps) await layer.handle(step);
      const reply = await layer.handle({
        kind: 'text',
        conversation: 'c',
        platform: 'test',
        user: 'u',
        text: 'what did he say',
      });
      return renderMessages(replyToOutgoing(reply, service.article).blocks, 4096).map(visibleText).join('');
    };
    const afterKirby = await expected([
      { kind: 'choice', conversation: 'c', platform: 'test', user: 'u', entryId: kirby.entryId },
    ]);
    const afterZelensky = await expected([
      { kind: 'text', conversation: 'c', platform: 'test', user: 'u', text: 'who is zelensky' },
    ]);
    expect(afterKirby).not.toBe(afterZelensky);

    const { fake } = await start({ service });
    const clarification = await say(fake, textMessage(ambiguous));
    const markup = fake.callsTo('sendMessage').at(-1)?.body.reply_markup as {
      inline_keyboard: { callback_data: string }[][];
    };
    expect(markup.inline_keyboard[0]?.[0]?.callback_data).toBe(`d:${kirby.entryId}`);
    fake.push(callbackQuery(`d:${kirby.entryId}`, botMessage(fake, clarification, privateChat(alice))));
    const edit = await fake.waitFor('editMessageText');
    // Shown in the chat before the next message is sent, so that one's answer is the next delivery.
    await expect.poll(() => fake.delivered.some((m) => m.method === 'editMessageText')).toBe(true);
    expect(edit.body.message_id).toBe(clarification.messageId);
    await say(fake, textMessage('who is zelensky'));
    const resumed = await say(
      fake,
      textMessage('what did he say', { replyTo: botMessage(fake, clarification, privateChat(alice)) }),
    );
    // "he" is the chosen Kirby: the message now shows his answer, not the question it replaced.
    expect(resumed.text).toBe(afterKirby);
  });

  it('a button pressed after a restart answers its entry', async () => {
    const fake = await FakeBotApi.start();
    fakes.push(fake);
    const first = await start({ fake });
    const shown = await say(fake, textMessage('who is kirby'));
    const call = fake.callsTo('sendMessage').at(-1);
    const keyboard = call?.body.reply_markup as { inline_keyboard: { callback_data: string }[][] };
    const data = keyboard.inline_keyboard[0]?.[0]?.callback_data ?? '';
    expect(data).toMatch(/^e:/);
    await first.close();

    // A new process: nothing of the first one's memory, only the same Telegram chat.
    const second = await start({ fake });
    expect(second.bot.botUsername).toBe('ArticleQaBot');
    const before = fake.delivered.length;
    fake.push(callbackQuery(data, botMessage(fake, shown, privateChat(alice))));
    await expect.poll(() => fake.delivered.length).toBeGreaterThan(before);
    const answer = realService.answerEntry(data.slice(2));
    expect(answer.kind).toBe('answer');
    expect(visibleText(fake.delivered.at(-1)?.text ?? '')).toContain(answer.text);
    expect(fake.callsTo('answerCallbackQuery').at(-1)?.body).toEqual({
      callback_query_id: expect.stringMatching(/^cb/),
    });
  });

  it('context expires after its time to live (injected clock, no sleeping)', async () => {
    let now = 0;
    const ttlMs = 60_000;
    const layer = new ConversationLayer(realService, commands, { now: () => now, contextTtlMs: ttlMs });
    const { fake } = await start({ layer });
    await say(fake, textMessage('who is zelensky'));
    now += ttlMs - 1;
    const inTime = await say(fake, textMessage('what did he do'));
    expect(inTime.text).toContain('Zelenskiy');
    now += ttlMs + 1;
    const expired = await say(fake, textMessage('what did he do'));
    // Read on its own, as a first message would be.
    const fresh = alone('what did he do');
    expect(fresh.text).not.toBe('');
    expect(expired.text).not.toContain('Zelenskiy');
    expect(expired.text).toContain(fresh.text);
  });
});
