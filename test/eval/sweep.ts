/**
 * Grid search over the decision knobs, scored on every labelled set, to see how sensitive the
 * figures are to each. Usage: npx tsx test/eval/sweep.ts. It prints the best settings; it changes nothing.
 */
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { MATCHER_DEFAULTS, type MatcherConfig } from '../../src/core/matcher-config.ts';
import { createQaService } from '../../src/core/service.ts';
import { evaluate, loadDataset } from './evaluate.ts';

const kb = loadKnowledge();
const sets = ['dataset', 'holdout', 'holdout2'].map((name) =>
  loadDataset(new URL(`./${name}.json`, import.meta.url)),
);
const results: { score: number; line: string }[] = [];
for (const unknownWordWeight of [0.7, 0.9, 1.2]) {
  for (const gapWordPenalty of [0.5, 0.7, 0.85]) {
    for (const answer of [0.45, 0.5, 0.55, 0.6]) {
      for (const clarifyGap of [0.06, 0.12]) {
        const config: MatcherConfig = {
          ...MATCHER_DEFAULTS,
          scoring: { ...MATCHER_DEFAULTS.scoring, unknownWordWeight, gapWordPenalty },
          decision: { ...MATCHER_DEFAULTS.decision, answer, clarify: answer - clarifyGap },
        };
        const service = createQaService(kb, { config });
        const reports = sets.map((set) => evaluate(service, set));
        const score = reports.reduce(
          (sum, r) => sum + r.inScopeAccuracy + r.outOfScopeDeclined - 4 * r.confidentlyWrongRate,
          0,
        );
        const figures = reports
          .map(
            (r) =>
              `${(r.inScopeAccuracy * 100).toFixed(1)}/${(r.outOfScopeDeclined * 100).toFixed(1)}/${r.confidentlyWrong}`,
          )
          .join('  ');
        results.push({
          score,
          line: `${score.toFixed(3)}  ${figures}  unk=${unknownWordWeight} gapPen=${gapWordPenalty} answer=${answer} clarify=${(answer - clarifyGap).toFixed(2)}`,
        });
      }
    }
  }
}
results.sort((a, b) => b.score - a.score);
console.log('score  in/oos/wrong for dataset, holdout, holdout2  settings');
for (const r of results.slice(0, 12)) console.log(r.line);
