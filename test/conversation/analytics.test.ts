import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { ANALYTICS_DEFAULTS } from '../../src/analytics/defaults.ts';
import { type Analytics, disabledAnalytics, openAnalytics } from '../../src/analytics/index.ts';
import { feedbackOf, feedbackPayload } from '../../src/conversation/buttons.ts';
import { ConversationLayer, type Sender } from '../../src/conversation/layer.ts';
import { LAYER_TEXTS } from '../../src/conversation/texts.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { createQaService, type QaService } from '../../src/core/service.ts';
import { memoryLogger, useBackend, useCleanup } from '../analytics/helpers.ts';

const service = createQaService(loadKnowledge());
const ALICE: Sender = { platform: 'telegram', user: '1001', conversation: 'telegram:1001' };
const BOB: Sender = { platform: 'telegram', user: '1002', conversation: 'telegram:1002' };

describe('the conversation layer records every question in a real SQLite question log', () => {
  const backend = useBackend('sqlite');
  const cleanup = useCleanup();

  /** A layer over a fresh SQLite file, with a clock that moves 42 ms while the core answers. */
  async function setup(overrides: { questionLog?: boolean } = {}) {
    const { logger } = memoryLogger();
    const analytics = await openAnalytics(await backend.config(overrides), { logger, retention: false });
    cleanup(() => analytics.close());
    let clock = 1_700_000_000_000;
    const slowCore: QaService = {
      ...service,
      askInContext: (...args) => {
        clock += 42;
        return service.askInContext(...args);
      },
    };
    const layer = new ConversationLayer(slowCore, commands, { analytics, now: () => clock });
    return { analytics, layer, store: analytics.store };
  }

  async function stored(analytics: Analytics) {
    await analytics.flush();
    return (await analytics.store?.events()) ?? [];
  }

  it('one event a question: platform, pseudonymous keys, text, kind, entry, confidence, follow-up, time taken', async () => {
    const { analytics, layer } = await setup();
    const first = await layer.handleTurn({ kind: 'text', ...ALICE, text: 'who is kirby' });
    const second = await layer.handleTurn({ kind: 'text', ...ALICE, text: 'what did he say about biden' });
    // A new conversation: nothing to follow up.
    const declined = await layer.handleTurn({ kind: 'text', ...BOB, text: 'what is the capital of peru' });
    expect(first.reply.kind).toBe('answer');
    expect(first.eventId).toMatch(/^[0-9a-z]{9}[A-Za-z0-9_-]{11}$/);
    expect(declined.reply.kind).not.toBe('answer');
    // Only answers carry an id for feedback buttons.
    expect(declined.eventId).toBeUndefined();

    const events = await stored(analytics);
    // Events of one millisecond come back in any order: compare them sorted.
    expect(events.map((e) => [e.question, e.kind, e.followUp]).sort()).toEqual(
      [
        ['who is kirby', 'answer', false],
        ['what did he say about biden', second.reply.kind, true],
        ['what is the capital of peru', declined.reply.kind, false],
      ].sort(),
    );
    const kirby = events.find((e) => e.question === 'who is kirby');
    if (first.reply.kind !== 'answer' || !kirby) throw new Error('expected an answer');
    expect(kirby).toMatchObject({
      id: first.eventId,
      platform: 'telegram',
      user: analytics.keys.user('telegram', '1001'),
      conversation: analytics.keys.conversation('telegram', 'telegram:1001'),
      entryId: first.reply.entryId,
      confidence: first.reply.confidence,
      // The time the core took, on the injected clock.
      latencyMs: 42,
    });
    // The raw platform ids are nowhere in the stored event.
    expect(JSON.stringify(events)).not.toMatch(/1001/);
  });

  it("keeps no one's mention (a platform id), no control character and no essay in the log", async () => {
    const { analytics, layer } = await setup();
    await layer.handleTurn({
      kind: 'text',
      ...ALICE,
      text: 'hey <@123456789012345678> who is \u001b[31mkirby\n@everyone',
    });
    await layer.handleTurn({ kind: 'text', ...ALICE, text: `why ${'very '.repeat(1000)}long` });
    const questions = (await stored(analytics)).map((e) => e.question);
    expect(questions).toContainEqual('hey who is [31mkirby');
    expect(JSON.stringify(questions)).not.toMatch(/123456789012345678|everyone|\\u001b/);
    const longest = Math.max(...questions.map((q) => q.length));
    expect(longest).toBeLessThanOrEqual(ANALYTICS_DEFAULTS.maxQuestionChars);
    expect(longest).toBeGreaterThan(ANALYTICS_DEFAULTS.maxQuestionChars - 10);
  });

  it('records /ask, a picked number and a pressed suggestion as the questions they stand for; not /topics', async () => {
    const { analytics, layer } = await setup();
    await layer.handleTurn({ kind: 'command', ...ALICE, name: 'ask', args: { question: 'who is zelensky' } });
    await layer.handleTurn({ kind: 'command', ...ALICE, name: 'topics', args: {} });
    const picked = await layer.handleTurn({ kind: 'text', ...ALICE, text: '1' });
    const pressed = await layer.handleTurn({ kind: 'choice', ...ALICE, entryId: 'who-is-kirby' });
    // Typed /ask: the question as the reader put it, though read as a follow-up of Kirby.
    const typed = await layer.handleTurn({
      kind: 'text',
      ...ALICE,
      text: '/ask what did he say about biden',
    });
    // A stale button answers nothing and is not a question.
    await layer.handleTurn({ kind: 'choice', ...ALICE, entryId: 'no-such-entry' });
    const events = await stored(analytics);
    if (picked.reply.kind !== 'answer' || pressed.reply.kind !== 'answer')
      throw new Error('expected answers');
    expect(events.map((e) => [e.question, e.entryId]).sort()).toEqual(
      [
        ['who is zelensky', 'zelenskiy-visit'],
        [picked.reply.matchedQuestion, picked.reply.entryId],
        [pressed.reply.matchedQuestion, 'who-is-kirby'],
        ['what did he say about biden', typed.reply.kind === 'answer' ? typed.reply.entryId : undefined],
      ].sort(),
    );
  });

  it('a vote is cast once per user and event: a second press changes it; another user votes apart', async () => {
    const { analytics, layer } = await setup();
    const { eventId } = await layer.handleTurn({ kind: 'text', ...ALICE, text: 'who is kirby' });
    if (!eventId) throw new Error('expected an event id');
    const press = (who: Sender, payload: string) => {
      const vote = feedbackOf(payload);
      if (!vote) throw new Error(`not a feedback payload: ${payload}`);
      return layer.handleTurn({ kind: 'feedback', ...who, ...vote });
    };
    const up = await press(ALICE, feedbackPayload(eventId, 1));
    expect(up.reply).toMatchObject({ text: LAYER_TEXTS.feedbackThanks(1), private: true, suggestions: [] });
    await analytics.flush();
    expect(await analytics.store?.votes()).toEqual([
      expect.objectContaining({ eventId, user: analytics.keys.user('telegram', '1001'), vote: 1 }),
    ]);

    const down = await press(ALICE, feedbackPayload(eventId, -1));
    expect(down.reply.text).toBe(LAYER_TEXTS.feedbackThanks(-1));
    await press(BOB, feedbackPayload(eventId, -1));
    await analytics.flush();
    const votes = (await analytics.store?.votes()) ?? [];
    expect(votes.map((v) => [v.user, v.vote]).sort()).toEqual(
      [
        [analytics.keys.user('telegram', '1001'), -1],
        [analytics.keys.user('telegram', '1002'), -1],
      ].sort(),
    );
  });

  it('/forget deletes every event of the sender, says how many, and leaves other users alone', async () => {
    const { analytics, layer } = await setup();
    await layer.handleTurn({ kind: 'text', ...ALICE, text: 'who is kirby' });
    await layer.handleTurn({ kind: 'text', ...ALICE, text: 'who is zelensky' });
    await analytics.flush();
    // One still queued in memory when /forget arrives: it goes too.
    await layer.handleTurn({ kind: 'text', ...ALICE, text: 'what did putin say' });
    await layer.handleTurn({ kind: 'text', ...BOB, text: 'who is kirby' });

    const typed = await layer.handleTurn({ kind: 'text', ...ALICE, text: '/forget' });
    expect(typed.reply).toMatchObject({ kind: 'info', text: LAYER_TEXTS.forgotten(3), private: true });
    const events = await stored(analytics);
    expect(events.map((e) => e.user)).toEqual([analytics.keys.user('telegram', '1002')]);
    // Nothing left: the command says so, on every platform's command event too.
    const again = await layer.handleTurn({ kind: 'command', ...ALICE, name: 'forget', args: {} });
    expect(again.reply.text).toBe(LAYER_TEXTS.forgotten(0));
    // /forget is not itself a question.
    expect((await stored(analytics)).length).toBe(1);
  });

  it('QUESTION_LOG=off records nothing and gives no feedback id', async () => {
    const { analytics, layer } = await setup({ questionLog: false });
    const turn = await layer.handleTurn({ kind: 'text', ...ALICE, text: 'who is kirby' });
    expect(turn.reply.kind).toBe('answer');
    expect(turn.eventId).toBeUndefined();
    expect(analytics.enabled).toBe(false);
  });
});

describe('recording never breaks a reply', () => {
  it('a question log that throws (it promises not to) costs the event, never the answer or the vote note', async () => {
    const errors: unknown[] = [];
    const broken: Analytics = {
      ...disabledAnalytics(),
      enabled: true,
      recorder: {
        record: () => {
          throw new Error('disk on fire');
        },
      },
      votes: {
        cast: () => {
          throw new Error('disk on fire');
        },
      },
    };
    const layer = new ConversationLayer(service, commands, {
      analytics: broken,
      onAnalyticsError: (error) => errors.push(error),
    });
    const turn = await layer.handleTurn({ kind: 'text', ...ALICE, text: 'who is kirby' });
    expect(turn.reply.kind).toBe('answer');
    expect(turn.eventId).toBeUndefined();
    const vote = await layer.handleTurn({
      kind: 'feedback',
      ...ALICE,
      eventId: '0lhx2c9k0AbCdEfGh_-1',
      vote: 1,
    });
    expect(vote.reply.text).toBe(LAYER_TEXTS.feedbackNotTaken);
    expect(errors.map(String)).toEqual(['Error: disk on fire', 'Error: disk on fire']);
  });
});

describe('feedback payloads', () => {
  it('carry the event id and the vote, within Telegram 64 bytes and Discord 100 characters', () => {
    const id = '0lhx2c9k0AbCdEfGh_-1';
    expect(feedbackPayload(id, 1)).toBe(`f:${id}:u`);
    expect(feedbackPayload(id, -1)).toBe(`f:${id}:d`);
    expect(Buffer.byteLength(feedbackPayload(id, 1))).toBeLessThanOrEqual(64);
    expect(feedbackOf(`f:${id}:d`)).toEqual({ eventId: id, vote: -1 });
    for (const junk of ['f::u', `f:${id}:x`, `e:${id}`, `f:${id}:u:extra`, 'f:a b:u'])
      expect(feedbackOf(junk), junk).toBeUndefined();
  });
});
