/**
 * Each mechanism switched off in turn, with the decision refitted for that variant (so no
 * variant is judged by a model fitted to another): `npm run ablate`, or
 * `npx tsx test/eval/ablate.ts [set ...] [--rows=text] [--loso]`. Figures are over the tuning sets unless sets are named.
 * Utility: right answers minus WRONG_ANSWER_COST times confidently wrong ones (in-sample); the
 * cross-validated utility is the fit's own, over the labelled questions of the tuning sets. The
 * development sets (casual5, conversations8) were never fitted on: their columns are the fairest
 * judge here. With `--loso`, a last column scores each tuning set with a model fitted on the
 * others (leaveOneSetOut); with nine tuning sets and 800 trees that takes several hours.
 */
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { MATCHER_DEFAULTS, type MatcherConfig } from '../../src/core/matcher-config.ts';
import { createQaService } from '../../src/core/service.ts';
import {
  CONVERSATION_DEVELOPMENT_SETS,
  CONVERSATION_TUNING_SETS,
  evaluateConversations,
  loadConversations,
  share,
} from './conversations.ts';
import { DEVELOPMENT_SETS, evaluate, loadDataset, reliability, TUNING_SETS } from './evaluate.ts';
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
const withLoso = process.argv.includes('--loso');
const devSet = DEVELOPMENT_SETS[0];
const devTalk = CONVERSATION_DEVELOPMENT_SETS[0];
console.log(
  `| variant | in-scope right | off-article declined | confidently wrong | answer ECE | utility | cross-validated utility (at its bar / at the best bar) | ${devSet}: right, wrong, utility | ${devTalk}: follow-ups right, unanswerable declined, wrong turns |${withLoso ? ' each set fitted without it: utility (right, wrong) |' : ''}`,
);
console.log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- |${withLoso ? ' --- |' : ''}`);
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
  const loso = withLoso
    ? leaveOneSetOut((m) => createQaService(kb, { config, model: m }), kind, TREES, config.answers)
    : undefined;
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
  const dev = evaluate(service, loadDataset(new URL(`./${devSet}.json`, import.meta.url)));
  const devWrong = dev.confidentlyWrong;
  const talk = await evaluateConversations(
    service,
    loadConversations(new URL(`./${devTalk}.json`, import.meta.url)),
  );
  console.log(
    `| ${name} | ${pct(inRight / inTotal)} | ${pct(outDeclined / outTotal)} | ${pct(wrong / asked)} | ${reliability(answers).ece.toFixed(3)} | ${inRight - WRONG_ANSWER_COST * wrong} | ${model.fitted?.cvUtility ?? ''} / ${model.fitted?.cvBestUtility ?? ''} | ${dev.inScope.correct}, ${devWrong}, ${dev.inScope.correct - WRONG_ANSWER_COST * devWrong} | ${share(talk.followUps.correct, talk.followUps.total)}, ${share(talk.unanswerableFollowUps.declined, talk.unanswerableFollowUps.total)}, ${share(talk.confidentlyWrong, talk.turns)} |${loso ? ` ${loso.utility} (${loso.right}, ${loso.wrong}) |` : ''}`,
  );
}
