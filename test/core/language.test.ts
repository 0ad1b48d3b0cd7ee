import { describe, expect, it } from 'vitest';
import { FEATURES, type FeatureVector, fitLogistic, probability } from '../../src/core/decision.ts';
import { english, parseEnglish } from '../../src/core/language/english.ts';
import { oneEdit, Speller } from '../../src/core/language/spelling.ts';

describe('English resources', () => {
  const en = english();

  it('knows how common words are, from SUBTLEX', () => {
    expect(en.size).toBeGreaterThan(50_000);
    expect(en.zipf('boss')).toBeGreaterThan(en.zipf('casualties') ?? 9);
    expect(en.zipf('bitcoin')).toBeUndefined();
  });

  it('gives dictionary forms and WordNet relatives', () => {
    expect(en.lemma('backers')).toBe('backer');
    expect(en.lemma('news')).toBe('news');
    expect(en.related('talks')).toContain('negotiation');
    expect(en.related('cited')).toContain('mention');
  });

  it('parses the generated format, sorted sections searched in place', () => {
    const tiny = parseEnglish(
      '#spelling\n4 will well\n#zipf\nwell 55\nwill 62\n#lemma\nwells well\n#related\nwell fine good\n',
    );
    expect(tiny.zipf('will')).toBe(6.2);
    expect(tiny.zipf('wil')).toBeUndefined();
    expect(tiny.lemma('wells')).toBe('well');
    expect(tiny.related('well')).toEqual(['fine', 'good']);
    expect(tiny.wordsOfLength(4)).toEqual(['will', 'well']);
  });
});

describe('spelling', () => {
  const options = { dictionary: true, minLength: 4, twoEditsFrom: 7, cacheSize: 100 };
  const speller = new Speller(['kirby', 'negotiations', 'prison'], english(), options);

  it('recognises one edit, including a swap', () => {
    expect(oneEdit('evr', 'ever')).toBe(true);
    expect(oneEdit('kirbi', 'kirby')).toBe(true);
    expect(oneEdit('teh', 'the')).toBe(true);
    expect(oneEdit('kirby', 'kirby')).toBe(false);
    expect(oneEdit('abc', 'xyz')).toBe(false);
  });

  it("prefers the knowledge base's word, then the commonest English word", () => {
    expect(speller.correct('kirbey')).toBe('kirby');
    expect(speller.correct('negotiaitons')).toBe('negotiations');
    expect(speller.correct('evr')).toBe('ever');
    expect(speller.correct('wil')).toBe('will');
  });

  it('leaves alone what is close to nothing', () => {
    expect(speller.correct('xqzvw')).toBeUndefined();
    expect(speller.correct('1234')).toBeUndefined();
  });

  it('without the dictionary, corrects only towards the knowledge base', () => {
    const kbOnly = new Speller(['kirby'], english(), { ...options, dictionary: false });
    expect(kbOnly.correct('evr')).toBeUndefined();
    expect(kbOnly.correct('kirbi')).toBe('kirby');
  });
});

describe('decision model', () => {
  const vector = (coverage: number): FeatureVector =>
    Object.fromEntries(FEATURES.map((f) => [f, f === 'coverage' ? coverage : 0])) as FeatureVector;

  it('fits a probability that rises with the evidence and stays in (0, 1)', () => {
    const rows = Array.from({ length: 200 }, (_, i) => vector(i / 200));
    const labels = rows.map((r) => (r.coverage > 0.5 ? 1 : 0));
    const model = { ...fitLogistic(rows, labels, { l2: 0.0001, iterations: 800, learningRate: 0.1 }) };
    const low = probability(model, vector(0.1));
    const high = probability(model, vector(0.9));
    expect(low).toBeLessThan(0.2);
    expect(high).toBeGreaterThan(0.8);
    expect(high).toBeLessThan(1);
  });
});
