import { loadDecisionModel } from '../../src/core/decision.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { createQaService } from '../../src/core/service.ts';
import { type ConversationReport, evaluateConversations, loadConversations, share } from './conversations.ts';
import { DEVELOPMENT_SETS, evaluate, loadDataset, reliability, TUNING_SETS } from './evaluate.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
// `npm run eval` scores every tuning and development set; `npm run eval -- casual` one set, with its failures.
// holdout3 to holdout8 are held out: they run only when named (`npm run eval -- holdout8`), and each
// run is reported.
// Piping into head closes stdout early; that is not an error.
process.stdout.on('error', () => process.exit(0));
const named = process.argv.slice(2).find((a) => !a.startsWith('--'));
const brief = process.argv.includes('--brief') || !named;

const errors: unknown[] = [];
const service = createQaService(loadKnowledge(), { onError: (error) => errors.push(error) });
if (named?.startsWith('conversations')) await conversationReport(named);
else for (const name of named ? [named] : [...TUNING_SETS, ...DEVELOPMENT_SETS]) report(name);

async function conversationReport(name: string): Promise<void> {
  const set = loadConversations(new URL(`./${name}.json`, import.meta.url));
  const r = await evaluateConversations(service, set);
  const alone = await evaluateConversations(service, set, false);
  console.log(
    `\nConversations in test/eval/${name}.json (${set.conversations.length} conversations, ${r.turns} turns)`,
  );
  console.log('                                   in context          each turn alone    target');
  const row = (label: string, a: string, b: string, target: string) =>
    console.log(`  ${label.padEnd(33)}${a.padEnd(20)}${b.padEnd(19)}${target}`);
  // Each row: a figure's count and total, from a report; then its target.
  const rows: readonly [string, (x: ConversationReport) => readonly [number, number], string][] = [
    ['follow-ups answered correctly', (x) => [x.followUps.correct, x.followUps.total], '>= 90%'],
    [
      'unanswerable follow-ups declined',
      (x) => [x.unanswerableFollowUps.declined, x.unanswerableFollowUps.total],
      '>= 90%',
    ],
    ['first turns answered correctly', (x) => [x.firstTurns.correct, x.firstTurns.total], ''],
    ['whole conversations right', (x) => [x.conversations.right, x.conversations.total], '>= 85%'],
    ['confidently wrong turns', (x) => [x.confidentlyWrong, x.turns], '<= 2%'],
  ];
  for (const [label, pick, target] of rows) row(label, share(...pick(r)), share(...pick(alone)), target);
  // The tuning conversations were fitted on; `npm run fit` also scores them cross-validated.
  const recorded = loadDecisionModel().fitted?.cvConversations;
  const cv =
    recorded && typeof recorded === 'object'
      ? Object.fromEntries(Object.entries(recorded).map(([k, x]) => [k, String(x)]))
      : undefined;
  if (name === 'conversations' && cv)
    console.log(
      `  cross-validated in context (npm run fit, ${cv.folds} folds): follow-ups ${cv.followUpsRight}, unanswerable declined ${cv.unanswerableDeclined}, whole ${cv.wholeConversationsRight}, wrong turns ${cv.confidentlyWrongTurns}`,
    );
  if (!brief && r.failures.length) {
    console.log(`\nFailures in context (${r.failures.length}):`);
    for (const f of r.failures)
      console.log(
        `  [${f.id} turn ${f.turn}] ${JSON.stringify(f.q)}\n      got: ${f.got}\n      expected: ${f.expected}`,
      );
  }
}

function report(name: string): void {
  const report = evaluate(service, loadDataset(new URL(`./${name}.json`, import.meta.url)));
  const { inScope, outOfScope, smalltalk } = report;

  if (errors.length) {
    console.error(`${errors.length} questions hit an internal error; the first:`, errors[0]);
    process.exitCode = 1;
  }
  console.log(`\nEvaluation on test/eval/${name}.json`);
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
  const { table, ece } = reliability(report.answers);
  console.log(
    `  answer calibration (ECE):  ${ece.toFixed(3)} over ${report.answers.length} answers  target <= 0.05`,
  );
  console.log('  claimed confidence   answers   claimed   observed');
  for (const b of table) {
    if (!b.n) continue;
    console.log(
      `    ${b.lo.toFixed(1)}-${b.hi.toFixed(1)}          ${String(b.n).padStart(5)}     ${(b.claimed / b.n).toFixed(3)}     ${(b.right / b.n).toFixed(3)}`,
    );
  }
  if (report.failures.length && !brief) {
    console.log(`\nFailures (${report.failures.length}):`);
    for (const f of report.failures) {
      console.log(
        `  [${f.set}] ${JSON.stringify(f.question)}\n      got: ${f.got}\n      expected: ${f.expected}`,
      );
    }
  }
}
