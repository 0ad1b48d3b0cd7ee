/**
 * Each mechanism switched off in turn, with the decision refitted for that variant (so no
 * variant is judged by a model fitted to another): `npm run eval -- --ablate`, or
 * `npx tsx test/eval/ablate.ts [set ...] [--rows=text]`. Figures are over the tuning sets unless sets are named.
 * Utility: right answers minus WRONG_ANSWER_COST times confidently wrong ones (in-sample); the
 * cross-validated utility is the fit's own, over the labelled questions of the tuning sets; the
 * last column scores each tuning set with a model fitted on the others (leaveOneSetOut), which is
 * the nearest the tuning sets come to a held-out set.
 */
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { MATCHER_DEFAULTS, type MatcherConfig } from '../../src/core/matcher-config.ts';
import { createQaService } from '../../src/core/service.ts';
import { CONVERSATION_TUNING_SETS, evaluateConversations, loadConversations } from './conversations.ts';
import { evaluate, loadDataset, reliability, TUNING_SETS } from './evaluate.ts';
import { fitModel, leaveOneSetOut, type ModelKind, TREES, WRONG_ANSWER_COST } from './fit.ts';

const off = (patch: (c: MatcherConfig) => MatcherConfig) => patch(MATCHER_DEFAULTS);
/** The default with one language switch flipped (off when on by default, on when off). */
const language = (key: keyof MatcherConfig['language']) =>
  off((c) => ({ ...c, language: { ...c.language, [key]: !c.language[key] } }));
/** The default with one follow-up mechanism flipped (off when on by default, on when off). */
const followUp = (key: keyof MatcherConfig['followUps']) =>
  off((c) => ({ ...c, followUps: { ...c.followUps, [key]: !c.followUps[key] } }));
const VARIANTS: readonly [string, MatcherConfig, ModelKind?][] = [
  ['the defaults', MATCHER_DEFAULTS],
  ['no spelling dictionary (typos only towards the KB)', language('spelling')],
  ['no word frequencies (every unknown word maximal)', language('frequencies')],
  ['no WordNet', language('wordnet')],
  [`${MATCHER_DEFAULTS.language.lemmas ? 'no' : 'with'} lemmas`, language('lemmas')],
  ['no stemmer', language('stemmer')],
  ['no foreign function words', language('foreignWords')],
  ['no answer types (a time for "when", a number for "how many")', language('answerTypes')],
  [
    'no sample share (soft vote of the nearest samples)',
    off((c) => ({ ...c, scoring: { ...c.scoring, shareSharpness: 0 } })),
  ],
  ['logistic decision instead of boosted trees', MATCHER_DEFAULTS, 'logistic'],
  ['no two-part answers', off((c) => ({ ...c, answers: { ...c.answers, secondPart: false } }))],
  ['no sentence fallback', off((c) => ({ ...c, answers: { ...c.answers, sentenceFallback: false } }))],
  [
    `${MATCHER_DEFAULTS.followUps.contextPrior ? 'no' : 'with'} context prior (previous answer, its sentences, related)`,
    followUp('contextPrior'),
  ],
  ['"more" by vocabulary only (not the same speaker first)', followUp('moreBySpeaker')],
];

const sets = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const names = sets.length ? sets : TUNING_SETS;
const kb = loadKnowledge();
const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
console.log(`Ablation over ${names.join(', ')} (decision refitted per variant)`);
console.log(
  '| variant | in-scope right | off-article declined | confidently wrong | answer ECE | follow-ups right (conversations.json) | conversations right | wrong turns | utility | cross-validated utility (at its bar / at the best bar) | each set fitted without it: utility (right, wrong) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
// `--rows=context,more` runs only the defaults and the variants whose names contain one of these.
const only = process.argv
  .find((a) => a.startsWith('--rows='))
  ?.slice('--rows='.length)
  .split(',');
for (const [name, config, kind] of VARIANTS) {
  if (only && name !== 'the defaults' && !only.some((o) => name.includes(o))) continue;
  const model = fitModel(
    (m) => createQaService(kb, { config, model: m }),
    kind,
    TREES,
    CONVERSATION_TUNING_SETS,
    config.answers,
  );
  const service = createQaService(kb, { config, model });
  const loso = leaveOneSetOut((m) => createQaService(kb, { config, model: m }), kind, TREES, config.answers);
  let inRight = 0;
  let inTotal = 0;
  let outDeclined = 0;
  let outTotal = 0;
  let wrong = 0;
  let asked = 0;
  const answers: { p: number; ok: boolean }[] = [];
  for (const set of names) {
    const r = evaluate(service, loadDataset(new URL(`./${set}.json`, import.meta.url)));
    inRight += r.inScope.correct;
    inTotal += r.inScope.total;
    outDeclined += r.outOfScope.declined;
    outTotal += r.outOfScope.total;
    wrong += r.confidentlyWrong;
    asked += r.inScope.total + r.outOfScope.total + r.smalltalk.total;
    answers.push(...r.answers);
  }
  const talk = await evaluateConversations(
    service,
    loadConversations(new URL('./conversations.json', import.meta.url)),
  );
  console.log(
    `| ${name} | ${pct(inRight / inTotal)} | ${pct(outDeclined / outTotal)} | ${pct(wrong / asked)} | ${reliability(answers).ece.toFixed(3)} | ${pct(talk.followUps.correct / talk.followUps.total)} | ${pct(talk.conversations.right / talk.conversations.total)} | ${pct(talk.confidentlyWrong / talk.turns)} | ${inRight - WRONG_ANSWER_COST * wrong} | ${model.fitted?.cvUtility ?? ''} / ${model.fitted?.cvBestUtility ?? ''} | ${loso.utility} (${loso.right}, ${loso.wrong}) |`,
  );
}
