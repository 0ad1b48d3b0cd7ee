import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KnowledgeBase } from './knowledge.ts';
import type { AnswerType } from './language/answer-types.ts';
import type { English } from './language/english.ts';
import { type BuiltTexts, type Candidate, creditOf, type Matcher } from './matcher.ts';
import type { MatcherConfig } from './matcher-config.ts';

/**
 * The Matcher's tokenized knowledge base, saved by `npm run build` so that a start loads it rather
 * than tokenizing every sample, answer and sentence again (about 30 ms of 50 before the first
 * answer). It is used only when it was built from this very knowledge base, matcher config, English
 * resources and engine code (a key over all four); anything else builds afresh, so a stale file
 * can cost time but never change an answer.
 */

/** Where `npm run build` saves it: beside the compiled engine, so a checkout of the sources never has one. */
export const DEFAULT_INDEX = fileURLToPath(new URL('./matcher-index.json', import.meta.url));

const VERSION = 1;

interface SavedCandidate {
  readonly id: string;
  readonly kind: Candidate['kind'];
  readonly questions: string[];
  readonly strong: string[];
  readonly weak: string[];
  readonly affinity: [string, number][];
  readonly questionTokens: string[][];
  readonly phrases: [string, number][];
  readonly supportText: string;
  readonly sentences: string[];
  readonly answers: AnswerType[];
}

interface SavedIndex {
  readonly version: number;
  readonly key: string;
  readonly candidates: SavedCandidate[];
  readonly sentenceCandidates: SavedCandidate[];
  readonly surfaces: string[];
}

// Checked in full before use, so a file with the right key and a damaged body is not an index.
// Plain loops: a schema library took 14 ms over these few thousand arrays, a third of start-up.
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
const isWeighted = (x: unknown): x is [string, number][] =>
  Array.isArray(x) &&
  x.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'number');
const KINDS: readonly unknown[] = ['entry', 'gap', 'sentence'];
const ANSWER_TYPES: readonly unknown[] = ['when', 'howmany'];

function isCandidate(x: unknown): x is SavedCandidate {
  if (typeof x !== 'object' || x === null) return false;
  const c = x as Record<string, unknown>;
  return (
    typeof c.id === 'string' &&
    KINDS.includes(c.kind) &&
    typeof c.supportText === 'string' &&
    isStrings(c.questions) &&
    isStrings(c.strong) &&
    isStrings(c.weak) &&
    isStrings(c.sentences) &&
    isWeighted(c.affinity) &&
    isWeighted(c.phrases) &&
    Array.isArray(c.questionTokens) &&
    c.questionTokens.every(isStrings) &&
    Array.isArray(c.answers) &&
    c.answers.every((a) => ANSWER_TYPES.includes(a))
  );
}

function isIndex(x: unknown): x is SavedIndex {
  if (typeof x !== 'object' || x === null) return false;
  const i = x as Record<string, unknown>;
  return (
    i.version === VERSION &&
    typeof i.key === 'string' &&
    isStrings(i.surfaces) &&
    Array.isArray(i.candidates) &&
    i.candidates.every(isCandidate) &&
    Array.isArray(i.sentenceCandidates) &&
    i.sentenceCandidates.every(isCandidate)
  );
}

/**
 * What the built texts depend on: the knowledge base, the matcher config, the English resources,
 * the engine's own code (every module of this directory tree, as it runs: the compiled .js in
 * dist/, the .ts sources under tsx), the stemmer it tokenizes with, and the Unicode tables of
 * this Node (case folding and \p{L} come from them).
 */
export function indexKey(kb: KnowledgeBase, config: MatcherConfig, english: English): string {
  const hash = createHash('sha256');
  hash.update(`${VERSION}\n${JSON.stringify(kb)}\n${JSON.stringify(config)}\n${english.fingerprint()}\n`);
  hash.update(`${process.versions.unicode} ${process.versions.icu}\n`);
  hash.update(readFileSync(createRequire(import.meta.url).resolve('stemmer')));
  const root = fileURLToPath(new URL('.', import.meta.url));
  const ext = extname(fileURLToPath(import.meta.url));
  const sources = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .sort();
  for (const file of sources) hash.update(`${file}\n`).update(readFileSync(`${root}${file}`));
  return hash.digest('hex');
}

function save(c: Candidate): SavedCandidate {
  return {
    id: c.id,
    kind: c.kind,
    questions: [...c.questions],
    strong: [...c.strong],
    weak: [...c.weak],
    affinity: [...c.affinity],
    questionTokens: c.questionTokens.map((q) => [...q]),
    phrases: [...c.phrases],
    supportText: c.supportText,
    sentences: [...c.sentences],
    answers: [...c.answers],
  };
}

function restore(c: SavedCandidate, weakCredit: number): Candidate {
  const affinity = new Map(c.affinity);
  const weak = new Set(c.weak);
  return {
    id: c.id,
    kind: c.kind,
    questions: c.questions,
    strong: new Set(c.strong),
    weak,
    affinity,
    credit: creditOf(affinity, weak, weakCredit),
    questionTokens: c.questionTokens,
    phrases: new Map(c.phrases),
    supportText: c.supportText,
    sentences: c.sentences,
    answers: new Set(c.answers),
  };
}

/** Saves what a Matcher built from `kb` under its key. */
export function writeIndex(path: string, matcher: Matcher, kb: KnowledgeBase, config: MatcherConfig): void {
  const index: SavedIndex = {
    version: VERSION,
    key: indexKey(kb, config, matcher.english),
    candidates: matcher.candidates.map(save),
    sentenceCandidates: matcher.sentenceCandidates.map(save),
    surfaces: [...matcher.surfaces],
  };
  writeFileSync(path, `${JSON.stringify(index)}\n`);
}

/**
 * The texts saved for this knowledge base, config, English resources and code; undefined when
 * there is no index, it cannot be read or checked, or it was built from anything else. Never
 * throws: start-up then builds them itself.
 */
export function readIndex(
  path: string,
  kb: KnowledgeBase,
  config: MatcherConfig,
  english: English,
): BuiltTexts | undefined {
  try {
    const saved: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isIndex(saved) || saved.key !== indexKey(kb, config, english)) return undefined;
    const weakCredit = config.scoring.weakVocabularyCredit;
    return {
      candidates: saved.candidates.map((c) => restore(c, weakCredit)),
      sentenceCandidates: saved.sentenceCandidates.map((c) => restore(c, weakCredit)),
      surfaces: saved.surfaces,
    };
  } catch {
    return undefined;
  }
}
