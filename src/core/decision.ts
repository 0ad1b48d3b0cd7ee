import { readFileSync } from 'node:fs';
import { type BoostedTrees, logOdds, type TreeNode } from './boosted-trees.ts';
import { QUESTION_WORDS } from './language/lexicon.ts';
import type { Analysis, Match } from './matcher.ts';
import { fromPackageRoot } from './package-root.ts';

/**
 * The whole answer / clarify / decline policy: a handful of general features of a candidate,
 * mapped by a model fitted on labelled questions (`npm run fit`: boosted trees, or a logistic
 * regression over the features and their products) to the probability that answering with that
 * candidate is right. Thresholds come from the fitted model's reliability curve, not from hand
 * tuning.
 */
export const FEATURES = [
  /** Share of the question's informative weight the candidate's vocabulary explains. */
  'coverage',
  /** Best weighted Dice overlap with one sample question. */
  'sample',
  /** The ranking score itself (coverage and sample blended, plus phrases). */
  'score',
  /** The lesser of coverage and sample: both the words and one real phrasing agree. */
  'agreement',
  /** Ranking score minus the best rival's that answers from other sentences (negative when behind). */
  'margin',
  /** How far the best "the article doesn't say" candidate scores above this one (0 when below). */
  'gapLead',
  /**
   * 1 when that gap outranks this candidate clearly, or at all through a word this candidate does
   * not explain: the question asks something next to the fact, not the fact.
   */
  'gapAhead',
  /** Question words only unanswerable-question samples use (casualties, sanctions…), at most 2. */
  'gapWords',
  /** Share of the question's weight nothing in the knowledge base explains. */
  'unexplained',
  /** 1 when a who/when/where/how-many question is one this candidate is asked. */
  'questionFit',
  /** 1 when it asks who/when/where/how many and no sample of this candidate asks that way. */
  'questionMismatch',
  /** A run of article words or a quoted phrase found in the candidate's sentences. */
  'phrase',
  /** 1 for a bare article sentence rather than a curated entry. */
  'sentence',
  /** 1 / number of informative words: very short questions are ambiguous. */
  'brevity',
  /** 1 when a "when"/"how many" question's candidate answer names a time or a number. */
  'typeAnswered',
  /** 1 when it names none: the question asks what this fact does not say. */
  'typeMissing',
  /** Its share of the question's nearest samples, over every entry and gap (a soft vote). */
  'share',
] as const;
export type FeatureName = (typeof FEATURES)[number];
export type FeatureVector = Record<FeatureName, number>;

/**
 * Continuous features whose pairwise products the model also weighs: a linear model alone cannot
 * say "a high score means little when a gap scores as high".
 */
const CROSSED: readonly FeatureName[] = ['coverage', 'sample', 'score', 'margin', 'gapLead', 'unexplained'];
/** Names of every model input: the features, then their crossings as "a*b". */
export const INPUTS: readonly string[] = [
  ...FEATURES,
  ...CROSSED.flatMap((a, i) => CROSSED.slice(i).map((b) => `${a}*${b}`)),
];

/** The model's inputs for one feature vector, in INPUTS order. */
export function inputsOf(f: FeatureVector): number[] {
  const out: number[] = FEATURES.map((name) => f[name]);
  CROSSED.forEach((a, i) => {
    for (const b of CROSSED.slice(i)) out.push(f[a] * f[b]);
  });
  return out;
}

interface Fitted {
  /** Answer at or above; between clarify and answer ask "did you mean"; below, decline. */
  readonly thresholds: { readonly answer: number; readonly clarify: number };
  /** How the model was fitted, for the record (sets, folds, cross-validated calibration). */
  readonly fitted?: Readonly<Record<string, unknown>>;
  /** The correction for candidates weighed in a conversation (none: weighed as alone). */
  readonly context?: ContextPrior;
}

/** A logistic regression: one weight per input (INPUTS), features and their crossings. */
export interface LogisticModel extends Fitted {
  readonly kind?: 'logistic';
  readonly weights: Readonly<Record<string, number>>;
  readonly bias: number;
}

/** Boosted trees over the features, named in the order the trees index them. */
export interface TreesModel extends Fitted, BoostedTrees {
  readonly kind: 'boosted-trees';
  readonly features: readonly FeatureName[];
}

export type DecisionModel = LogisticModel | TreesModel;

/**
 * Where a candidate stands to a conversation's previous answer. These are not features of the
 * model above (a single question has no previous answer): a small prior fitted on conversation
 * turns alone shifts the model's log-odds by them, so single questions are weighed exactly as
 * before.
 */
export const CONTEXT_FEATURES = [
  /** The candidate is the entry that answered the turn before. */
  'previousEntry',
  /** It cites a sentence the previous answer cites (another side of the same sentence). */
  'previousSentence',
  /** It is among the previous answer's related entries (the ones its reply suggested). */
  'previousRelated',
] as const;
export type ContextVector = Record<(typeof CONTEXT_FEATURES)[number], number>;

/** What a candidate is weighed against in a conversation: the answer before it. */
export interface FeatureContext {
  /** The entry that answered the previous turn. */
  readonly previous: string;
  /** Entries citing one of its sentences. */
  readonly sameSentence: ReadonlySet<string>;
  /** Its related entries (the ones its reply suggests). */
  readonly related: ReadonlySet<string>;
  /** The article sentences it cited (a bare sentence among them repeats what was shown). */
  readonly cited: ReadonlySet<string>;
}

export function contextOf(candidate: Match['candidate'], context: FeatureContext): ContextVector {
  const id = candidate.id;
  // A bare sentence the previous answer quoted says again what was just shown.
  if (candidate.kind === 'sentence') {
    const repeats = candidate.sentences.some((s) => context.cited.has(s));
    return { previousEntry: repeats ? 1 : 0, previousSentence: 0, previousRelated: 0 };
  }
  return {
    previousEntry: context.previous === id ? 1 : 0,
    previousSentence: context.previous !== id && context.sameSentence.has(id) ? 1 : 0,
    previousRelated: context.previous !== id && context.related.has(id) ? 1 : 0,
  };
}

/**
 * A shift of the model's log-odds for candidates in a conversation, by where each stands to the
 * previous answer. Only a shift: `npm run fit` tried a fitted slope (it fell to about 0.5 and
 * left most follow-ups under the answer bar) and a bias (it marked down every candidate not next
 * to the previous answer), and keeps neither.
 */
export interface ContextPrior {
  readonly weights: Readonly<Record<string, number>>;
}

/** The model's probability for a candidate, corrected by where it stands to the previous answer. */
export function inContext(prior: ContextPrior, p: number, c: ContextVector): number {
  const clamped = Math.min(1 - 1e-6, Math.max(1e-6, p));
  let z = Math.log(clamped / (1 - clamped));
  for (const name of CONTEXT_FEATURES) z += (prior.weights[name] ?? 0) * c[name];
  return 1 / (1 + Math.exp(-z));
}

export function featuresOf(match: Match, analysis: Analysis, rivals: readonly Match[]): FeatureVector {
  const rival = rivals.find(
    (m) => m !== match && !m.candidate.sentences.some((s) => match.candidate.sentences.includes(s)),
  );
  const gap = analysis.ranked.find((m) => m.candidate.kind === 'gap');
  const informative = analysis.terms.length;
  return {
    coverage: match.coverage,
    sample: match.sample,
    score: match.score,
    agreement: Math.min(match.coverage, match.sample),
    margin: match.score - (rival?.score ?? 0),
    gapLead: Math.max(0, (gap?.score ?? 0) - match.score),
    gapAhead:
      gap &&
      (gap.score > match.score + GAP_YIELD_MARGIN ||
        (gap.score > match.score && explainsLess(match, gap, analysis)))
        ? 1
        : 0,
    gapWords: Math.min(2, analysis.gapWords),
    unexplained: analysis.unexplained,
    questionFit: match.questionFit > 0 ? 1 : 0,
    questionMismatch: match.questionFit < 0 ? 1 : 0,
    phrase: match.phrase,
    sentence: match.candidate.kind === 'sentence' ? 1 : 0,
    brevity: informative > 0 ? 1 / informative : 1,
    typeAnswered: match.answerType > 0 ? 1 : 0,
    typeMissing: match.answerType < 0 ? 1 : 0,
    share: match.share,
  };
}

/** Scores this close count as a tie between a gap and an entry (the entry then is not behind). */
const GAP_YIELD_MARGIN = 0.03;

/** The gap explains a word of the question that the candidate does not. */
function explainsLess(match: Match, gap: Match, analysis: Analysis): boolean {
  return analysis.terms.some(
    (t) =>
      !QUESTION_WORDS.has(t.tokens[0] ?? '') &&
      t.tokens.some((x) => gap.candidate.strong.has(x)) &&
      !t.tokens.some((x) => match.candidate.strong.has(x) || match.candidate.weak.has(x)),
  );
}

export function probability(
  model: Pick<LogisticModel, 'weights' | 'bias'> | Pick<TreesModel, 'kind' | 'features' | 'base' | 'trees'>,
  f: FeatureVector,
): number {
  let z: number;
  if ('trees' in model)
    // A typed array keeps the walk on one representation of numbers (no deoptimisation).
    z = logOdds(model, inputsFor(model.features, f));
  else {
    z = model.bias;
    const x = inputsOf(f);
    INPUTS.forEach((name, i) => {
      z += (model.weights[name] ?? 0) * (x[i] ?? 0);
    });
  }
  return 1 / (1 + Math.exp(-z));
}

/** The named features in the model's order (a plain loop: `Float64Array.from` with a mapping function cost more than the walk). */
function inputsFor(names: readonly FeatureName[], f: FeatureVector): Float64Array {
  const x = new Float64Array(names.length);
  names.forEach((name, i) => {
    x[i] = f[name];
  });
  return x;
}

/**
 * The chance that at least one of two answers from different sentences is right, read as
 * independent: their sum (the old rule) claimed 0.986 on average for two-part answers that
 * were right 92.6% of the time on the tuning sets.
 */
export function eitherRight(a: number, b: number): number {
  return 1 - (1 - a) * (1 - b);
}

export interface FitOptions {
  readonly l2: number;
  readonly iterations: number;
  readonly learningRate: number;
}

/** L2-regularised logistic regression by full-batch gradient descent (a few thousand rows). */
export function fitLogistic(
  rows: readonly FeatureVector[],
  labels: readonly number[],
  { l2, iterations, learningRate }: FitOptions,
): { weights: Record<string, number>; bias: number } {
  const k = INPUTS.length;
  const w = new Array<number>(k).fill(0);
  let b = 0;
  const x = rows.map(inputsOf);
  const n = rows.length || 1;
  // Adam: robust to the features' different scales without hand-set per-feature rates.
  const m = new Array<number>(k + 1).fill(0);
  const v = new Array<number>(k + 1).fill(0);
  for (let step = 1; step <= iterations; step++) {
    const grad = new Array<number>(k + 1).fill(0);
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] ?? [];
      let z = b;
      for (let j = 0; j < k; j++) z += (w[j] ?? 0) * (xi[j] ?? 0);
      const err = 1 / (1 + Math.exp(-z)) - (labels[i] ?? 0);
      for (let j = 0; j < k; j++) grad[j] = (grad[j] ?? 0) + err * (xi[j] ?? 0);
      grad[k] = (grad[k] ?? 0) + err;
    }
    for (let j = 0; j <= k; j++) {
      const g = (grad[j] ?? 0) / n + (j < k ? l2 * (w[j] ?? 0) : 0);
      m[j] = 0.9 * (m[j] ?? 0) + 0.1 * g;
      v[j] = 0.999 * (v[j] ?? 0) + 0.001 * g * g;
      const mHat = (m[j] ?? 0) / (1 - 0.9 ** step);
      const vHat = (v[j] ?? 0) / (1 - 0.999 ** step);
      const delta = (learningRate * mHat) / (Math.sqrt(vHat) + 1e-8);
      if (j < k) w[j] = (w[j] ?? 0) - delta;
      else b -= delta;
    }
  }
  return { weights: Object.fromEntries(INPUTS.map((name, j) => [name, w[j] ?? 0])), bias: b };
}

export const DEFAULT_MODEL_PATH = fromPackageRoot('src/core/decision-model.json');

export function loadDecisionModel(path: string = DEFAULT_MODEL_PATH): DecisionModel {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as DecisionModel;
  // A model without sound bars would decline everything without a word: refuse it at start-up.
  const bar = (x: unknown) => typeof x === 'number' && x > 0 && x < 1;
  if (!bar(raw.thresholds?.answer) || !bar(raw.thresholds?.clarify))
    throw new Error('decision model: thresholds.answer and thresholds.clarify must be numbers in (0, 1)');
  for (const name of raw.context ? CONTEXT_FEATURES : []) {
    if (typeof raw.context?.weights?.[name] !== 'number')
      throw new Error(`decision model: context weight "${name}" missing`);
  }
  if (raw.kind === 'boosted-trees') {
    if (!Array.isArray(raw.trees) || !Array.isArray(raw.features) || typeof raw.base !== 'number')
      throw new Error('decision model: boosted trees need features, base and trees');
    const known = new Set<string>(FEATURES);
    const unknown = raw.features.find((name) => !known.has(name));
    if (unknown !== undefined) throw new Error(`decision model: feature "${unknown}" unknown`);
    const width = raw.features.length;
    const valid = (node: TreeNode): boolean =>
      typeof node === 'number' || (node[0] >= 0 && node[0] < width && valid(node[2]) && valid(node[3]));
    if (!raw.trees.every(valid))
      throw new Error('decision model: a tree splits on a feature it does not list');
    return raw;
  }
  for (const name of INPUTS) {
    if (typeof raw.weights?.[name] !== 'number') throw new Error(`decision model: weight "${name}" missing`);
  }
  return raw;
}
