/**
 * Fits the decision model (src/core/decision-model.json) on the labelled tuning sets, never on
 * holdout3: `npm run fit`. Reports 5-fold cross-validated calibration, and picks the answer and
 * clarify thresholds from the cross-validated reliability curve.
 */
import { writeFileSync } from 'node:fs';
import { type DecisionModel, FEATURES, type FeatureVector, fitLogistic } from '../../src/core/decision.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { createQaService } from '../../src/core/service.ts';
import { groundedIn, loadDataset, reliability, TUNING_SETS } from './evaluate.ts';

/** A wrong answer costs this many times a question left unanswered (asked back or declined). */
export const WRONG_ANSWER_COST = 4;
const FOLDS = 5;
const FIT = { l2: 0.003, iterations: 1500, learningRate: 0.05 } as const;

export interface Row {
  readonly question: number;
  readonly features: FeatureVector;
  readonly label: number;
  readonly kind: string;
  /** The question is answerable from the article (an in-scope case). */
  readonly answerable: boolean;
}

export const ZERO_MODEL: DecisionModel = {
  weights: Object.fromEntries(FEATURES.map((f) => [f, 0])) as DecisionModel['weights'],
  bias: 0,
  thresholds: { answer: 0.5, clarify: 0.4 },
};

/** One row per candidate the decision weighs, labelled right (1) or wrong (0), per question. */
export function collectRows(
  service: ReturnType<typeof createQaService>,
  sets: readonly string[] = TUNING_SETS,
): { rows: Row[]; questions: number } {
  const rows: Row[] = [];
  let question = 0;
  for (const name of sets) {
    const data = loadDataset(new URL(`./${name}.json`, import.meta.url));
    const cases = [
      ...data.inScope.map((c) => ({ q: c.q, evidence: c.evidence as readonly string[] })),
      ...data.outOfScope.map((c) => ({ q: c.q, evidence: [] as readonly string[] })),
    ];
    for (const c of cases) {
      const seen = service.inspect(c.q);
      if (seen.screened) continue;
      for (const cand of seen.candidates) {
        const label = c.evidence.length > 0 && groundedIn(cand.sentences, c.evidence) ? 1 : 0;
        rows.push({ question, features: cand.features, label, kind: cand.kind, answerable: c.evidence.length > 0 });
      }
      question++;
    }
  }
  return { rows, questions: question };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
export function predict(model: { weights: Record<string, number>; bias: number }, f: FeatureVector): number {
  let z = model.bias;
  for (const name of FEATURES) z += (model.weights[name] ?? 0) * f[name];
  return sigmoid(z);
}

/** Cross-validated predictions: each question's rows predicted by a model fitted without it. */
export function crossValidate(rows: readonly Row[]): number[] {
  const out = new Array<number>(rows.length).fill(0);
  for (let fold = 0; fold < FOLDS; fold++) {
    const inFold = (r: Row) => (r.question * 2654435761) % FOLDS === fold;
    const train = rows.filter((r) => !inFold(r));
    const m = fitLogistic(
      train.map((r) => r.features),
      train.map((r) => r.label),
      FIT,
    );
    rows.forEach((r, i) => {
      if (inFold(r)) out[i] = predict(m, r.features);
    });
  }
  return out;
}

/** Per question, the best entry's probability and whether it (or the fallback sentence) is right. */
function decisions(rows: readonly Row[], p: readonly number[]) {
  const byQuestion = new Map<
    number,
    {
      p: number;
      ok: boolean;
      anyOk: boolean;
      answerable: boolean;
      entries: { p: number; ok: boolean }[];
      sentence?: { p: number; ok: boolean };
    }
  >();
  rows.forEach((r, i) => {
    const pi = p[i] ?? 0;
    const d = byQuestion.get(r.question) ?? {
      p: -1,
      ok: false,
      anyOk: false,
      answerable: r.answerable,
      entries: [],
    };
    if (r.kind === 'sentence') d.sentence = { p: pi, ok: r.label === 1 };
    else {
      d.entries.push({ p: pi, ok: r.label === 1 });
      if (pi > d.p) {
        d.p = pi;
        d.ok = r.label === 1;
      }
      if (r.label === 1) d.anyOk = true;
    }
    byQuestion.set(r.question, d);
  });
  return [...byQuestion.values()];
}

/** What the service would show at these thresholds (mirrors qa-service's order of checks). */
function shown(
  d: ReturnType<typeof decisions>[number],
  answer: number,
  clarify: number,
): { p: number; ok: boolean } | undefined {
  const [a, b] = [...d.entries].sort((x, y) => y.p - x.p);
  if (!a) return undefined;
  if (a.p >= answer) return a;
  if (b && b.p >= clarify && a.p + b.p >= answer) return { p: Math.min(0.99, a.p + b.p), ok: a.ok || b.ok };
  if (d.sentence && d.sentence.p >= answer) return d.sentence;
  return undefined;
}

/** The answer bar that maximises right answers minus WRONG_ANSWER_COST times wrong ones. */
export function chooseThresholds(rows: readonly Row[], p: readonly number[]) {
  const ds = decisions(rows, p);
  let best = { answer: 0.5, utility: -Infinity };
  for (let t = 0.3; t <= 0.97; t += 0.01) {
    let utility = 0;
    for (const d of ds) {
      const pick = shown(d, t, t / 2);
      if (pick) utility += pick.ok ? 1 : -WRONG_ANSWER_COST;
    }
    if (utility > best.utility) best = { answer: Math.round(t * 100) / 100, utility };
  }
  // "Did you mean" helps when its list holds the right entry (+1/2), misleads when the article
  // cannot answer at all (-1: it should have declined), and is neutral otherwise.
  let clarify = { t: best.answer, utility: 0 };
  for (let t = best.answer - 0.01; t >= 0.05; t -= 0.01) {
    let utility = 0;
    for (const d of ds) {
      if (d.p < t || d.p >= best.answer) continue;
      if (shown(d, best.answer, best.answer / 2)) continue;
      utility += d.anyOk ? 0.5 : d.answerable ? 0 : -1;
    }
    if (utility > clarify.utility) clarify = { t: Math.round(t * 100) / 100, utility };
  }
  return { answer: best.answer, clarify: clarify.t };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const service = createQaService(loadKnowledge(), { model: ZERO_MODEL });
  const { rows, questions } = collectRows(service);
  const cv = crossValidate(rows);
  const thresholds = chooseThresholds(rows, cv);
  const picks = decisions(rows, cv).flatMap((d) => shown(d, thresholds.answer, thresholds.answer / 2) ?? []);
  const { ece } = reliability(picks);
  const logLoss = -rows.reduce((s, r, i) => s + (r.label ? Math.log(cv[i] ?? 1e-9) : Math.log(1 - (cv[i] ?? 0))), 0) / rows.length;
  const final = fitLogistic(
    rows.map((r) => r.features),
    rows.map((r) => r.label),
    FIT,
  );
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const model: DecisionModel = {
    weights: Object.fromEntries(FEATURES.map((f) => [f, round(final.weights[f])])) as DecisionModel['weights'],
    bias: round(final.bias),
    thresholds,
    fitted: {
      sets: TUNING_SETS,
      questions,
      rows: rows.length,
      folds: FOLDS,
      wrongAnswerCost: WRONG_ANSWER_COST,
      cvLogLoss: round(logLoss),
      cvAnswerECE: round(ece),
    },
  };
  writeFileSync(new URL('../../src/core/decision-model.json', import.meta.url), `${JSON.stringify(model, null, 2)}\n`);
  console.log(JSON.stringify(model, null, 2));
}
