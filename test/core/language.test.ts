import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitBoostedTrees, logOdds, type TreeNode } from '../../src/core/boosted-trees.ts';
import {
  eitherRight,
  FEATURES,
  type FeatureVector,
  fitLogistic,
  loadDecisionModel,
  probability,
} from '../../src/core/decision.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { stripAcknowledgements } from '../../src/core/language/acknowledgements.ts';
import { answerTypes } from '../../src/core/language/answer-types.ts';
import { english, parseEnglish } from '../../src/core/language/english.ts';
import { oneEdit, Speller } from '../../src/core/language/spelling.ts';
import { Matcher } from '../../src/core/matcher.ts';
import { MATCHER_DEFAULTS } from '../../src/core/matcher-config.ts';
import { createQaService } from '../../src/core/service.ts';

describe('English resources', () => {
  const en = english();

  it('finds every key of a sorted section in place, whatever its first or last line holds', () => {
    const small = parseEnglish('#zipf x\n\nb 40\nbb 35\nc 30\nd\n#lemma y\nran run\n');
    expect(['a', 'b', 'bb', 'c', 'd', 'e', ''].map((w) => small.zipf(w))).toEqual([
      undefined,
      4,
      3.5,
      3,
      undefined,
      undefined,
      undefined,
    ]);
    expect(small.lemma('ran')).toBe('run');
    expect(small.lemma('runs')).toBe('runs');
    expect(small.fingerprint()).not.toBe(parseEnglish('#zipf x\nb 40\n').fingerprint());
  });

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

  it('boosted trees learn an interaction a single weight cannot (right only when both agree)', () => {
    const rows = Array.from({ length: 400 }, (_, i) => [(i % 20) / 20, Math.floor(i / 20) / 20]);
    const labels = rows.map(([a = 0, b = 0]) => (a > 0.5 === b > 0.5 ? 1 : 0));
    const trees = fitBoostedTrees(rows, labels, {
      rounds: 60,
      depth: 2,
      learningRate: 0.3,
      minLeaf: 10,
      lambda: 1,
      bins: 16,
    });
    const p = (a: number, b: number) => 1 / (1 + Math.exp(-logOdds(trees, [a, b])));
    expect(p(0.9, 0.9)).toBeGreaterThan(0.8);
    expect(p(0.1, 0.1)).toBeGreaterThan(0.8);
    expect(p(0.9, 0.1)).toBeLessThan(0.2);
    expect(p(0.1, 0.9)).toBeLessThan(0.2);
  });

  it('scores trees exactly as walking them does, lopsided, deep or with a missing value', () => {
    // A reference walk of the nested trees, the definition the compiled scorers must match.
    const walk = (model: { base: number; trees: readonly TreeNode[] }, x: readonly number[]) =>
      model.trees.reduce((z: number, tree) => {
        let node = tree;
        while (typeof node !== 'number') node = (x[node[0]] ?? 0) <= node[1] ? node[2] : node[3];
        return z + node;
      }, model.base);
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const rows = Array.from({ length: 600 }, () => [random(), random() < 0.5 ? 0 : 1, random(), random()]);
    const labels = rows.map(([a = 0, b = 0, c = 0]) => (a + 0.3 * b > 0.6 || c > 0.9 ? 1 : 0));
    for (const depth of [1, 3, 6]) {
      const model = fitBoostedTrees(rows, labels, {
        rounds: 30,
        depth,
        learningRate: 0.3,
        minLeaf: 5,
        lambda: 1,
        bins: 32,
      });
      const lopsided: TreeNode = [0, 0.5, 0.25, [2, 0.3, [1, 0.5, -0.5, 0.75], -1]];
      // 64 leaves: past what a bitmask holds, so this model is walked node by node.
      const split = (lo: number, hi: number, levels: number): TreeNode =>
        levels === 0
          ? lo
          : [0, (lo + hi) / 2, split(lo, (lo + hi) / 2, levels - 1), split((lo + hi) / 2, hi, levels - 1)];
      const mixed = { base: model.base, trees: [...model.trees, lopsided] };
      const deep = { base: model.base, trees: [...model.trees, split(0, 1, 6)] };
      const inputs = [
        ...rows.slice(0, 200),
        [Number.NaN, 1, 0.5, 0.5],
        [0.5, 0, 0.3, 0.2],
        [Number.POSITIVE_INFINITY, 0, Number.NEGATIVE_INFINITY, 1],
        // Shorter than the features: a missing one reads as 0.
        [0.7],
      ];
      // A NaN threshold cannot be put in order: such a model is walked node by node.
      const unordered = { base: model.base, trees: [...model.trees, [0, Number.NaN, 1, 2] as TreeNode] };
      for (const x of inputs) {
        expect(logOdds(mixed, x)).toBe(walk(mixed, x));
        expect(logOdds(deep, x)).toBe(walk(deep, x));
        expect(logOdds(unordered, x)).toBe(walk(unordered, x));
      }
    }
  });

  it('the shipped model is boosted trees over known features, and a perfect sample match answers', () => {
    const model = loadDecisionModel();
    expect(model.kind).toBe('boosted-trees');
    // Labels weighed by the model, not answered as the reader's choice.
    const config = { ...MATCHER_DEFAULTS, answers: { ...MATCHER_DEFAULTS.answers, labelsAnswer: false } };
    const service = createQaService(loadKnowledge(), { model, config });
    const curated = loadKnowledge().entries.map((e) => e.questions[0] ?? '');
    const answered = curated.filter((q) => service.ask(q).kind === 'answer');
    expect(answered.length / curated.length).toBeGreaterThan(0.9);
  });

  it('two answers from different sentences claim the chance that either is right, never their sum', () => {
    expect(eitherRight(0.6, 0.5)).toBeCloseTo(0.8);
    expect(eitherRight(0.9, 0.9)).toBeCloseTo(0.99);
    expect(eitherRight(0.7, 0)).toBeCloseTo(0.7);
  });

  it('refuses a model whose trees split on a feature it does not list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    const path = join(dir, 'model.json');
    const bad = { kind: 'boosted-trees', features: ['coverage'], base: 0, trees: [[3, 0.5, 0.1, -0.1]] };
    writeFileSync(path, JSON.stringify({ ...bad, thresholds: { answer: 0.8, clarify: 0.6 } }));
    expect(() => loadDecisionModel(path)).toThrow(/splits on a feature/);
    const bars = { thresholds: { answer: 0.8, clarify: 0.6 } };
    writeFileSync(path, JSON.stringify({ ...bad, features: ['nonsense'], ...bars }));
    expect(() => loadDecisionModel(path)).toThrow(/feature "nonsense" unknown/);
    // Without sound bars every answer would quietly become a decline.
    writeFileSync(path, JSON.stringify({ ...bad, trees: [], thresholds: {} }));
    expect(() => loadDecisionModel(path)).toThrow(/thresholds/);
    writeFileSync(path, JSON.stringify({ ...bad, trees: [], ...bars, context: { weights: {} } }));
    expect(() => loadDecisionModel(path)).toThrow(/context weight/);
  });
});

describe('sample share', () => {
  it('splits the mass of the nearest samples over entries and gaps, most to the one asked about', () => {
    const ranked = new Matcher(loadKnowledge(), MATCHER_DEFAULTS).analyze('who is john kirby').ranked;
    const total = ranked.reduce((sum, m) => sum + m.share, 0);
    expect(total).toBeCloseTo(1);
    const top = [...ranked].sort((a, b) => b.share - a.share)[0];
    expect(top?.candidate.id).toBe('who-is-kirby');
    expect(top?.share).toBeGreaterThan(0.3);
  });
});

describe('answer types', () => {
  const kb = loadKnowledge();
  const typeOf = (matcher: Matcher, question: string, id: string) =>
    matcher.analyze(question).ranked.find((m) => m.candidate.id === id)?.answerType;

  it('finds a time or a number in a text from English cues', () => {
    expect([...answerTypes(['Putin said on Thursday that…'])]).toEqual(['when']);
    expect([...answerTypes(['up to 15 years in prison'])]).toEqual(['howmany']);
    expect([...answerTypes(['ten months now'])]).toEqual(['howmany']);
    expect([...answerTypes(['Putin wants to end the war'])]).toEqual([]);
  });

  it('reads chat interjections as tone, not as typos of words ("haha" is not "aha")', () => {
    const matcher = new Matcher(kb, MATCHER_DEFAULTS);
    expect(matcher.terms('wtf is kirby saying haha').terms.map((t) => t.word)).toEqual(['kirby']);
    // "anyone" is not tone: "has anyone been jailed" asks beyond the law's text, and says so.
    expect(matcher.terms('has anyone been jailed').terms.map((t) => t.word)).toContain('anyone');
  });

  it('reads an acknowledgement that opens a message as chat, not as words of the question', () => {
    const matcher = new Matcher(kb, MATCHER_DEFAULTS);
    const words = (q: string) => matcher.terms(q).terms.map((t) => t.word);
    // Closed by punctuation, an emoji or markup, or followed by a word that opens a question.
    for (const q of [
      'fair enough, who is kirby',
      'cool, who is kirby',
      'makes sense. who is kirby',
      'sure, who is kirby',
      'alright who is kirby',
      'cool? who is kirby',
      'cool 👍 who is kirby',
      '_cool_, who is kirby',
      'ok... who is kirby',
    ])
      expect(words(q)).toEqual(words('who is kirby'));
    // Only at the start, and only with more to come: these words keep their meaning elsewhere.
    expect(words('is it a fine or jail')).toContain('fine');
    expect(words('was putin sure')).toContain('sure');
    expect(words('interesting')).toEqual(['interesting']);
    // Without a comma, only before a word that opens a question: "great article" is said of something.
    expect(words('great article')).toContain('great');
    // A dot or a dash closes one only before a space.
    for (const q of ['well-known critics of putin?', 'k-pop?', 'sure.com?'])
      expect(stripAcknowledgements(q)).toBe(q);
  });

  it('a "when" question fits an entry whose answer names a day, not one that names none', () => {
    const matcher = new Matcher(kb, MATCHER_DEFAULTS);
    const question = 'when did putin say russia wants the war to end';
    const ranked = matcher.analyze(question).ranked;
    const timed = ranked.find((m) => m.candidate.answers.has('when'));
    const untimed = ranked.find((m) => m.candidate.kind === 'entry' && !m.candidate.answers.has('when'));
    expect(timed?.answerType).toBe(1);
    expect(untimed?.answerType).toBe(-1);
    expect(typeOf(matcher, 'what did putin say', timed?.candidate.id ?? '')).toBe(0);
    const off = new Matcher(kb, {
      ...MATCHER_DEFAULTS,
      language: { ...MATCHER_DEFAULTS.language, answerTypes: false },
    });
    expect(typeOf(off, question, untimed?.candidate.id ?? '')).toBe(0);
  });
});
