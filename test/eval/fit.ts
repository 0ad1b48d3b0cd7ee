/**
 * Fits the decision model (src/core/decision-model.json) on the labelled tuning sets, never on a
 * held-out set: `npm run fit`. Reports 5-fold cross-validated calibration, and picks the answer and
 * clarify thresholds from the cross-validated reliability curve.
 */
import { writeFileSync } from 'node:fs';
import { type BoostOptions, fitBoostedTrees, type TreeNode } from '../../src/core/boosted-trees.ts';
import {
  CONTEXT_FEATURES,
  type ContextPrior,
  type ContextVector,
  type DecisionModel,
  eitherRight,
  FEATURES,
  type FeatureVector,
  fitLogistic,
  INPUTS,
  type LogisticModel,
  probability,
  type TreesModel,
} from '../../src/core/decision.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { MATCHER_DEFAULTS, type MatcherConfig } from '../../src/core/matcher-config.ts';
import { createQaService, type InspectionContext, type PreviousTurn } from '../../src/core/service.ts';
import { foldCase, words } from '../../src/core/text.ts';
import {
  CONVERSATION_TUNING_SETS,
  type ConversationReport,
  type ConversationSet,
  evaluateConversations,
  loadConversations,
  mergeReports,
  share,
} from './conversations.ts';
import { evaluate, groundedIn, loadDataset, reliability, TUNING_SETS } from './evaluate.ts';

/** A wrong answer costs this many times a question left unanswered (asked back or declined). */
export const WRONG_ANSWER_COST = 4;
const FOLDS = 5;
const LOGISTIC = { l2: 0.0001, iterations: 6000, learningRate: 0.05 } as const;
/**
 * Shallow trees, slow learning, and leaves of at least 30 candidates: a few thousand rows. 800
 * rounds, not 200: with the labelled rows more than doubled in stop 18, 200 underfitted. Refitted
 * at each (cross-validated utility at the fit's bar / at the best bar, log loss; casual4 right,
 * wrong, utility; conversations7 follow-ups right of 93, unanswerable declined of 31, wrong turns
 * of 187; casual4 and conversations7 were then not fitted on; they are since stop 20):
 * - 200: 1087 / 1108, 0.337; 183, 7, 155; 55, 22, 15
 * - 350: 1083 / 1121, 0.327; 184, 6, 160; 56, 20, 18 (these two with "anyone" a stopword, as for
 * - 500: 1132 / 1147, 0.320; 180, 4, 164; 54, 23, 14  a while in stop 19: 200 gave 1082, 153)
 * - 800: 1180 / 1180, 0.312; 189, 4, 173; 53, 25, 12
 * - 1200: 1157 / 1179, 0.307; 189, 4, 173; 52, 24, 14
 * - 1600: 1148 / 1191, 0.305; 201, 5, 181; 52, 22, 17
 * Depth 2 (300 rounds: 1071, casual4 146), depth 4 (200 rounds: 1127, 154; 300: 1113, 152) and
 * leaves of 50 or 60 were no better (also with "anyone" a stopword, but for leaves of 50).
 */
export const TREES: BoostOptions = {
  rounds: 800,
  depth: 3,
  learningRate: 0.05,
  minLeaf: 30,
  lambda: 1,
  bins: 32,
};

/** `boosted-trees` is the default; `logistic` (features and their products) is kept for the ablation. */
export type ModelKind = 'boosted-trees' | 'logistic';

type Trained = Pick<LogisticModel, 'kind' | 'weights' | 'bias'> | Omit<TreesModel, 'thresholds' | 'fitted'>;

function train(kind: ModelKind, rows: readonly Row[], trees: BoostOptions = TREES): Trained {
  if (kind === 'logistic')
    return {
      kind: 'logistic',
      ...fitLogistic(
        rows.map((r) => r.features),
        rows.map((r) => r.label),
        LOGISTIC,
      ),
    };
  const fitted = fitBoostedTrees(
    rows.map((r) => FEATURES.map((name) => r.features[name])),
    rows.map((r) => r.label),
    trees,
  );
  return { kind: 'boosted-trees', features: FEATURES, ...fitted };
}

export interface Row {
  readonly question: number;
  readonly features: FeatureVector;
  readonly label: number;
  readonly kind: string;
  /** The question is answerable from the article (an in-scope case). */
  readonly answerable: boolean;
  /** A curated sample of the knowledge base: fitted on, but not used to pick thresholds. */
  readonly curated?: boolean;
  /** The article sentences it answers from: a second part must come from others. */
  readonly sentences: readonly string[];
  /** A conversation turn's candidate: where it stands to the previous answer (the context prior's input). */
  readonly context?: ContextVector;
}

export const ZERO_MODEL: DecisionModel = {
  weights: Object.fromEntries(INPUTS.map((f) => [f, 0])),
  bias: 0,
  thresholds: { answer: 0.5, clarify: 0.4 },
};

/** A question as its words, so the same question in two sets, cased or punctuated apart, is one. */
export const questionKey = (q: string) => words(foldCase(q)).join(' ');

/**
 * One row per candidate the decision weighs, labelled right (1) or wrong (0), per question: the
 * labelled sets' questions, and the knowledge base's own curated questions (an entry's samples are
 * answered by its sentences; a gap's samples by none).
 */
export function collectRows(
  service: ReturnType<typeof createQaService>,
  sets: readonly string[] = TUNING_SETS,
  conversationSets: readonly (string | ConversationSet)[] = CONVERSATION_TUNING_SETS,
  /** Questions (as `questionKey` folds them) left out wherever they come from: a set being scored. */
  exclude: ReadonlySet<string> = new Set(),
): { rows: Row[]; questions: number } {
  const rows: Row[] = [];
  let question = 0;
  /** Adds a question's rows; gives the best-scored entry that answers it right, if one is weighed. */
  const add = (
    q: string,
    evidence: readonly string[],
    curated: boolean,
    conversation?: InspectionContext,
  ): { id: string; score: number } | undefined => {
    if (exclude.has(questionKey(q))) return undefined;
    const seen = service.inspect(q, conversation);
    if (seen.screened) return undefined;
    let right: { id: string; score: number } | undefined;
    for (const cand of seen.candidates) {
      const label = evidence.length > 0 && groundedIn(cand.sentences, evidence) ? 1 : 0;
      rows.push({
        question,
        features: cand.features,
        label,
        kind: cand.kind,
        sentences: cand.sentences,
        answerable: evidence.length > 0,
        curated,
        ...(cand.context ? { context: cand.context } : {}),
      });
      if (label && cand.kind === 'entry' && cand.score > (right?.score ?? -1))
        right = { id: cand.id, score: cand.score };
    }
    question++;
    return right;
  };
  for (const name of sets) {
    const data = loadDataset(new URL(`./${name}.json`, import.meta.url));
    for (const c of data.inScope) add(c.q, c.evidence, false);
    for (const c of data.outOfScope) add(c.q, [], false);
  }
  // Conversations: each turn alone and as read after the turn before, so the decision also
  // learns what follow-up readings look like ("how old is he" read as "how old is he kirby") and
  // how a candidate stands to the answer before. That answer is taken to be right (the entry
  // answering the turn before from its evidence), as the bot's would be when it answered well.
  const kb = service.knowledge;
  const answering = (evidence: readonly string[]) =>
    kb.entries.find((e) =>
      groundedIn(
        e.support.map((s) => s.text),
        evidence,
      ),
    )?.id;
  for (const set of conversationSets) {
    const { conversations } =
      typeof set === 'string' ? loadConversations(new URL(`./${set}.json`, import.meta.url)) : set;
    for (const conversation of conversations) {
      let previous: PreviousTurn | undefined;
      for (const turn of conversation.turns) {
        if (turn.smalltalk) continue;
        const evidence = turn.evidence ?? [];
        // The message alone is weighed as any question; only its reading in context sees the turn before.
        const alone = add(turn.q, evidence, false);
        const reading = previous === undefined ? undefined : service.readings(turn.q, previous);
        const read =
          previous && reading && reading.inContext !== turn.q && !exclude.has(questionKey(turn.q))
            ? add(reading.inContext, evidence, false, { previous })
            : undefined;
        const best = [alone, read].reduce((a, b) => (b && (!a || b.score > a.score) ? b : a), undefined);
        const entryId = evidence.length ? (best?.id ?? answering(evidence)) : undefined;
        previous = {
          question: reading?.dependent ? reading.inContext : turn.q,
          ...(entryId ? { entryId } : {}),
        };
      }
    }
  }
  for (const e of kb.entries)
    for (const q of e.questions)
      add(
        q,
        e.support.map((s) => s.text),
        true,
      );
  for (const g of kb.gaps) for (const q of g.questions) add(q, [], true);
  return { rows, questions: question };
}

const predict = probability;

/** Cross-validated predictions: each question's rows predicted by a model fitted without it. */
export function crossValidate(
  rows: readonly Row[],
  kind: ModelKind = 'boosted-trees',
  trees: BoostOptions = TREES,
): number[] {
  const out = new Array<number>(rows.length).fill(0);
  for (let fold = 0; fold < FOLDS; fold++) {
    const inFold = (r: Row) => (r.question * 2654435761) % FOLDS === fold;
    const m = train(
      kind,
      rows.filter((r) => !inFold(r)),
      trees,
    );
    rows.forEach((r, i) => {
      if (inFold(r)) out[i] = predict(m, r.features);
    });
  }
  return out;
}

/**
 * Per question, its weighed entries (most probable first) and fallback sentence, each with its
 * probability and whether it is right.
 */
function decisions(rows: readonly Row[], p: readonly number[]) {
  const byQuestion = new Map<
    number,
    {
      answerable: boolean;
      entries: { p: number; ok: boolean; sentences: readonly string[] }[];
      sentence?: { p: number; ok: boolean };
    }
  >();
  rows.forEach((r, i) => {
    const pi = p[i] ?? 0;
    const d = byQuestion.get(r.question) ?? {
      answerable: r.answerable,
      entries: [],
    };
    if (r.kind === 'sentence') d.sentence = { p: pi, ok: r.label === 1 };
    else {
      d.entries.push({ p: pi, ok: r.label === 1, sentences: r.sentences });
    }
    byQuestion.set(r.question, d);
  });
  // Best first, as qa-service weighs them: the pair, the bars and the "did you mean" list read this order.
  for (const d of byQuestion.values()) d.entries.sort((x, y) => y.p - x.p);
  return [...byQuestion.values()];
}

type Decision = ReturnType<typeof decisions>[number];
type AnswerSwitches = Pick<MatcherConfig['answers'], 'secondPart' | 'secondPartFloor' | 'sentenceFallback'>;

/**
 * The best entry, and the best other one that may join it as a second part: at least
 * `secondPartFloor` of the answer bar, and answering from other sentences (as qa-service picks them).
 */
function pairOf(d: Decision, answer: number, answers: AnswerSwitches) {
  const [a, ...rest] = d.entries;
  const b =
    a && answers.secondPart
      ? rest.find(
          (s) => s.p >= answer * answers.secondPartFloor && !s.sentences.some((x) => a.sentences.includes(x)),
        )
      : undefined;
  return { a, b };
}

/** What the service would show at this answer bar (mirrors qa-service's order of checks). */
function shown(d: Decision, answer: number, answers: AnswerSwitches): { p: number; ok: boolean } | undefined {
  const { a, b } = pairOf(d, answer, answers);
  if (!a) return undefined;
  const together = b ? eitherRight(a.p, b.p) : 0;
  if (a.p >= answer || together >= answer) {
    // A second part is shown when it clears the bar itself, or when the best one alone does not.
    const both = b && (b.p >= answer || a.p < answer);
    return both ? { p: Math.max(a.p, together), ok: a.ok || b.ok } : a;
  }
  if (answers.sentenceFallback && d.sentence && d.sentence.p >= answer) return d.sentence;
  return undefined;
}

/** How sure the best entry, or it with a second part, is: what qa-service compares with the clarify bar. */
function reach(d: Decision, answer: number, answers: AnswerSwitches): number {
  const { a, b } = pairOf(d, answer, answers);
  if (!a) return 0;
  return b ? Math.max(a.p, eitherRight(a.p, b.p)) : a.p;
}

/**
 * Whether the utility at option `i` is within one standard error of the best option's: the error
 * of their difference, question by question (each question's utility under both).
 */
function withinError(perQuestion: readonly (readonly number[])[], best: number, i: number): boolean {
  const diff = (perQuestion[best] ?? []).map((u, q) => u - (perQuestion[i]?.[q] ?? 0));
  const sum = diff.reduce((a, b) => a + b, 0);
  const mean = sum / (diff.length || 1);
  const variance = diff.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, diff.length - 1);
  return sum <= Math.sqrt(variance * diff.length);
}

/** The last option (the highest bar) within one standard error of the best one. */
function lastWithin(perQuestion: readonly (readonly number[])[], best: number): number {
  for (let i = perQuestion.length - 1; i >= best; i--) if (withinError(perQuestion, best, i)) return i;
  return best;
}

/**
 * The answer bar: right answers minus WRONG_ANSWER_COST times wrong ones, cross-validated, at its
 * best or within one standard error of it (the lowest such bar); then the clarify bar below it.
 */
export function chooseThresholds(
  allRows: readonly Row[],
  allP: readonly number[],
  answers: AnswerSwitches = MATCHER_DEFAULTS.answers,
) {
  const keep = allRows.map((r) => !r.curated);
  const rows = allRows.filter((_, i) => keep[i]);
  const p = allP.filter((_, i) => keep[i]);
  const ds = decisions(rows, p);
  // Each question's utility at each bar from 0.30 to 0.97: +1 right, -WRONG_ANSWER_COST wrong.
  const bars = Array.from({ length: 68 }, (_, i) => Math.round((0.3 + i / 100) * 100) / 100);
  const perQuestion = bars.map((t) =>
    ds.map((d) => {
      const pick = shown(d, t, answers);
      return pick ? (pick.ok ? 1 : -WRONG_ANSWER_COST) : 0;
    }),
  );
  const total = (u: readonly number[]) => u.reduce((a, b) => a + b, 0);
  const utilities = perQuestion.map(total);
  const top = utilities.indexOf(Math.max(...utilities));
  // The curve is flat near its top: bars a few steps apart differ by a few questions, within
  // chance. Of the bars whose utility is within one standard error of the best (the error of
  // their difference, question by question), the lowest is taken: the one that answers most.
  const at = perQuestion.findIndex((_, i) => i <= top && withinError(perQuestion, top, i));
  const best = { answer: bars[at] ?? 0.5, utility: utilities[at] ?? 0 };
  // "Did you mean" helps when its list holds the right entry (+1/2), misleads when the article
  // cannot answer at all (-1: it should have declined), and wastes a turn otherwise (-1/4). This
  // curve is flat too: of the bars within one standard error of the best, the highest is taken,
  // the one that asks back least.
  // The bars run from 0.05 to the answer bar itself, which asks back never (utility 0).
  const clarifyBars = Array.from({ length: Math.round(best.answer * 100) - 4 }, (_, i) => (5 + i) / 100);
  // At the chosen answer bar, each question's reach, whether it is answered, and its second part
  // do not depend on the clarify bar: weighed once, not once a bar.
  const atAnswer = ds.map((d) => ({
    d,
    reach: reach(d, best.answer, answers),
    answered: shown(d, best.answer, answers) !== undefined,
    second: pairOf(d, best.answer, answers).b,
  }));
  // The list "did you mean" shows: entries from half the clarify bar, and the second part (qa-service).
  const listsRight = ({ d, second }: (typeof atAnswer)[number], t: number) =>
    d.entries
      .filter((e) => e.p >= t / 2 || e === second)
      .slice(0, MATCHER_DEFAULTS.limits.maxSuggestions)
      .some((e) => e.ok);
  const asked = clarifyBars.map((t) =>
    atAnswer.map((q) =>
      q.reach < t || q.answered ? 0 : listsRight(q, t) ? 0.5 : q.d.answerable ? -0.25 : -1,
    ),
  );
  const clarifyUtilities = asked.map(total);
  const clarifyAt = lastWithin(asked, clarifyUtilities.indexOf(Math.max(...clarifyUtilities)));
  const clarify = { t: clarifyBars[clarifyAt] ?? best.answer };
  return { answer: best.answer, clarify: clarify.t, utility: best.utility, bestUtility: utilities[top] ?? 0 };
}

/** Fits a model for a service built with these options (a zero model scores nothing while collecting). */
export function fitModel(
  build: (model: DecisionModel) => ReturnType<typeof createQaService>,
  kind: ModelKind = 'boosted-trees',
  trees: BoostOptions = TREES,
  /** The conversation sets fitted on (a cross-validation fits on some and scores the others). */
  conversationSets: readonly (string | ConversationSet)[] = CONVERSATION_TUNING_SETS,
  /** The service's answer switches, so the bars are chosen for the replies it gives. */
  answers: AnswerSwitches = MATCHER_DEFAULTS.answers,
  /** The labelled question sets fitted on (a leave-one-set-out run fits on all but one). */
  sets: readonly string[] = TUNING_SETS,
  /** Questions never fitted on, from any set or the knowledge base (`questionKey` form). */
  exclude: ReadonlySet<string> = new Set(),
): DecisionModel {
  const { rows, questions } = collectRows(build(ZERO_MODEL), sets, conversationSets, exclude);
  const cv = crossValidate(rows, kind, trees);
  const { utility, bestUtility, ...thresholds } = chooseThresholds(rows, cv, answers);
  const labelled = rows.map((r) => !r.curated);
  const picks = decisions(
    rows.filter((_, i) => labelled[i]),
    cv.filter((_, i) => labelled[i]),
  ).flatMap((d) => shown(d, thresholds.answer, answers) ?? []);
  const { ece } = reliability(picks);
  const logLoss =
    -rows.reduce((s, r, i) => s + (r.label ? Math.log(cv[i] ?? 1e-9) : Math.log(1 - (cv[i] ?? 0))), 0) /
    rows.length;
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const fitted = {
    sets,
    questions,
    rows: rows.length,
    folds: FOLDS,
    wrongAnswerCost: WRONG_ANSWER_COST,
    cvLogLoss: round(logLoss),
    cvAnswerECE: round(ece),
    // Right answers minus WRONG_ANSWER_COST times wrong ones, cross-validated, at these thresholds.
    cvUtility: utility,
    // The same at the best bar: what a mechanism is worth, whichever bar the rule takes.
    cvBestUtility: bestUtility,
    cvAnswers: picks.length,
    cvRight: picks.filter((p) => p.ok).length,
  };
  const context = fitContextPrior(rows, cv);
  const final = train(kind, rows, trees);
  if (final.kind === 'boosted-trees') {
    const roundTree = (node: TreeNode): TreeNode =>
      typeof node === 'number'
        ? Math.round(node * 1e6) / 1e6
        : [node[0], Math.round(node[1] * 1e6) / 1e6, roundTree(node[2]), roundTree(node[3])];
    return {
      ...final,
      base: round(final.base),
      trees: final.trees.map(roundTree),
      thresholds,
      fitted,
      ...(context ? { context } : {}),
    };
  }
  return {
    kind: 'logistic',
    weights: Object.fromEntries(INPUTS.map((f) => [f, round(final.weights[f] ?? 0)])),
    bias: round(final.bias),
    thresholds,
    fitted,
    ...(context ? { context } : {}),
  };
}

/**
 * The context prior: a logistic regression of a conversation candidate's label on where it
 * stands to the previous answer, with the model's cross-validated log-odds as a fixed offset (so
 * it corrects what the model says of questions it has not seen, and only shifts it). Only
 * conversation turns with an answered turn before have these rows; none, no prior.
 */
export function fitContextPrior(rows: readonly Row[], cv: readonly number[]): ContextPrior | undefined {
  const data = rows.flatMap((r, i) => {
    if (!r.context) return [];
    const p = Math.min(1 - 1e-6, Math.max(1e-6, cv[i] ?? 0.5));
    return [{ x: [Math.log(p / (1 - p)), ...CONTEXT_FEATURES.map((f) => r.context?.[f] ?? 0)], y: r.label }];
  });
  if (data.length === 0) return undefined;
  const k = CONTEXT_FEATURES.length + 1;
  // The model's log-odds enter with weight 1 (an offset): the prior only shifts them. L2 pulls
  // the context weights towards 0 ("the model as it is").
  const w = new Array<number>(k).fill(0);
  w[0] = 1;
  const l2 = 0.01;
  const rate = 0.05;
  for (let step = 0; step < 3000; step++) {
    const grad = new Array<number>(k).fill(0);
    for (const { x, y } of data) {
      let z = 0;
      for (let j = 0; j < k; j++) z += (w[j] ?? 0) * (x[j] ?? 0);
      const err = 1 / (1 + Math.exp(-z)) - y;
      for (let j = 1; j < k; j++) grad[j] = (grad[j] ?? 0) + err * (x[j] ?? 0);
    }
    for (let j = 1; j < k; j++) w[j] = (w[j] ?? 0) - rate * ((grad[j] ?? 0) / data.length + l2 * (w[j] ?? 0));
  }
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return { weights: Object.fromEntries(CONTEXT_FEATURES.map((f, j) => [f, round(w[j + 1] ?? 0)])) };
}

/**
 * The conversation figures of `npm run eval -- conversations`, cross-validated: the conversations
 * split into folds, each scored by a model (trees and context prior) fitted without it. The
 * figures `npm run eval` prints for the tuning conversations were fitted on; these were not.
 */
export async function crossValidateConversations(
  build: (model: DecisionModel) => ReturnType<typeof createQaService>,
  folds = 3,
): Promise<Record<string, string>> {
  const all = CONVERSATION_TUNING_SETS.flatMap(
    (name) => loadConversations(new URL(`./${name}.json`, import.meta.url)).conversations,
  );
  const reports: ConversationReport[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const inFold = (_: unknown, i: number) => i % folds === fold;
    const train = { conversations: all.filter((c, i) => !inFold(c, i)) };
    const model = fitModel(build, 'boosted-trees', TREES, [train]);
    reports.push(await evaluateConversations(build(model), { conversations: all.filter(inFold) }));
  }
  const r = mergeReports(reports);
  return {
    folds: String(folds),
    followUpsRight: share(r.followUps.correct, r.followUps.total),
    unanswerableDeclined: share(r.unanswerableFollowUps.declined, r.unanswerableFollowUps.total),
    wholeConversationsRight: share(r.conversations.right, r.conversations.total),
    confidentlyWrongTurns: share(r.confidentlyWrong, r.turns),
  };
}

/**
 * Leave one set out: each of `scored` scored by a model fitted on the others (and on `extra`),
 * none of whose rows is one of its questions, even one another set or the knowledge base also
 * holds. The sets were written by different people at different times, so this asks what held-out
 * sets ask (how the fit carries to questions from someone else), which questions of one set split
 * into folds do not.
 */
export function leaveOneSetOut(
  build: (model: DecisionModel) => ReturnType<typeof createQaService>,
  kind: ModelKind = 'boosted-trees',
  trees: BoostOptions = TREES,
  answers: AnswerSwitches = MATCHER_DEFAULTS.answers,
  scored: readonly string[] = TUNING_SETS,
  extra: readonly string[] = [],
): { utility: number; right: number; declined: number; wrong: number } {
  const total = { utility: 0, right: 0, declined: 0, wrong: 0 };
  for (const left of scored) {
    const data = loadDataset(new URL(`./${left}.json`, import.meta.url));
    const exclude = new Set([...data.inScope, ...data.outOfScope].map((c) => questionKey(c.q)));
    const pool = [...scored.filter((s) => s !== left), ...extra];
    const model = fitModel(build, kind, trees, CONVERSATION_TUNING_SETS, answers, pool, exclude);
    const r = evaluate(build(model), data);
    total.right += r.inScope.correct;
    total.declined += r.outOfScope.declined;
    total.wrong += r.confidentlyWrong;
    total.utility += r.inScope.correct - WRONG_ANSWER_COST * r.confidentlyWrong;
  }
  return total;
}

/** The model as JSON, one tree a line, so a refit shows as a readable diff (generated: biome skips it). */
function serialize(model: DecisionModel): string {
  if (model.kind !== 'boosted-trees') return `${JSON.stringify(model, null, 2)}\n`;
  const marker = '"trees-go-here"';
  const text = JSON.stringify({ ...model, trees: 'trees-go-here' }, null, 2);
  const trees = model.trees.map((t) => `    ${JSON.stringify(t)}`).join(',\n');
  return `${text.replace(marker, `[\n${trees}\n  ]`)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const kb = loadKnowledge();
  const build = (m: DecisionModel) => createQaService(kb, { model: m });
  const fitted = fitModel(build);
  const model = {
    ...fitted,
    fitted: { ...fitted.fitted, cvConversations: await crossValidateConversations(build) },
  };
  writeFileSync(new URL('../../src/core/decision-model.json', import.meta.url), serialize(model));
  console.log(JSON.stringify({ thresholds: model.thresholds, fitted: model.fitted }, null, 2));
}
