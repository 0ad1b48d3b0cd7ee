import { loadKnowledge } from '../../src/core/knowledge.ts';
import { createQaService } from '../../src/core/service.ts';
import { evaluate, loadDataset } from './evaluate.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const report = evaluate(createQaService(loadKnowledge()), loadDataset());
const { inScope, outOfScope, smalltalk } = report;

console.log('Evaluation on test/eval/dataset.json');
console.log(
  `  in-scope accuracy:        ${pct(report.inScopeAccuracy)}  (${inScope.correct}/${inScope.total}; clarified ${inScope.clarified}, declined ${inScope.declined}, wrong ${inScope.wrong})  target >= 95%`,
);
console.log(
  `  out-of-scope declined:    ${pct(report.outOfScopeDeclined)}  (${outOfScope.declined}/${outOfScope.total}; answered ${outOfScope.answered})  target >= 95%`,
);
console.log(
  `  smalltalk recognised:     ${pct(report.smalltalkRecognised)}  (${smalltalk.recognised}/${smalltalk.total})`,
);
console.log(
  `  confidently wrong:        ${report.confidentlyWrong} (${pct(report.confidentlyWrongRate)} of all questions)  target <= 2%`,
);
if (report.failures.length) {
  console.log(`\nFailures (${report.failures.length}):`);
  for (const f of report.failures) {
    console.log(
      `  [${f.set}] ${JSON.stringify(f.question)}\n      got: ${f.got}\n      expected: ${f.expected}`,
    );
  }
}
