import { readFileSync } from 'node:fs';
import { normalizeForVerbatim } from '../../src/core/knowledge.ts';
import type { QaService } from '../../src/core/service.ts';

interface InScopeCase {
  readonly q: string;
  readonly evidence: readonly string[];
  readonly note?: string;
}
interface OutOfScopeCase {
  readonly q: string;
  readonly why: string;
}
export interface Dataset {
  readonly inScope: readonly InScopeCase[];
  readonly outOfScope: readonly OutOfScopeCase[];
  readonly smalltalk: readonly string[];
}

export interface Failure {
  readonly set: 'in-scope' | 'out-of-scope' | 'smalltalk';
  readonly question: string;
  readonly got: string;
  readonly expected: string;
}

export interface EvalReport {
  readonly inScope: { total: number; correct: number; clarified: number; declined: number; wrong: number };
  readonly outOfScope: { total: number; declined: number; answered: number };
  readonly smalltalk: { total: number; recognised: number };
  readonly inScopeAccuracy: number;
  readonly outOfScopeDeclined: number;
  readonly smalltalkRecognised: number;
  /** Answers given with an article fact that is not the right one, over all questions asked. */
  readonly confidentlyWrong: number;
  readonly confidentlyWrongRate: number;
  readonly failures: readonly Failure[];
  /** Every answer's claimed confidence and whether it was right (out-of-scope: never). */
  readonly answers: readonly { p: number; ok: boolean }[];
}

/**
 * Sets the decision model is fitted on and the matcher tuned with; the held-out sets (holdout3 to
 * holdout8) never are. casual2 was a development set until casual3 replaced it, casual3 until
 * casual4 did, and casual4 until casual5 did; train1 and train2 were written as training sets. Each step was judged on the
 * development sets of its time, never fitted on (utility: right answers minus 4 x wrong ones, at
 * the bar the fit picks):
 * - + casual2, conversations2 and 3: casual3 122 -> 130, conversations4 wrong turns 27 -> 16 of 171;
 * - + train1, train2, conversations5 and 6: casual3 130 -> 134, off-article declined 60 -> 64 of
 *   73; conversations4 follow-ups right 41 -> 37 of 74, wrong turns 16 -> 12;
 * - + casual3 and conversations4: casual4 143 -> 149 (right 171 -> 177, wrong 7 -> 7);
 *   conversations7 unchanged (follow-ups right 55 of 93, wrong turns 15 of 187);
 * - + casual4 and conversations7: casual5 134 -> 138 (right 174 -> 178, wrong 10 -> 10);
 *   conversations8 follow-ups right 44 -> 47 of 79, unanswerable declined 25 -> 26 of 32, wrong
 *   turns 9 -> 8 of 174 (after the refit for leading acknowledgements: casual5 178, 10;
 *   conversations8 47 of 79, 25 of 32, 8 of 174).
 */
export const TUNING_SETS = [
  'dataset',
  'holdout',
  'holdout2',
  'casual',
  'casual2',
  'train1',
  'train2',
  'casual3',
  'casual4',
] as const;
/**
 * Written cold like the held-out sets but not fitted on: `npm run eval` scores them with the
 * tuning sets, and their failures may be read, so they are no longer held out.
 */
export const DEVELOPMENT_SETS = ['casual5'] as const;

export const DATASET_PATH = new URL('./dataset.json', import.meta.url);

export function loadDataset(path: URL = DATASET_PATH): Dataset {
  return JSON.parse(readFileSync(path, 'utf8')) as Dataset;
}

const norm = (text: string) => normalizeForVerbatim(text).toLowerCase().replace(/["']/g, '');

/** True when one of these article sentences contains, or lies within, the labelled evidence. */
export function groundedIn(sentences: readonly string[], evidence: readonly string[]): boolean {
  return grounded(sentences, evidence);
}

/** An answer is right when one of its supporting quotes contains, or lies within, the labelled evidence. */
function grounded(quotes: readonly string[], evidence: readonly string[]): boolean {
  return quotes.some((quote) => {
    const q = norm(quote);
    return evidence.some((e) => {
      const ev = norm(e);
      return q.includes(ev) || ev.includes(q);
    });
  });
}

export function evaluate(service: QaService, dataset: Dataset): EvalReport {
  const failures: Failure[] = [];
  const answers: { p: number; ok: boolean }[] = [];
  const inScope = { total: 0, correct: 0, clarified: 0, declined: 0, wrong: 0 };
  for (const c of dataset.inScope) {
    inScope.total++;
    const reply = service.ask(c.q);
    if (reply.kind === 'answer')
      answers.push({
        p: reply.confidence,
        ok: grounded(
          reply.quotes.map((q) => q.text),
          c.evidence,
        ),
      });
    if (
      reply.kind === 'answer' &&
      grounded(
        reply.quotes.map((q) => q.text),
        c.evidence,
      )
    ) {
      inScope.correct++;
      continue;
    }
    if (reply.kind === 'answer') inScope.wrong++;
    else if (reply.kind === 'clarify') inScope.clarified++;
    else inScope.declined++;
    failures.push({
      set: 'in-scope',
      question: c.q,
      got:
        reply.kind === 'answer'
          ? `answer ${reply.entryId}`
          : `${reply.kind}${'reason' in reply ? ` (${reply.reason})` : ''}: ${reply.suggestions.map((s) => s.label).join(' | ')}`,
      expected: c.evidence.join(' | '),
    });
  }
  const outOfScope = { total: 0, declined: 0, answered: 0 };
  for (const c of dataset.outOfScope) {
    outOfScope.total++;
    const reply = service.ask(c.q);
    if (reply.kind === 'answer') answers.push({ p: reply.confidence, ok: false });
    if (reply.kind === 'decline') {
      outOfScope.declined++;
      continue;
    }
    if (reply.kind === 'answer') outOfScope.answered++;
    failures.push({
      set: 'out-of-scope',
      question: c.q,
      got: reply.kind === 'answer' ? `answer ${reply.entryId}` : reply.kind,
      expected: `decline (${c.why})`,
    });
  }
  const smalltalk = { total: 0, recognised: 0 };
  for (const line of dataset.smalltalk) {
    smalltalk.total++;
    const reply = service.ask(line);
    if (reply.kind === 'smalltalk') smalltalk.recognised++;
    else failures.push({ set: 'smalltalk', question: line, got: reply.kind, expected: 'smalltalk' });
  }
  const confidentlyWrong = inScope.wrong + outOfScope.answered;
  const asked = inScope.total + outOfScope.total + smalltalk.total;
  return {
    inScope,
    outOfScope,
    smalltalk,
    inScopeAccuracy: inScope.correct / Math.max(1, inScope.total),
    outOfScopeDeclined: outOfScope.declined / Math.max(1, outOfScope.total),
    smalltalkRecognised: smalltalk.recognised / Math.max(1, smalltalk.total),
    confidentlyWrong,
    confidentlyWrongRate: confidentlyWrong / Math.max(1, asked),
    failures,
    answers,
  };
}

/** Claimed confidence against observed accuracy in equal-width bins, and the expected calibration error. */
export function reliability(pairs: readonly { p: number; ok: boolean }[], bins = 10) {
  const table = Array.from({ length: bins }, (_, i) => ({
    lo: i / bins,
    hi: (i + 1) / bins,
    n: 0,
    claimed: 0,
    right: 0,
  }));
  for (const { p, ok } of pairs) {
    const b = table[Math.min(bins - 1, Math.floor(p * bins))];
    if (!b) continue;
    b.n++;
    b.claimed += p;
    b.right += ok ? 1 : 0;
  }
  const total = pairs.length || 1;
  const ece = table.reduce(
    (sum, b) => sum + (b.n ? (b.n / total) * Math.abs(b.right / b.n - b.claimed / b.n) : 0),
    0,
  );
  return { table, ece };
}
