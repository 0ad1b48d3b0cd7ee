import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { parseCommandText } from '../../src/conversation/command-text.ts';
import { ConversationLayer } from '../../src/conversation/layer.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import type { Reply } from '../../src/core/reply.ts';
import { createQaService } from '../../src/core/service.ts';
import { TEXTS } from '../../src/core/texts.ts';

const service = createQaService(loadKnowledge());
const entry = (r: Reply) => (r.kind === 'answer' ? r.entryId : r.kind);

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
    const quote = await l.handle({ kind: 'text', conversation: 'c', text: '/quote kirby' });
    expect(quote.kind === 'info' && quote.quotes.every((q) => q.speaker === 'John Kirby')).toBe(true);
    const unknown = await l.handle({ kind: 'text', conversation: 'c', text: '/nosuch' });
    expect(unknown.kind === 'info' && unknown.title).toBe(TEXTS.helpTitle);
  });

  it('answers /ask in the conversation, privately when asked', async () => {
    const l = layer();
    await l.handle({ kind: 'text', conversation: 'c', text: 'who is kirby' });
    const reply = await l.handle({
      kind: 'command',
      conversation: 'c',
      name: 'ask',
      args: { question: 'what did he say about biden', private: true },
    });
    expect(entry(reply)).toBe('biden-willing');
    expect(reply.private).toBe(true);
  });

  it('resumes the context of an older reply the user answers', async () => {
    const l = layer();
    await l.handle({ kind: 'text', conversation: 'c', text: 'who is zelensky' });
    await l.sent('c', 'reply-1');
    await l.handle({ kind: 'text', conversation: 'c', text: 'how many years in prison' });
    await l.sent('c', 'reply-2');
    const resumed = await l.handle({
      kind: 'text',
      conversation: 'c',
      text: 'where did he go',
      replyTo: 'reply-1',
    });
    expect(resumed.kind).toBe('answer');
    expect(resumed.kind === 'answer' && resumed.quotes.some((q) => /Zelenskiy/.test(q.text))).toBe(true);
    // An unknown reply id (too old, another process) falls back to the conversation's own context.
    const fallback = await l.handle({ kind: 'text', conversation: 'c', text: 'source?', replyTo: 'gone' });
    expect(fallback.kind).toBe('answer');
  });

  it('keeps under a reply the context of its own turn, even when a later message was answered first', async () => {
    const l = layer();
    const kirby = await l.handleTurn({ kind: 'text', conversation: 'c', text: 'who is kirby' });
    // A second message of the same conversation is answered before the first reply is delivered.
    await l.handleTurn({ kind: 'text', conversation: 'c', text: 'who is zelensky' });
    await l.sent('c', 'kirby-reply', kirby.context);
    const resumed = await l.handle({
      kind: 'text',
      conversation: 'c',
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
    const reply = await l.handle({ kind: 'text', conversation: 'c', text: '/nosuch' });
    expect(reply.kind).toBe('smalltalk');
  });
});
