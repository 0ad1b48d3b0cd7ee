export interface MatcherConfig {
  readonly scoring: {
    readonly coverageShare: number;
    readonly weakVocabularyCredit: number;
    readonly questionWordWeight: number;
    readonly questionWordMismatch: number;
    readonly unknownWordWeight: number;
    readonly unknownNumberShare: number;
    readonly gapWordPenalty: number;
    readonly phraseBoost: number;
    readonly quotedPhraseBoost: number;
    readonly sampleAffinity: { readonly base: number; readonly step: number };
  };
  readonly typos: { readonly minLength: number; readonly twoEditsFrom: number; readonly cacheSize: number };
  readonly decision: {
    readonly answer: number;
    readonly clarify: number;
    readonly ambiguityMargin: number;
    readonly gapYieldMargin: number;
    readonly confidenceSlope: number;
  };
  readonly limits: {
    readonly maxQuestionLength: number;
    readonly maxReplyLength: number;
    readonly maxSuggestions: number;
    readonly maxTokens: number;
  };
}

/** Matcher tuning in one place, grouped by concern. Calibrated with `npm run eval`. */
export const MATCHER_DEFAULTS: MatcherConfig = Object.freeze({
  scoring: Object.freeze({
    /** Share of the score from covering the query's words (the rest: best single sample question). */
    coverageShare: 0.55,
    /** Credit for a query word found only in an entry's answer or supporting text. */
    weakVocabularyCredit: 0.5,
    /** Weight of who/why/when/where relative to content words. */
    questionWordWeight: 0.6,
    /** Score factor when the question asks who/why/when/where and the entry is never asked that way. */
    questionWordMismatch: 0.75,
    /** Weight of a word the knowledge base has never seen, as a share of the rarest known word's weight. */
    unknownWordWeight: 1.2,
    /** An unknown number weighs this share of an unknown word. */
    unknownNumberShare: 0.3,
    /** Score factor for an answer, per question word that only unanswerable questions use. */
    gapWordPenalty: 0.7,
    /** Added for a run of 2-4 words found verbatim in an entry's supporting sentence (full at 4 words). */
    phraseBoost: 0.1,
    /** Added when a phrase the user put in quotes is found in an entry's supporting sentence. */
    quotedPhraseBoost: 0.2,
    /** Credit for a word found in one sample question of an entry, plus this much per further sample. */
    sampleAffinity: Object.freeze({ base: 0.7, step: 0.3 }),
  }),
  typos: Object.freeze({
    /** Words shorter than this are never corrected: too many near neighbours. */
    minLength: 4,
    /** Edits allowed by word length: up to 1 for 4-6 letters, 2 from 7. */
    twoEditsFrom: 7,
    cacheSize: 5000,
  }),
  decision: Object.freeze({
    /** At or above: answer. */
    answer: 0.5,
    /** Between clarify and answer: "did you mean…". Below: decline. */
    clarify: 0.44,
    /** Two different answers closer than this are ambiguous: ask which one. */
    ambiguityMargin: 0.02,
    /** A gap yields to an entry scoring within this much of it, when the entry explains every gap word. */
    gapYieldMargin: 0.03,
    /** Steepness of the logistic that maps raw score to confidence (0.5 at the answer threshold). */
    confidenceSlope: 12,
  }),
  limits: Object.freeze({
    maxQuestionLength: 1000,
    maxReplyLength: 1800,
    maxSuggestions: 3,
    /** Matching looks at no more than this many words, so cost stays bounded. */
    maxTokens: 60,
  }),
});
