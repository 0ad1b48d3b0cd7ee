import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { english, parseEnglish } from '../../src/core/language/english.ts';
import { Matcher } from '../../src/core/matcher.ts';
import { MATCHER_DEFAULTS } from '../../src/core/matcher-config.ts';
import { readIndex, writeIndex } from '../../src/core/matcher-index.ts';
import { createQaService } from '../../src/core/service.ts';

const kb = loadKnowledge();
const en = english();
const dir = mkdtempSync(join(tmpdir(), 'matcher-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'matcher-index.json');
writeIndex(path, new Matcher(kb, MATCHER_DEFAULTS), kb, MATCHER_DEFAULTS);

// Everyday questions, typos and off-article ones alike: every kind of reply must come out the same.
const questions = [
  'who is kirby',
  'wat did putin say abt ending the war',
  'how many years in prison',
  'kirbi job?',
  'does the article mention bitcoin',
  'when did he speak',
  'what does "bespeaks a man" mean',
  'thanks!',
  '¿Qué dijo Putin?',
  'us reaction?',
];

describe('the tokenized knowledge base saved at build time', () => {
  it('answers every question exactly as a knowledge base built at start-up does', () => {
    expect(readIndex(path, kb, MATCHER_DEFAULTS, en)).toBeDefined();
    const saved = createQaService(kb, { index: path });
    const built = createQaService(kb, { index: false });
    for (const q of questions) expect(saved.ask(q)).toEqual(built.ask(q));
    for (const q of questions) expect(saved.inspect(q)).toEqual(built.inspect(q));
  });

  it('is what a service started with it uses: a saved index it reads is not rebuilt', () => {
    // The same key over a body whose candidates hold no article phrases: a question quoting the
    // article then gets no phrase credit, which only happens if the service took the saved texts.
    const saved = JSON.parse(readFileSync(path, 'utf8')) as {
      candidates: object[];
      sentenceCandidates: object[];
    };
    const unphrased = (list: object[]) => list.map((c) => ({ ...c, phrases: [], supportText: '' }));
    const marked = join(dir, 'marked.json');
    writeFileSync(
      marked,
      JSON.stringify({
        ...saved,
        candidates: unphrased(saved.candidates),
        sentenceCandidates: unphrased(saved.sentenceCandidates),
      }),
    );
    const phrase = (service: ReturnType<typeof createQaService>) =>
      Math.max(
        ...service.inspect('what does "bespeaks a man" mean').candidates.map((c) => c.features.phrase),
      );
    expect(phrase(createQaService(kb, { index: false }))).toBeGreaterThan(0);
    expect(phrase(createQaService(kb, { index: path }))).toBe(phrase(createQaService(kb, { index: false })));
    expect(phrase(createQaService(kb, { index: marked }))).toBe(0);
  });

  it('is not used for another knowledge base, another config, or when it cannot be read', () => {
    const changed = {
      ...kb,
      entries: kb.entries.map((e, i) =>
        i === 0 ? { ...e, questions: [...e.questions, 'a new sample'] } : e,
      ),
    };
    expect(readIndex(path, changed, MATCHER_DEFAULTS, en)).toBeUndefined();
    const config = {
      ...MATCHER_DEFAULTS,
      scoring: { ...MATCHER_DEFAULTS.scoring, weakVocabularyCredit: 0.25 },
    };
    expect(readIndex(path, kb, config, en)).toBeUndefined();
    expect(readIndex(join(dir, 'missing.json'), kb, MATCHER_DEFAULTS, en)).toBeUndefined();
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"version": 1, "key": ');
    expect(readIndex(broken, kb, MATCHER_DEFAULTS, en)).toBeUndefined();
    // The right key over a damaged body: checked, not used, never a crash.
    const saved = JSON.parse(readFileSync(path, 'utf8')) as {
      key: string;
      candidates: { questionTokens?: unknown }[];
    };
    for (const body of [
      { version: 1, key: saved.key },
      { ...saved, candidates: saved.candidates.map(({ questionTokens: _, ...c }) => c) },
    ]) {
      const damaged = join(dir, 'damaged.json');
      writeFileSync(damaged, JSON.stringify(body));
      expect(readIndex(damaged, kb, MATCHER_DEFAULTS, en)).toBeUndefined();
      expect(createQaService(kb, { index: damaged }).ask('who is kirby')).toEqual(
        createQaService(kb, { index: false }).ask('who is kirby'),
      );
    }
    // Other English resources: other tokens, so not this index.
    expect(readIndex(path, kb, MATCHER_DEFAULTS, parseEnglish('#zipf x\nkirby 30\n'))).toBeUndefined();
    // A service pointed at a broken index builds its own and answers as usual.
    const reply = createQaService(kb, { index: broken }).ask('who is kirby');
    expect(reply.kind).toBe('answer');
    expect(reply).toEqual(createQaService(kb, { index: false }).ask('who is kirby'));
  });
});
