import { describe, expect, it } from 'vitest';
import { truncate } from '../../src/core/text.ts';

describe('truncate: the one cut of plain text for every platform', () => {
  it('leaves short text alone and marks a cut', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
  });

  it('never splits a grapheme: surrogate pairs, joined emoji, accents', () => {
    expect(truncate('a😀bc', 3)).toBe('a…');
    const family = '👨‍👩‍👧';
    expect(truncate(`ab${family}cd`, 8)).toBe('ab…');
    expect(truncate('cafe\u0301 noir', 5)).toBe('caf…');
  });

  it('cuts at a word when one ends near the limit, and can leave the cut unmarked', () => {
    expect(truncate('the quick brown fox jumps', 18, { atWord: true })).toBe('the quick brown…');
    expect(truncate('the quick brown fox', 12, { ellipsis: '', atWord: true })).toBe('the quick');
    expect(truncate('x'.repeat(50), 10, { atWord: true })).toBe(`${'x'.repeat(9)}…`);
  });

  it('never exceeds the limit (property-style sweep)', () => {
    const text = 'Zelenskiy’s visit 😀 to the US — «sooner the better» 👨‍👩‍👧 end';
    for (let max = 1; max <= text.length + 2; max++) {
      expect(truncate(text, max).length).toBeLessThanOrEqual(Math.max(max, 1));
      expect(truncate(text, max, { atWord: true }).length).toBeLessThanOrEqual(Math.max(max, 1));
    }
  });
});
