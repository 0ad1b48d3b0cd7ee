import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KnowledgeBase } from './knowledge.ts';
import type { AnswerType } from './language/answer-types.ts';
import { type BuiltTexts, type Candidate, creditOf, type Matcher } from './matcher.ts';
import type { MatcherConfig } from './matcher-config.ts';
import { fromPackageRoot } from './package-root.ts';

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
  readonly questions: readonly string[];
  readonly strong: readonly string[];
  readonly weak: readonly string[];
  readonly affinity: readonly (readonly [string, number])[];
  readonly questionTokens: readonly (readonly string[])[];
  readonly phrases: readonly (readonly [string, number])[];
  readonly supportText: string;
  readonly sentences: readonly string[];
  readonly answers: readonly AnswerType[];
}

interface SavedIndex {
  readonly version: number;
  readonly key: string;
  readonly candidates: readonly SavedCandidate[];
  readonly sentenceCandidates: readonly SavedCandidate[];
  readonly surfaces: readonly string[];
}

/**
 * What the built texts depend on: the knowledge base, the matcher config, the English resources
 * (their file's size and time) and the engine's own code (every module of this directory tree, as
 * it runs: the compiled .js in dist/, the .ts sources under tsx).
 */
export function indexKey(kb: KnowledgeBase, config: MatcherConfig): string {
  const hash = createHash('sha256');
  hash.update(`${VERSION}\n${JSON.stringify(kb)}\n${JSON.stringify(config)}\n`);
  const english = statSync(fromPackageRoot('src/core/language/english.txt'));
  hash.update(`${english.size} ${english.mtimeMs}\n`);
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
    questions: c.questions,
    strong: [...c.strong],
    weak: [...c.weak],
    affinity: [...c.affinity],
    questionTokens: c.questionTokens,
    phrases: [...c.phrases],
    supportText: c.supportText,
    sentences: c.sentences,
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
    key: indexKey(kb, config),
    candidates: matcher.candidates.map(save),
    sentenceCandidates: matcher.sentenceCandidates.map(save),
    surfaces: matcher.surfaces,
  };
  writeFileSync(path, `${JSON.stringify(index)}\n`);
}

/**
 * The texts saved for this knowledge base, config and code; undefined when there is no index,
 * it cannot be read, or it was built from anything else.
 */
export function readIndex(path: string, kb: KnowledgeBase, config: MatcherConfig): BuiltTexts | undefined {
  let saved: SavedIndex;
  try {
    saved = JSON.parse(readFileSync(path, 'utf8')) as SavedIndex;
  } catch {
    return undefined;
  }
  if (saved?.version !== VERSION || saved.key !== indexKey(kb, config)) return undefined;
  const weakCredit = config.scoring.weakVocabularyCredit;
  return {
    candidates: saved.candidates.map((c) => restore(c, weakCredit)),
    sentenceCandidates: saved.sentenceCandidates.map((c) => restore(c, weakCredit)),
    surfaces: saved.surfaces,
  };
}
