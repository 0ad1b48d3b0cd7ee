import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { MATCHER_DEFAULTS, type MatcherConfig } from '../../src/core/matcher-config.ts';
import type { QuestionReply } from '../../src/core/reply.ts';
import { createQaService, type PreviousTurn } from '../../src/core/service.ts';

const kb = loadKnowledge();
const service = createQaService(kb);
/** The same service with one follow-up mechanism switched off, to show what the mechanism does. */
const without = (key: keyof MatcherConfig['followUps']) =>
  createQaService(kb, {
    config: { ...MATCHER_DEFAULTS, followUps: { ...MATCHER_DEFAULTS.followUps, [key]: false } },
  });
const answered = (r: QuestionReply) => (r.kind === 'answer' ? r.parts.map((p) => p.entryId) : []);
/** The context after a first question, as the conversation layer keeps it. */
const contextAfter = (question: string): PreviousTurn => {
  const reply = service.ask(question);
  return { question, ...(reply.kind === 'answer' ? { entryId: reply.entryId } : {}) };
};

describe('a follow-up is weighed against the answer before it (context prior)', () => {
  it('a question that stands alone, asked again in other words right after its answer, keeps its answer', () => {
    const lost: string[] = [];
    for (const e of kb.entries) {
      const previous = contextAfter(e.questions[0] ?? '');
      for (const sample of e.questions.slice(1)) {
        const alone = service.ask(sample);
        if (alone.kind !== 'answer' || alone.entryId !== e.id) continue;
        const { reply } = service.askInContext(sample, previous);
        if (reply.kind === 'decline') lost.push(sample);
      }
    }
    expect(lost).toEqual([]);
  });

  it('marks where each candidate stands to the previous answer, and only in a conversation', () => {
    const previous = { question: 'when did putin say this', entryId: 'when-said' };
    const candidates = service.inspect('to whom did he say it', { previous }).candidates;
    const cited = new Set(kb.entries.find((e) => e.id === 'when-said')?.support.map((s) => s.text));
    const entries = candidates.filter((c) => c.kind === 'entry');
    expect(entries.length).toBeGreaterThan(0);
    for (const c of entries) {
      const sharesSentence = c.id !== 'when-said' && c.sentences.some((x) => cited.has(x));
      expect(c.context?.previousEntry).toBe(c.id === 'when-said' ? 1 : 0);
      expect(c.context?.previousSentence).toBe(sharesSentence ? 1 : 0);
    }
    // At least one of them is next to the previous answer (Thursday's sentence, the visit's).
    expect(entries.some((c) => c.context?.previousSentence === 1)).toBe(true);
    expect(service.inspect('to whom did he say it').candidates.every((c) => c.context === undefined)).toBe(
      true,
    );
  });

  it('does not give the last answer again (nor offer it first) for what it does not say: "when" after the flywheel quote', () => {
    const previous = contextAfter("what's the flywheel thing");
    expect(previous.entryId).toBe('putin-goal');
    const reply = service.askInContext('when', previous).reply;
    // Not given again, nor offered first, whether the model answers, asks back or declines.
    const given = reply.kind === 'answer' ? answered(reply) : reply.suggestions.map((s) => s.entryId);
    expect(given.length).toBeGreaterThan(0);
    expect(given[0]).not.toBe('putin-goal');
    if (reply.kind === 'answer') expect(given).not.toContain('putin-goal');
    // What it gives or offers first names the day he spoke. (With the model fitted with casual4 and
    // conversations7 it declines, offering how he spoke first: that answer's quote names Thursday.)
    const quotes = kb.entries.find((e) => e.id === given[0])?.support.map((q) => q.text) ?? [];
    expect(quotes.some((q) => /Thursday/.test(q))).toBe(true);
  });

  it('weighs the entry just shown down, since a follow-up mostly asks for something new', () => {
    // Fitted on five conversation sets, the prior's weight for it is small but below zero.
    const previous = contextAfter("what's the flywheel thing");
    const reading = service.readings('when', previous).inContext;
    const flywheel = (s: typeof service) =>
      s.inspect(reading, { previous }).candidates.find((c) => c.id === 'putin-goal')?.probability ?? 0;
    expect(flywheel(service)).toBeGreaterThan(0);
    expect(flywheel(service)).toBeLessThan(flywheel(without('contextPrior')));
  });

  it('counts a bare sentence the last answer quoted as that answer again', () => {
    const previous = { question: 'what is the flywheel quote', entryId: 'putin-goal' };
    const quoted = new Set(kb.entries.find((e) => e.id === previous.entryId)?.support.map((s) => s.text));
    const inspected = service.inspect('when? flywheel quote', { previous }).candidates;
    const repeat = inspected.find((c) => c.kind === 'sentence' && c.sentences.some((x) => quoted.has(x)));
    expect(repeat?.context?.previousEntry).toBe(1);
  });

  it('declines what the article does not say about the last subject, weighing its entry down', () => {
    const previous = contextAfter('zelensky?');
    expect(previous.entryId).toBe('zelenskiy-visit');
    const question = 'who did he talk to there';
    const asked = service.askInContext(question, previous);
    expect(asked.reply.kind).toBe('decline');
    // The prior is what holds the visit back: read the same way, it weighs the visit's entry lower.
    const visit = (s: typeof service) =>
      s.inspect(asked.question, { previous }).candidates.find((c) => c.id === 'zelenskiy-visit')
        ?.probability ?? 0;
    expect(visit(service)).toBeLessThan(visit(without('contextPrior')));
  });
});

describe('an acknowledgement before a follow-up', () => {
  it('answers the question after it, and leaves "and ..." a follow-up ("cool, and what did the us say")', () => {
    expect(answered(service.ask('fair enough, who is kirby'))).toEqual(answered(service.ask('who is kirby')));
    const previous = contextAfter('what did putin say about ending the war');
    expect(service.readings('cool, and what did the us say', previous).dependent).toBe(true);
    // The follow-up intents see past it too.
    const more = service.askInContext('cool, tell me more', previous).reply;
    expect(answered(more)).toEqual(answered(service.askInContext('tell me more', previous).reply));
    expect(answered(more).length).toBeGreaterThan(0);
  });
});

describe('"tell me more" goes on with the same speaker', () => {
  it("after Putin's words on negotiations, gives more of Putin's words, none shown before", () => {
    const previous = { ...contextAfter('what did putin say about negotiations'), shown: [] };
    expect(previous.entryId).toBe('conflicts-end-in-negotiations');
    const speaks = (r: QuestionReply) =>
      r.kind === 'answer'
        ? r.parts.map((p) => p.quotes.some((q) => q.speaker === 'Vladimir Putin'))
        : [false];
    const more = service.askInContext('tell me more', previous);
    expect(more.intent).toBe('more');
    expect(answered(more.reply)).not.toContain(previous.entryId);
    expect(speaks(more.reply).every(Boolean)).toBe(true);
    // By vocabulary alone, "more" after negotiations reaches the US side's words.
    expect(speaks(without('moreBySpeaker').askInContext('tell me more', previous).reply)).toContain(false);
  });

  it("asked for more of someone else's words, gives that speaker's, not more of the last one's", () => {
    const previous = contextAfter("what is putin's goal");
    expect(previous.entryId).toBe('putin-goal');
    const kirbys = new Set(
      kb.entries.filter((e) => e.support.some((s) => /Kirby/.test(s.text))).map((e) => e.id),
    );
    for (const message of ['what else did kirby say', 'did kirby say anything else']) {
      const more = service.askInContext(message, previous);
      expect(more.intent, message).toBe('more');
      expect(answered(more.reply).length, message).toBeGreaterThan(0);
      expect(
        answered(more.reply).every((id) => kirbys.has(id)),
        message,
      ).toBe(true);
      // Kirby is the subject now: "what else did he say" goes on with him.
      expect(more.subject !== undefined && kirbys.has(more.subject), message).toBe(true);
    }
    // No one named: more of the last speaker, the subject unchanged.
    const unnamed = service.askInContext('anything else', previous);
    expect(unnamed.intent).toBe('more');
    expect(unnamed.subject).toBeUndefined();
    expect(answered(unnamed.reply).some((id) => kirbys.has(id))).toBe(false);
  });
});
