import { describe, expect, it } from 'vitest';
import { ContextStore } from '../../src/conversation/context-store.ts';
import { Conversations } from '../../src/conversation/conversations.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import type { QuestionReply } from '../../src/core/reply.ts';
import { createQaService } from '../../src/core/service.ts';
import { TEXTS } from '../../src/core/texts.ts';

const service = createQaService(loadKnowledge());
const entry = (r: QuestionReply) => (r.kind === 'answer' ? r.entryId : r.kind);
const support = (id: string) =>
  service.knowledge.entries.find((e) => e.id === id)?.support.map((s) => s.text) ?? [];

function chat(options: ConstructorParameters<typeof Conversations>[1] = {}) {
  const layer = new Conversations(service, options);
  return (text: string, key = 'alice') => layer.ask(key, text);
}

describe('follow-ups read against the conversation', () => {
  it('resolves a pronoun to the person asked about before', () => {
    const say = chat();
    expect(entry(say('who is kirby').reply)).toBe('who-is-kirby');
    const next = say('what did he say about biden');
    expect(next.followUp).toBe(true);
    expect(entry(next.reply)).toBe('biden-willing');
  });

  it('reads "and X?" as the same question about someone else', () => {
    const say = chat();
    say('who is kirby');
    const next = say('and biden?');
    expect(next.followUp).toBe(true);
    expect(next.reply.kind).toBe('answer');
    expect(next.reply.kind === 'answer' && next.reply.quotes.some((q) => /Biden/.test(q.text))).toBe(true);
  });

  it('lets a self-contained question stand on its own', () => {
    const say = chat();
    say('who is kirby');
    const next = say('how many years in prison');
    expect(next.followUp).toBe(false);
    expect(entry(next.reply)).toBe('law-15-years');
  });

  it('asks for a subject when a bare question word has no context, and reads it in context otherwise', () => {
    const say = chat();
    const alone = say('why?');
    expect(alone.reply.kind).toBe('decline');
    expect(alone.reply.text).toContain(TEXTS.noSubject);
    say('what is the penalty in russia');
    const why = say('why?');
    expect(why.followUp).toBe(true);
    expect(why.reply.kind).not.toBe('decline');
  });

  it('keeps context across smalltalk', () => {
    const say = chat();
    say('who is kirby');
    expect(say('thanks!').reply.kind).toBe('smalltalk');
    expect(entry(say('what did he say about biden').reply)).toBe('biden-willing');
  });
});

describe('"tell me more" and "source?"', () => {
  it('gives related facts not shown yet, never repeating one, until there are none', () => {
    const say = chat();
    const first = say('what did putin say');
    const seen = [entry(first.reply)];
    for (let i = 0; i < 12; i++) {
      const more = say(i % 2 ? 'more?' : 'tell me more');
      expect(more.intent).toBe('more');
      if (more.reply.kind === 'decline') {
        expect(more.reply.text).toBe(TEXTS.followUp.nothingMore);
        expect(seen.length).toBeGreaterThan(1);
        return;
      }
      expect(more.reply.kind).toBe('answer');
      const ids = more.reply.kind === 'answer' ? more.reply.parts.map((p) => p.entryId) : [];
      for (const id of ids) expect(seen).not.toContain(id);
      seen.push(...ids);
    }
    throw new Error('"more" never ran out');
  });

  it("shows the last answer's own quotes with the publisher", () => {
    const say = chat();
    const answer = say('how many years in prison').reply;
    const source = say('source?').reply;
    expect(source.kind).toBe('answer');
    expect(source.text).toContain(service.article.publisher);
    expect(source.kind === 'answer' && source.quotes.map((q) => q.text)).toEqual(support(entry(answer)));
  });

  it('treats "more" with nothing answered yet as an ordinary message', () => {
    const say = chat();
    expect(say('tell me more').intent).toBeUndefined();
  });
});

describe('context is per conversation, expires and is bounded', () => {
  it('keeps two users apart', () => {
    const say = chat();
    say('who is kirby', 'alice');
    say('who is zelensky', 'bob');
    expect(entry(say('what did he say about biden', 'alice').reply)).toBe('biden-willing');
    expect(
      say('what did he say about biden', 'bob').reply.kind === 'answer' ? 'answered' : 'not',
    ).toBeDefined();
    const bob = say('where did he go', 'bob');
    expect(bob.followUp).toBe(true);
    expect(bob.question).toMatch(/zelensky/i);
  });

  it('forgets a conversation idle longer than the TTL (injected clock)', () => {
    let now = 1_000_000;
    const say = chat({ now: () => now, contextTtlMs: 60_000 });
    say('who is kirby');
    now += 59_000;
    expect(say('what did he say about biden').followUp).toBe(true);
    now += 61_000;
    expect(say('what did he say about biden').followUp).toBe(false);
  });

  it('drops the least recently active conversation beyond the bound', () => {
    const store = new ContextStore<number>({ ttlMs: 1_000, maxEntries: 2, now: () => 0 });
    store.set('a', 1);
    store.set('b', 2);
    expect(store.get('a')).toBe(1);
    store.set('a', 1); // a is now the most recent
    store.set('c', 3);
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')).toBe(1);
    expect(store.size).toBe(2);
    const layer = new Conversations(service, { maxConversations: 3 });
    for (let i = 0; i < 50; i++) layer.ask(`user-${i}`, 'who is kirby');
    expect(layer.size).toBe(3);
  });
});
