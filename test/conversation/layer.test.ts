import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { parseCommandText } from '../../src/conversation/command-text.ts';
import { ConversationLayer } from '../../src/conversation/layer.ts';
import { LAYER_TEXTS } from '../../src/conversation/texts.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import type { Reply } from '../../src/core/reply.ts';
import { createQaService } from '../../src/core/service.ts';
import { TEXTS } from '../../src/core/texts.ts';

const service = createQaService(loadKnowledge());
const entry = (r: Reply) => (r.kind === 'answer' ? r.entryId : r.kind);

/** A message typed by user "u" in conversation "c". */
const typed = (text: string) =>
  ({ kind: 'text', conversation: 'c', platform: 'test', user: 'u', text }) as const;

describe('command text, read once for every platform', () => {
  it.each([
    ['/quote kirby', { name: 'quote', rest: 'kirby' }],
    ['/QUOTE@ArticleBot   kirby war ', { name: 'quote', rest: 'kirby war' }],
    ['/help', { name: 'help', rest: '' }],
    ['  /topics\n', { name: 'topics', rest: '' }],
  ])('%j', (text, parsed) => {
    expect(parseCommandText(text)).toEqual(parsed);
  });

  it.each(['who is kirby', '/ quote', 'and/or', '//x', ''])('%j is not a command', (text) => {
    expect(parseCommandText(text)).toBeUndefined();
  });
});

describe('the conversation layer', () => {
  const layer = () => new ConversationLayer(service, commands);

  it('runs typed commands, and answers an unknown one with the help', async () => {
    const l = layer();
    const quote = await l.handle(typed('/quote kirby'));
    expect(quote.kind === 'info' && quote.quotes.every((q) => q.speaker === 'John Kirby')).toBe(true);
    const unknown = await l.handle(typed('/nosuch'));
    expect(unknown.kind === 'info' && unknown.title).toBe(TEXTS.helpTitle);
  });

  it('a bare mention (a greeting) gets the help and, like /help, costs no rate-limit point', async () => {
    const l = new ConversationLayer(service, commands);
    const greeting = { kind: 'greeting', conversation: 'c', platform: 'test', user: 'u' } as const;
    const reply = await l.handle(greeting);
    expect(reply.kind === 'info' && reply.title).toBe(TEXTS.helpTitle);
    expect(l.countsTowardsLimit(greeting)).toBe(false);
    expect(l.countsTowardsLimit({ ...greeting, kind: 'text', text: 'who is kirby' })).toBe(true);
  });

  it('answers /ask in the conversation, privately when asked', async () => {
    const l = layer();
    await l.handle(typed('who is kirby'));
    const reply = await l.handle({
      kind: 'command',
      conversation: 'c',
      platform: 'test',
      user: 'u',
      name: 'ask',
      args: { question: 'what did he say about biden', private: true },
    });
    expect(entry(reply)).toBe('biden-willing');
    expect(reply.private).toBe(true);
  });

  it('resumes the context of an older reply the user answers', async () => {
    const l = layer();
    await l.handle(typed('who is zelensky'));
    await l.sent('c', 'reply-1');
    await l.handle(typed('how many years in prison'));
    await l.sent('c', 'reply-2');
    const resumed = await l.handle({
      kind: 'text',
      conversation: 'c',
      platform: 'test',
      user: 'u',
      text: 'what did he do',
      replyTo: 'reply-1',
    });
    expect(resumed.kind).toBe('answer');
    expect(resumed.kind === 'answer' && resumed.quotes.some((q) => /Zelenskiy/.test(q.text))).toBe(true);
    // An unknown reply id (too old, another process) falls back to the conversation's own context.
    const fallback = await l.handle({
      kind: 'text',
      conversation: 'c',
      platform: 'test',
      user: 'u',
      text: 'source?',
      replyTo: 'gone',
    });
    expect(fallback.kind).toBe('answer');
  });

  it('keeps under a reply the context of its own turn, even when a later message was answered first', async () => {
    const l = layer();
    const kirby = await l.handleTurn(typed('who is kirby'));
    // A second message of the same conversation is answered before the first reply is delivered.
    await l.handleTurn(typed('who is zelensky'));
    await l.sent('c', 'kirby-reply', kirby.context);
    const resumed = await l.handle({
      kind: 'text',
      conversation: 'c',
      platform: 'test',
      user: 'u',
      text: 'what did he say about biden',
      replyTo: 'kirby-reply',
    });
    expect(entry(resumed)).toBe('biden-willing');
  });

  it('answers an unknown command even when the command list has no /help', async () => {
    const l = new ConversationLayer(
      service,
      commands.filter((c) => c.name !== 'help'),
    );
    const reply = await l.handle(typed('/nosuch'));
    expect(reply.kind).toBe('smalltalk');
  });
});

describe('a number typed on its own picks a suggestion, on every platform', () => {
  const layer = () => new ConversationLayer(service, commands);

  it('picks the numbered suggestion of the last reply', async () => {
    const l = layer();
    const first = await l.handle(typed('who is kirby'));
    const second = first.suggestions[1];
    if (!second) throw new Error('no second suggestion');
    const picked = await l.handle(typed('2'));
    expect(entry(picked)).toBe(second.entryId);
    // The pick's own suggestions are what the next number picks from.
    const next = picked.suggestions[0];
    const again = await l.handle(typed('#1'));
    expect(entry(again)).toBe(next?.entryId);
  });

  it('says so when the number is not one of the suggestions, and offers them again', async () => {
    const l = layer();
    const first = await l.handle(typed('who is kirby'));
    expect(first.suggestions).toHaveLength(3);
    const missed = await l.handle(typed('7'));
    expect(missed.kind).toBe('smalltalk');
    expect(missed.text).toBe(LAYER_TEXTS.noSuchSuggestion(7, 3));
    expect(missed.text).toMatch(/no suggestion 7 here: pick a number from 1 to 3/);
    expect(missed.suggestions).toEqual(first.suggestions);
    expect((await l.handle(typed('0'))).text).toMatch(/no suggestion 0/);
    // Still offered: "1" now picks the first of them.
    const picked = await l.handle(typed('1'));
    expect(entry(picked)).toBe(first.suggestions[0]?.entryId);
  });

  it('leaves the subject of the conversation as it was after a miss', async () => {
    const l = layer();
    await l.handle(typed('who is kirby'));
    await l.handle(typed('9'));
    const followUp = await l.handle(typed('what did he say about biden'));
    expect(entry(followUp)).toBe('biden-willing');
  });

  it('counts the suggestions of command replies too, and says so when there were none', async () => {
    const l = layer();
    const topics = await l.handle(typed('/topics'));
    const third = topics.suggestions[2];
    expect(entry(await l.handle(typed('3')))).toBe(third?.entryId);
    await l.handle(typed('/quote kirby'));
    const none = await l.handle(typed('2'));
    expect(none.text).toBe(LAYER_TEXTS.noSuchSuggestion(2, 0));
    expect(none.suggestions.length).toBeGreaterThan(0);
  });

  it('tells a fresh conversation it has no suggestion to pick', async () => {
    const reply = await layer().handle({
      kind: 'text',
      conversation: 'fresh',
      platform: 'test',
      user: 'u',
      text: '15',
    });
    expect(reply.text).toBe(LAYER_TEXTS.noSuchSuggestion(15, 0));
  });
});

describe('the rate limit', () => {
  const l = new ConversationLayer(service, commands);

  it('does not count informational commands, on any platform, typed or as a platform command', () => {
    for (const name of ['help', 'about']) {
      expect(
        l.countsTowardsLimit({
          kind: 'command',
          conversation: 'c',
          platform: 'test',
          user: 'u',
          name,
          args: {},
        }),
        name,
      ).toBe(false);
      expect(l.countsTowardsLimit(typed(`/${name}`)), name).toBe(false);
      expect(l.countsTowardsLimit(typed(`/${name}@SomeBot`))).toBe(false);
    }
  });

  it('counts questions, other commands, unknown commands and button presses', () => {
    const counted = [
      typed('who is kirby'),
      typed('help'),
      typed('/quote kirby'),
      typed('/nosuch'),
      {
        kind: 'command',
        conversation: 'c',
        platform: 'test',
        user: 'u',
        name: 'ask',
        args: { question: 'who is kirby' },
      },
      { kind: 'command', conversation: 'c', platform: 'test', user: 'u', name: 'topics', args: {} },
      { kind: 'choice', conversation: 'c', platform: 'test', user: 'u', entryId: 'who-is-kirby' },
    ] as const;
    for (const event of counted) expect(l.countsTowardsLimit(event), JSON.stringify(event)).toBe(true);
  });
});
