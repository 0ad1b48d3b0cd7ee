import { describe, expect, it } from 'vitest';
import { FILLER_PHRASES, QUESTION_WORDS, STOPWORDS, SYNONYM_GROUPS } from '../../src/core/lexicon.ts';
import { canonicalToken, contentTokens, normalizeQuestion, stem } from '../../src/core/text.ts';

describe('lexicon', () => {
  it('has no synonym that a stopword silently swallows', () => {
    const dead = SYNONYM_GROUPS.flat().filter(
      (w) => !w.includes(' ') && STOPWORDS.has(w) && !QUESTION_WORDS.has(w),
    );
    expect(dead).toEqual([]);
  });

  it('lists each word in one synonym group only', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const group of SYNONYM_GROUPS) {
      for (const w of group) {
        const other = seen.get(w);
        if (other !== undefined && other !== group[0]) clashes.push(`${w}: ${other} / ${group[0]}`);
        seen.set(w, group[0] ?? '');
      }
    }
    expect(clashes).toEqual([]);
  });

  it('maps aliases and synonyms onto one term', () => {
    for (const [a, b] of [
      ['Zelenskiy', 'Zelenskyy'],
      ['Zelensky', 'Volodymyr'],
      ['jail', 'prison'],
      ['conflict', 'war'],
      ['peace talks', 'negotiations'],
      ['Kremlin', 'Moscow'],
      ['Kyiv', 'Ukraine'],
      ['White House', 'Washington'],
    ] as const) {
      expect(contentTokens(a), `${a} ~ ${b}`).toEqual(contentTokens(b));
    }
  });

  it('folds case, diacritics, curly quotes and possessives', () => {
    expect(normalizeQuestion('Putin’s “WAR” in Ukrainé')).toBe(normalizeQuestion("putin's war in ukraine"));
    expect(contentTokens("Zelenskiy's visit")).toEqual(['zelensky', 'visit']);
  });

  it('drops filler phrases and stopwords', () => {
    expect(contentTokens('is it true that kirby is the spokesman, right?')).toEqual(['kirby', 'spokesman']);
    expect(FILLER_PHRASES.every((f) => contentTokens(f).length === 0)).toBe(true);
  });

  it('stems regular inflections the same way', () => {
    expect(stem('negotiations')).toBe(stem('negotiation'));
    expect(canonicalToken('negotiating')).toBe(canonicalToken('negotiate'));
    expect(stem('escalates')).toBe(stem('escalate'));
  });
});
