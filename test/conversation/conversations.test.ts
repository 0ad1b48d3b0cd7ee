import { describe, expect, it } from 'vitest';
import { ContextStore } from '../../src/conversation/context-store.ts';
import { Conversations } from '../../src/conversation/conversations.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import type { QuestionReply } from '../../src/core/reply.ts';
import { createQaService, type PreviousTurn } from '../../src/core/service.ts';
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
  it('resolves a pronoun to the person asked about before', async () => {
    const say = chat();
    expect(entry((await say('who is kirby')).reply)).toBe('who-is-kirby');
    const next = await say('what did he say about biden');
    expect(next.followUp).toBe(true);
    expect(entry(next.reply)).toBe('biden-willing');
  });

  it('reads "and X?" as the same question about someone else', async () => {
    const say = chat();
    await say('who is kirby');
    const next = await say('and biden?');
    expect(next.followUp).toBe(true);
    expect(next.reply.kind).toBe('answer');
    expect(next.reply.kind === 'answer' && next.reply.quotes.some((q) => /Biden/.test(q.text))).toBe(true);
  });

  it('lets a self-contained question stand on its own', async () => {
    const say = chat();
    await say('who is kirby');
    const next = await say('how many years in prison');
    expect(next.followUp).toBe(false);
    expect(entry(next.reply)).toBe('law-15-years');
  });

  it('asks for a subject when a bare question word has no context, and reads it in context otherwise', async () => {
    const say = chat();
    const alone = await say('why?');
    expect(alone.reply.kind).toBe('decline');
    expect(alone.reply.text).toContain(TEXTS.noSubject);
    await say('what does russia call the war');
    const why = await say('why?');
    expect(why.followUp).toBe(true);
    expect(why.reply.kind).not.toBe('decline');
  });

  it('keeps context across smalltalk', async () => {
    const say = chat();
    await say('who is kirby');
    expect((await say('thanks!')).reply.kind).toBe('smalltalk');
    expect(entry((await say('what did he say about biden')).reply)).toBe('biden-willing');
  });
});

describe('"tell me more" and "source?"', () => {
  it('gives related facts not shown yet, never repeating one, until there are none', async () => {
    const say = chat();
    const first = await say('what did putin say');
    const seen = [entry(first.reply)];
    for (let i = 0; i < 12; i++) {
      const more = await say(i % 2 ? 'more?' : 'tell me more');
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

  it("shows the last answer's own quotes with the publisher", async () => {
    const say = chat();
    const answer = (await say('how many years in prison')).reply;
    const source = (await say('source?')).reply;
    expect(source.kind).toBe('answer');
    expect(source.text).toContain(service.article.publisher);
    expect(source.kind === 'answer' && source.quotes.map((q) => q.text)).toEqual(support(entry(answer)));
  });

  it('reads "who said that" as a request for the source of the last answer', async () => {
    const say = chat();
    await say('how many years in prison');
    const who = await say('who said that');
    expect(who.intent).toBe('source');
  });

  it('reads the everyday ways of asking for more, or for a source, whatever their wording', async () => {
    for (const [message, intent] of [
      ['did he say anything else', 'more'],
      ['is there anything else', 'more'],
      ['per who', 'source'],
      ['based on what', 'source'],
      ["what's that based on", 'source'],
      ['did he say anything else about biden', undefined],
      ['is it something else', undefined],
      ['was it something else', undefined],
    ] as const) {
      const say = chat();
      await say('what did putin say');
      expect([message, (await say(message)).intent]).toEqual([message, intent]);
    }
  });

  it('reads "explain that" as a request for more on the last answer, not for its source', async () => {
    const say = chat();
    await say('how many years in prison');
    const explained = await say('explain that');
    expect(explained.intent).toBe('more');
    expect(explained.reply.kind).toBe('answer');
    expect((await say('what does that mean')).intent).toBe('source');
  });

  it('a stale button says so and leaves the conversation where it was', async () => {
    const layer = new Conversations(service);
    await layer.ask('k', 'who is kirby');
    const stale = await layer.choose('k', 'no-such-entry');
    expect(stale.reply.kind).toBe('decline');
    // The answered entry is still the subject: "source?" gives its quotes.
    expect((await layer.ask('k', 'source?')).intent).toBe('source');
  });

  it('asked for more of another speaker, goes on with that speaker', async () => {
    const say = chat();
    const kirbys = new Set(
      service.knowledge.entries.filter((e) => e.support.some((s) => /Kirby/.test(s.text))).map((e) => e.id),
    );
    const parts = (r: QuestionReply) => (r.kind === 'answer' ? r.parts.map((p) => p.entryId) : []);
    expect(entry((await say("what is putin's goal")).reply)).toBe('putin-goal');
    const named = await say('what else did kirby say');
    expect(parts(named.reply).every((id) => kirbys.has(id))).toBe(true);
    expect(named.context?.entryId && kirbys.has(named.context.entryId)).toBe(true);
    // "he" is Kirby now: more of his words, or nothing more, never Putin's again.
    const again = await say('what else did he say');
    expect(again.intent).toBe('more');
    expect(parts(again.reply).every((id) => kirbys.has(id))).toBe(true);
    // Facts that quote one sentence show it once.
    for (const r of [named.reply, again.reply]) {
      const texts = r.kind === 'answer' ? r.quotes.map((q) => q.text) : [];
      expect(new Set(texts).size).toBe(texts.length);
    }
  });

  it('treats "more" with nothing answered yet as an ordinary message', async () => {
    const say = chat();
    expect((await say('tell me more')).intent).toBeUndefined();
  });
});

describe('context is per conversation, expires and is bounded', () => {
  it('keeps two users apart', async () => {
    const say = chat();
    await say('who is kirby', 'alice');
    await say('who is zelensky', 'bob');
    expect(entry((await say('what did he say about biden', 'alice')).reply)).toBe('biden-willing');
    // Bob asked about Zelenskiy: his follow-up is read with Zelenskiy, never with Alice's Kirby.
    const bob = await say('what did he do', 'bob');
    expect(bob.followUp).toBe(true);
    expect(bob.question).toMatch(/zelensky/i);
  });

  it('forgets a conversation idle longer than the TTL (injected clock)', async () => {
    let now = 1_000_000;
    const say = chat({ now: () => now, contextTtlMs: 60_000 });
    await say('who is kirby');
    now += 59_000;
    expect((await say('what did he say about biden')).followUp).toBe(true);
    now += 61_000;
    expect((await say('what did he say about biden')).followUp).toBe(false);
  });

  it('drops the least recently active conversation beyond the bound', async () => {
    const store = new ContextStore<number>({ ttlMs: 1_000, maxEntries: 2, now: () => 0 });
    store.put('a', 1);
    store.put('b', 2);
    expect(store.peek('a')).toBe(1);
    store.put('a', 1); // a is now the most recent
    store.put('c', 3);
    expect(store.peek('b')).toBeUndefined();
    expect(store.peek('a')).toBe(1);
    expect(store.size).toBe(2);
    const layer = new Conversations(service, { maxConversations: 3 });
    for (let i = 0; i < 50; i++) await layer.ask(`user-${i}`, 'who is kirby');
    expect(layer.size).toBe(3);
  });
});

describe('with a shared, asynchronous store', () => {
  /** A store whose reads wait for `gate` per key: a slow network store, under test control. */
  function slowStore() {
    const data = new Map<string, PreviousTurn>();
    const gates = new Map<string, Promise<void>>();
    return {
      hold(key: string) {
        let open = () => {};
        gates.set(
          key,
          new Promise<void>((resolve) => {
            open = resolve;
          }),
        );
        return () => open();
      },
      store: {
        async get(key: string) {
          await (gates.get(key) ?? Promise.resolve());
          return data.get(key);
        },
        async set(key: string, value: PreviousTurn) {
          await Promise.resolve();
          data.set(key, value);
        },
        async delete(key: string) {
          data.delete(key);
        },
      },
    };
  }

  it("answers one conversation's messages in order, each with the context the one before left", async () => {
    const { store } = slowStore();
    const layer = new Conversations(service, { store });
    const first = layer.ask('k', 'who is kirby');
    const second = layer.ask('k', 'what did he say about biden');
    expect(entry((await first).reply)).toBe('who-is-kirby');
    const next = await second;
    expect(next.followUp).toBe(true);
    expect(entry(next.reply)).toBe('biden-willing');
  });

  it('never makes one conversation wait for another', async () => {
    const { store, hold } = slowStore();
    const layer = new Conversations(service, { store });
    const release = hold('stuck');
    let stuckDone = false;
    const stuck = layer.ask('stuck', 'who is kirby').then(() => {
      stuckDone = true;
    });
    const other = await layer.ask('other', 'how many years in prison');
    expect(entry(other.reply)).toBe('law-15-years');
    expect(stuckDone).toBe(false);
    release();
    await stuck;
    expect(stuckDone).toBe(true);
  });
});

describe('a failing store', () => {
  it('never costs a reply: a failed read is no context, a failed write is dropped, both reported', async () => {
    const failures: string[] = [];
    const broken = {
      get: async () => {
        throw new Error('store down');
      },
      set: async () => {
        throw new Error('store down');
      },
      delete: async () => {
        throw new Error('store down');
      },
    };
    const layer = new Conversations(service, { store: broken, onStoreError: (_e, op) => failures.push(op) });
    expect(entry((await layer.ask('k', 'who is kirby')).reply)).toBe('who-is-kirby');
    await layer.forget('k');
    expect(failures).toEqual(['get', 'set', 'delete']);
  });
});
