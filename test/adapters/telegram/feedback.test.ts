import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { type Analytics, openAnalytics } from '../../../src/analytics/index.ts';
import { ConversationLayer } from '../../../src/conversation/layer.ts';
import { LAYER_TEXTS } from '../../../src/conversation/texts.ts';
import { memoryLogger, SECRET } from '../../analytics/helpers.ts';
import { alice, bob, callbackQuery, groupChat, textMessage } from '../../fakes/telegram-bot-api.ts';
import { type Harness, realService, startHarness } from './harness.ts';

/**
 * 👍 / 👎 under answers, over the wire: the real telegraf against the Bot API fake, with the
 * conversation layer recording into a real SQLite file, read back to check what was stored.
 */

interface Setup {
  readonly h: Harness;
  readonly analytics: Analytics;
  readonly dir: string;
}

let running: Setup | undefined;
afterEach(async () => {
  await running?.h.close();
  await running?.analytics.close();
  if (running) await rm(running.dir, { recursive: true, force: true });
  running = undefined;
});

async function start(): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'telegram-feedback-'));
  const { logger } = memoryLogger();
  const analytics = await openAnalytics(
    {
      questionLog: true,
      database: { kind: 'sqlite', path: join(dir, 'db', 'analytics.sqlite') },
      secret: SECRET,
      retentionDays: 90,
    },
    { logger, retention: false },
  );
  const layer = new ConversationLayer(realService, commands, { analytics });
  const h = await startHarness({ layer });
  running = { h, analytics, dir };
  return running;
}

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };

async function storedEvents(analytics: Analytics) {
  await analytics.flush();
  return (await analytics.store?.events()) ?? [];
}

const botMessage = (chat: object, messageId: number) => ({
  message_id: messageId,
  date: 1,
  chat,
  from: { id: 123456789, is_bot: true, first_name: 'Article Bot', username: 'ArticleQaBot' },
  text: 'previous answer',
});

describe('Telegram feedback buttons', () => {
  it('an answer ends with a 👍 / 👎 row whose payloads carry the recorded event id', async () => {
    const { h, analytics } = await start();
    h.fake.push(textMessage('who is kirby'));
    const sent = await h.fake.waitFor('sendMessage');
    const [event] = await storedEvents(analytics);
    if (!event) throw new Error('expected the question recorded');
    expect(event).toMatchObject({
      platform: 'telegram',
      question: 'who is kirby',
      kind: 'answer',
      user: analytics.keys.user('telegram', String(alice.id)),
    });
    const reply = realService.askInContext('who is kirby').reply;
    const rows = (sent.body.reply_markup as Keyboard).inline_keyboard;
    // The suggestion rows as before, then the feedback row.
    expect(rows).toEqual([
      ...reply.suggestions.slice(0, 4).map((s) => [{ text: s.label, callback_data: `e:${s.entryId}` }]),
      [
        { text: '👍', callback_data: `f:${event.id}:u` },
        { text: '👎', callback_data: `f:${event.id}:d` },
      ],
    ]);
    for (const row of rows)
      for (const button of row) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
  });

  it('no feedback row under a reply that is not an answer', async () => {
    const { h } = await start();
    h.fake.push(textMessage('/topics'));
    const sent = await h.fake.waitFor('sendMessage');
    const rows = (sent.body.reply_markup as Keyboard | undefined)?.inline_keyboard ?? [];
    expect(rows.flat().some((b) => b.callback_data.startsWith('f:'))).toBe(false);
  });

  it('a press in a group is a vote (a second press changes it), acknowledged by a toast, no message posted', async () => {
    const { h, analytics } = await start();
    h.fake.push(textMessage('@ArticleQaBot who is kirby', { chat: groupChat, from: alice }));
    const answer = await h.fake.waitFor('sendMessage');
    const [up, down] = (answer.body.reply_markup as Keyboard).inline_keyboard.at(-1) ?? [];
    if (!up || !down) throw new Error('expected the feedback row');
    const [event] = await storedEvents(analytics);
    if (!event) throw new Error('expected the question recorded');

    const first = callbackQuery(up.callback_data, botMessage(groupChat, 700), bob);
    h.fake.push(first);
    const toast = await h.fake.waitFor('answerCallbackQuery');
    expect(toast.body).toEqual({
      callback_query_id: first.callback_query.id,
      text: LAYER_TEXTS.feedbackThanks(1),
    });
    await analytics.flush();
    expect(await analytics.store?.votes()).toEqual([
      expect.objectContaining({
        eventId: event.id,
        user: analytics.keys.user('telegram', String(bob.id)),
        vote: 1,
      }),
    ]);

    const second = callbackQuery(down.callback_data, botMessage(groupChat, 700), bob);
    h.fake.push(second);
    await h.fake.waitForCount('answerCallbackQuery', 2);
    await analytics.flush();
    expect((await analytics.store?.votes())?.map((v) => v.vote)).toEqual([-1]);
    // Only the answer itself was ever posted to the group.
    expect(h.fake.callsTo('sendMessage')).toHaveLength(1);
    expect(h.fake.callsTo('editMessageText')).toHaveLength(0);
  });

  it('a database that fails (its directory removed) never stops a reply; /forget says it could not', async () => {
    const { h, analytics, dir } = await start();
    await rm(join(dir, 'db'), { recursive: true, force: true });
    h.fake.push(textMessage('who is kirby'));
    const sent = await h.fake.waitFor('sendMessage');
    expect(String(sent.body.text)).toContain('Kirby');
    await analytics.flush();
    expect(analytics.stats()).toMatchObject({ writtenEvents: 0 });
    h.fake.push(textMessage('/forget'));
    const forgot = await h.fake.waitForCount('sendMessage', 2);
    expect(forgot[1]?.body.text).toBe(`<b>${LAYER_TEXTS.forgetTitle}</b>\n\n${LAYER_TEXTS.forgetFailed}`);
  });

  it('/forget deletes the sender\u2019s questions and says how many', async () => {
    const { h, analytics } = await start();
    h.fake.push(textMessage('who is kirby'));
    await h.fake.waitFor('sendMessage');
    h.fake.push(textMessage('who is zelensky'));
    await h.fake.waitForCount('sendMessage', 2);
    h.fake.push(textMessage('/forget'));
    const sent = await h.fake.waitForCount('sendMessage', 3);
    expect(String(sent[2]?.body.text)).toContain(LAYER_TEXTS.forgotten(2));
    expect(await storedEvents(analytics)).toEqual([]);
  });
});
