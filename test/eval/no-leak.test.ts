import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { foldCase } from '../../src/core/text.ts';
import { loadConversations } from './conversations.ts';
import { loadDataset } from './evaluate.ts';

/**
 * Evaluation questions must not be pasted into the knowledge base: a question of seven or more
 * words found verbatim (after case and punctuation folding) among its samples fails here.
 */
const kb = loadKnowledge();
const samples = new Set(
  [...kb.entries.flatMap((e) => e.questions), ...kb.gaps.flatMap((g) => g.questions)].map(foldCase),
);
const sets = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.json'));

describe('evaluation sets stay out of the knowledge base', () => {
  it('finds every set', () => {
    expect(sets).toEqual(expect.arrayContaining(['dataset.json', 'holdout3.json', 'casual.json']));
  });

  it.each(sets)('%s shares no long question with the samples', (file) => {
    const url = new URL(`./${file}`, import.meta.url);
    const questions = file.startsWith('conversations')
      ? loadConversations(url).conversations.flatMap((c) => c.turns.map((t) => t.q))
      : (({ inScope, outOfScope }) => [...inScope.map((c) => c.q), ...outOfScope.map((c) => c.q)])(
          loadDataset(url),
        );
    const leaked = questions.filter((q) => {
      const folded = foldCase(q);
      return folded.split(' ').length >= 7 && samples.has(folded);
    });
    expect(leaked).toEqual([]);
  });

  it('would notice a leak', () => {
    const long = kb.entries.flatMap((e) => e.questions).find((q) => foldCase(q).split(' ').length >= 7);
    expect(long && samples.has(foldCase(long))).toBe(true);
  });
});
