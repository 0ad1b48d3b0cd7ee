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
const after = (question: string): PreviousTurn => {
  const reply = service.ask(question);
  return { question, ...(reply.kind === 'answer' ? { entryId: reply.entryId } : {}) };
};

describe('a follow-up is weighed against the answer before it (context features)', () => {
  const withContext = createQaService(kb, {
    config: { ...MATCHER_DEFAULTS, followUps: { ...MATCHER_DEFAULTS.followUps, contextFeatures: true } },
  });
  const previous = { question: 'when did putin say this', entryId: 'when-said' };
  const seen = (s: typeof service) => s.inspect('to whom did he say it', { previous }).candidates;
  const flags = (c: ReturnType<typeof seen>[number]) =>
    [c.features.previousEntry, c.features.previousSentence, c.features.previousRelated].join('');

  it('marks the previous answer, the entries citing its sentences and its related entries', () => {
    const candidates = seen(withContext);
    const byId = new Map(candidates.map((c) => [c.id, c]));
    // The entry on how Putin spoke cites the sentence of Thursday that the previous answer cites.
    const howSpoke = byId.get('how-putin-spoke');
    expect(howSpoke && flags(howSpoke)).toMatch(/^01/);
    const previousEntry = candidates.filter((c) => c.features.previousEntry === 1).map((c) => c.id);
    expect(previousEntry.every((id) => id === 'when-said')).toBe(true);
  });

  it('leaves every candidate unmarked when switched off, or with nothing answered before', () => {
    expect(
      seen(without('contextFeatures'))
        .map(flags)
        .every((f) => f === '000'),
    ).toBe(true);
    const alone = withContext.inspect('to whom did he say it').candidates;
    expect(alone.map(flags).every((f) => f === '000')).toBe(true);
  });
});

describe('"tell me more" goes on with the same speaker', () => {
  it("after Putin's words on negotiations, gives more of Putin's words, none shown before", () => {
    const previous = { ...after('what did putin say about negotiations'), shown: [] };
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
});
