import { foldCase, words } from '../text.ts';

/**
 * Which typed questions a text can answer at all, from English cues in it: a day, a date or a
 * relative time answers "when", a number answers "how many". "When was the law passed?" put to a
 * sentence with no time in it ("…face up to 15 years in prison") is asking what it does not say.
 */
export type AnswerType = 'when' | 'howmany';

// Points and spans of calendar time. Not "may" and "march" (mostly a verb in news text), and not
// plural spans ("weeks", "months", "years"): "ten months now" says how long, not when.
const WHEN_CUES = new Set(
  (
    'monday tuesday wednesday thursday friday saturday sunday january february april june july ' +
    'august september october november december yesterday today tomorrow tonight ago since day ' +
    'week weekend month year recently earlier date'
  ).split(' '),
);
const NUMBER_WORDS = new Set(
  (
    'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen ' +
    'sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety ' +
    'hundred hundreds thousand thousands million millions billion billions dozen dozens'
  ).split(' '),
);
const YEAR = /^(1[6-9]|20)\d\d$/;

export function answerTypes(texts: readonly string[]): ReadonlySet<AnswerType> {
  const out = new Set<AnswerType>();
  for (const word of texts.flatMap((t) => words(foldCase(t)))) {
    if (WHEN_CUES.has(word) || YEAR.test(word)) out.add('when');
    if (/\d/.test(word) || NUMBER_WORDS.has(word)) out.add('howmany');
  }
  return out;
}

/** The typed question words answer types are known for. */
export const ANSWER_TYPED: ReadonlySet<string> = new Set<AnswerType>(['when', 'howmany']);
