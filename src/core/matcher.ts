import { type KnowledgeBase, normalizeForVerbatim, splitSentences } from './knowledge.ts';
import { ANSWER_TYPED, type AnswerType, answerTypes } from './language/answer-types.ts';
import { type English, english as loadEnglish } from './language/english.ts';
import { QUESTION_WORDS, TYPED_QUESTION_WORDS } from './language/lexicon.ts';
import { Speller } from './language/spelling.ts';
import { Vocabulary } from './language/vocabulary.ts';
import { MATCHER_DEFAULTS, type MatcherConfig } from './matcher-config.ts';
import { cleanInput, foldCase, words } from './text.ts';

export interface Candidate {
  readonly id: string;
  /** An entry answers, a gap declines honestly, a sentence is the article's own words as a fallback. */
  readonly kind: 'entry' | 'gap' | 'sentence';
  readonly questions: readonly string[];
  /** Tokens from sample questions, keywords and topic (a sentence's own tokens). */
  readonly strong: ReadonlySet<string>;
  /** How firmly each strong token belongs to the candidate, in (0, 1]. */
  readonly affinity: ReadonlyMap<string, number>;
  /** Tokens found only in the answer or supporting text. */
  readonly weak: ReadonlySet<string>;
  /** What each of its tokens explains of a question's word: its affinity, or the weak credit. */
  readonly credit: ReadonlyMap<string, number>;
  readonly questionTokens: readonly (readonly string[])[];
  /** Word n-grams (2 to 4 words, folded) of the supporting article sentences. */
  readonly phrases: ReadonlyMap<string, number>;
  /** The supporting sentences, folded, to find a phrase the user put in quotes. */
  readonly supportText: string;
  /** The article sentences this candidate answers from (verbatim-normalized), to tell rivals apart. */
  readonly sentences: readonly string[];
  /** Typed questions its answer can answer at all ("when": it names a day or a time). */
  readonly answers: ReadonlySet<AnswerType>;
}

export interface Match {
  readonly candidate: Candidate;
  /** Ranking score: coverage of the question blended with the best sample, plus quoted phrases. */
  readonly score: number;
  /** Share of the question's informative weight this candidate's vocabulary explains. */
  readonly coverage: number;
  /** Best weighted Dice overlap with one sample question. */
  readonly sample: number;
  readonly phrase: number;
  /** +1 when a who/when/where/how-many question fits what the candidate is asked, -1 when not. */
  readonly questionFit: number;
  /** +1 when its answer holds what a "when"/"how many" question asks for (a time, a number), -1 when not. */
  readonly answerType: number;
  /**
   * Its share of the softmax mass of every sample's similarity, over all entries and gaps: how
   * much of the question's neighbourhood of samples belongs to this candidate, not only its best.
   */
  readonly share: number;
  readonly matchedQuestion: string;
}

/** One informative word of the question, resolved against the knowledge base. */
export interface Term {
  readonly word: string;
  /** Knowledge-base tokens this word stands for: itself, its correction, or WordNet relatives. */
  readonly tokens: readonly string[];
  readonly weight: number;
  /** 1 for the word itself or its correction; less for a WordNet relative. */
  readonly credit: number;
  readonly known: boolean;
}

export interface Analysis {
  readonly terms: readonly Term[];
  /** Canonical tokens of the question, for display and arbitration. */
  readonly tokens: readonly string[];
  /** Words the knowledge base does not know, even after correction and WordNet. */
  readonly unknown: readonly string[];
  /** Share of the question's weight carried by words nothing in the knowledge base explains. */
  readonly unexplained: number;
  /** Question words that only unanswerable-question samples use. */
  readonly gapWords: number;
  readonly ranked: readonly Match[];
  readonly sentences: readonly Match[];
}

function buildCandidate(
  vocabulary: Vocabulary,
  id: string,
  kind: Candidate['kind'],
  questions: readonly string[],
  strongTexts: readonly string[],
  weakTexts: readonly string[],
  { sampleAffinity: { base, step }, weakVocabularyCredit }: MatcherConfig['scoring'],
  supportTexts: readonly string[] = [],
): Candidate {
  const phrases = new Map<string, number>();
  for (const text of supportTexts) phrasesOf(vocabulary, words(foldCase(text)), phrases);
  const supportText = supportTexts.map((t) => ` ${foldCase(t)} `).join('|');
  const tokensOf = (text: string) => vocabulary.tokens(cleanInput(text));
  const questionTokens = questions.map(tokensOf);
  const strongTokens = strongTexts.flatMap(tokensOf);
  const strong = new Set<string>([...questionTokens.flat(), ...strongTokens]);
  const weak = new Set<string>(weakTexts.flatMap(tokensOf).filter((t) => !strong.has(t)));
  const uses = new Map<string, number>();
  for (const q of questionTokens) for (const t of q) uses.set(t, (uses.get(t) ?? 0) + 1);
  const affinity = new Map<string, number>();
  for (const [t, n] of uses) affinity.set(t, Math.min(1, base + step * (n - 1)));
  for (const t of strongTokens) affinity.set(t, 1);
  return {
    id,
    kind,
    questions,
    strong,
    weak,
    affinity,
    credit: creditOf(affinity, weak, weakVocabularyCredit),
    questionTokens,
    phrases,
    supportText,
    sentences: supportTexts.map(normalizeForVerbatim),
    // A gap declines: it answers nothing.
    answers: answerTypes(kind === 'gap' ? [] : [...weakTexts, ...supportTexts]),
  };
}

/** What each token of a candidate explains of a question's word: its affinity, or the weak credit. */
export function creditOf(
  affinity: ReadonlyMap<string, number>,
  weak: ReadonlySet<string>,
  weakCredit: number,
): ReadonlyMap<string, number> {
  const credit = new Map(affinity);
  for (const t of weak) credit.set(t, weakCredit);
  return credit;
}

/**
 * What a Matcher makes of a knowledge base's texts before any question: its candidates and the
 * words typo correction prefers. Tokenizing every text is most of start-up, so `npm run build`
 * saves these (matcher-index.ts) and a start with the same knowledge base and code loads them.
 */
export interface BuiltTexts {
  readonly candidates: readonly Candidate[];
  readonly sentenceCandidates: readonly Candidate[];
  /** The knowledge base's words that typo correction prefers (each one it knows). */
  readonly surfaces: readonly string[];
}

const MAX_PHRASE = 4;
/** A phrase in straight or curly quotes, single or double. */
const QUOTED = /["\u201C\u201D'\u2018\u2019]([^"\u201C\u201D]{3,80}?)["\u201C\u201D'\u2018\u2019](?!\p{L})/gu;

/** n-grams of 2..MAX_PHRASE consecutive words with at least one content word, mapped to n. */
function phrasesOf(
  vocabulary: Vocabulary,
  wordList: readonly string[],
  into: Map<string, number>,
): Map<string, number> {
  const content = wordList.map((w) => vocabulary.token(w) !== undefined);
  for (let n = 2; n <= MAX_PHRASE; n++) {
    for (let i = 0; i + n <= wordList.length; i++) {
      if (content.slice(i, i + n).includes(true)) into.set(wordList.slice(i, i + n).join(' '), n);
    }
  }
  return into;
}

/**
 * Scores every candidate by IDF-weighted coverage of the question and its best single sample
 * question. A word the knowledge base lacks costs an answer as much as it is informative in
 * English (SUBTLEX frequency): "boss" little, "bitcoin" a lot. What the decision makes of these
 * figures is learned (decision.ts), not set here.
 */
export class Matcher {
  readonly candidates: readonly Candidate[];
  readonly sentenceCandidates: readonly Candidate[];
  readonly vocabulary: Vocabulary;
  readonly english: English;
  private readonly weights = new Map<string, number>();
  private readonly unknownWeight: number;
  private readonly speller: Speller;
  private readonly gapOnly = new Set<string>();
  /** Where each candidate's samples start (by its ordinal) in one numbering of every sample question. */
  private readonly sampleStart: number[] = [];
  /** Each sample's total token weight, by that numbering. */
  private readonly sampleWeight: number[] = [];
  /** For each token, the samples (by that numbering) that use it: a question scores only those. */
  private readonly postings = new Map<string, number[]>();
  private sampleCount = 0;
  /** A number for every token a sample uses, so a sample's overlap is summed over an array. */
  private readonly tokenIds = new Map<string, number>();
  /** Every sample's token numbers, one after another; sample i's run ends at `sampleEnd[i]`. */
  private readonly sampleTokens: number[] = [];
  private readonly sampleEnd: number[] = [];
  /** Each candidate's number, entries and gaps first, then the article's sentences. */
  private readonly ordinal = new Map<Candidate, number>();
  /** For each token, the candidates whose vocabulary holds it (by ordinal) and with what credit. */
  private readonly creditPostings = new Map<string, { ordinals: number[]; credits: number[] }>();
  private readonly phraseIndex = new Map<string, Candidate[]>();

  /** The words typo correction prefers, as built (saved with the candidates by matcher-index.ts). */
  readonly surfaces: readonly string[];

  constructor(
    kb: KnowledgeBase,
    private readonly config: MatcherConfig = MATCHER_DEFAULTS,
    englishResources: English = loadEnglish(),
    /** The candidates and surfaces built before from this knowledge base, code and config. */
    prebuilt?: BuiltTexts,
  ) {
    const { language, scoring } = config;
    this.english = englishResources;
    this.vocabulary = new Vocabulary(kb.lexicon, englishResources, language);
    const candidates = prebuilt?.candidates ?? this.buildCandidates(kb);
    this.candidates = candidates;
    // Each article sentence on its own: when no curated entry fits, the article's words may.
    const sentence = (text: string, i: number) =>
      buildCandidate(this.vocabulary, `sentence-${i + 1}`, 'sentence', [text], [], [], scoring, [text]);
    this.sentenceCandidates = prebuilt?.sentenceCandidates ?? splitSentences(kb.articleText).map(sentence);

    const df = new Map<string, number>();
    for (const c of candidates) {
      for (const t of new Set([...c.strong, ...c.weak])) df.set(t, (df.get(t) ?? 0) + 1);
    }
    const entryWords = new Set(
      candidates.filter((c) => c.kind === 'entry').flatMap((c) => [...c.strong, ...c.weak]),
    );
    for (const c of candidates) {
      if (c.kind === 'gap') for (const t of c.strong) if (!entryWords.has(t)) this.gapOnly.add(t);
    }
    for (const c of this.sentenceCandidates) for (const t of c.strong) if (!df.has(t)) df.set(t, 1);
    const n = candidates.length;
    let maxWeight = 0;
    for (const [token, count] of df) {
      const w = QUESTION_WORDS.has(token) ? scoring.questionWordWeight : Math.log(1 + n / count);
      this.weights.set(token, w);
      if (w > maxWeight) maxWeight = w;
    }
    this.unknownWeight = maxWeight * scoring.unknownWordWeight;
    for (const c of [...candidates, ...this.sentenceCandidates]) {
      const ordinal = this.ordinal.size;
      this.ordinal.set(c, ordinal);
      for (const [t, credit] of c.credit) {
        let posting = this.creditPostings.get(t);
        if (!posting) {
          posting = { ordinals: [], credits: [] };
          this.creditPostings.set(t, posting);
        }
        posting.ordinals.push(ordinal);
        posting.credits.push(credit);
      }
      this.sampleStart.push(this.sampleCount);
      for (const q of c.questionTokens) {
        this.sampleWeight.push(q.reduce((sum, t) => sum + this.weight(t), 0));
        for (const t of q) {
          const list = this.postings.get(t);
          if (list) list.push(this.sampleCount);
          else this.postings.set(t, [this.sampleCount]);
          let id = this.tokenIds.get(t);
          if (id === undefined) {
            id = this.tokenIds.size;
            this.tokenIds.set(t, id);
          }
          this.sampleTokens.push(id);
        }
        this.sampleEnd.push(this.sampleTokens.length);
        this.sampleCount++;
      }
      for (const phrase of c.phrases.keys()) {
        const list = this.phraseIndex.get(phrase) ?? [];
        list.push(c);
        this.phraseIndex.set(phrase, list);
      }
    }

    this.surfaces = prebuilt?.surfaces ?? this.knownSurfaces(kb);
    this.speller = new Speller(this.surfaces, englishResources, {
      ...config.typos,
      dictionary: language.spelling,
    });
  }

  private buildCandidates(kb: KnowledgeBase): Candidate[] {
    const { scoring } = this.config;
    const candidates: Candidate[] = [];
    for (const entry of kb.entries) {
      const support = entry.support.map((s) => s.text);
      candidates.push(
        buildCandidate(
          this.vocabulary,
          entry.id,
          'entry',
          entry.questions,
          [entry.topic, ...entry.keywords],
          [entry.answer, ...support],
          scoring,
          support,
        ),
      );
    }
    for (const gap of kb.gaps) {
      candidates.push(
        buildCandidate(this.vocabulary, gap.id, 'gap', gap.questions, gap.keywords, [], scoring),
      );
    }
    return candidates;
  }

  /** Corrections prefer what this knowledge base says: every word its texts and groups use that it knows. */
  private knownSurfaces(kb: KnowledgeBase): string[] {
    const surfaces = new Set<string>(this.vocabulary.listedWords());
    const texts = [
      ...kb.entries.flatMap((e) => [...e.questions, ...e.keywords, e.answer, e.topic]),
      ...kb.gaps.flatMap((g) => [...g.questions, ...g.keywords]),
    ];
    for (const text of texts) for (const w of words(foldCase(text))) surfaces.add(w);
    return [...surfaces].filter((s) => {
      const t = this.vocabulary.token(s);
      return t !== undefined && this.knows(t);
    });
  }

  /**
   * How many of a text's words read as English (an English word or stopword, or a typo of one) and
   * how many are neither English nor this knowledge base's: a question asked in another language.
   * The article's own names count as neither, since every language writes them alike.
   * `functionWords`: the most words that are function words of one other language ("wer ist":
   * two German), which tells a short question around the article's names ("Wer ist John Kirby?").
   */
  languageOf(text: string): { english: number; foreign: number; functionWords: number } {
    let english = 0;
    let foreign = 0;
    const byLanguage = new Map<string, number>();
    for (const word of words(this.vocabulary.normalize(cleanInput(text)))) {
      if (!/\p{L}/u.test(word)) continue;
      const token = this.vocabulary.token(word);
      if (this.config.language.foreignWords && !(token && this.knows(token))) {
        for (const language of this.english.foreignLanguages(word))
          byLanguage.set(language, (byLanguage.get(language) ?? 0) + 1);
      }
      if (token === undefined || this.english.zipf(word) !== undefined) english++;
      else if (this.knows(token)) continue;
      else if (this.english.zipf(this.english.lemma(word)) !== undefined) english++;
      // A typo of the article's words is English; a foreign word is often one edit from an English one.
      else if (this.knowsSurface(this.speller.correct(word))) english++;
      else foreign++;
    }
    return { english, foreign, functionWords: Math.max(0, ...byLanguage.values()) };
  }

  private knowsSurface(word: string | undefined): boolean {
    const token = word === undefined ? undefined : this.vocabulary.token(word);
    return token !== undefined && this.knows(token);
  }

  /** True when the token means something to this knowledge base. */
  knows(token: string): boolean {
    return this.weights.has(token);
  }

  weight(token: string): number {
    return this.weights.get(token) ?? this.unknownWeight;
  }

  /** How much an unexplained word says about the question, in [floor, 1], from its English frequency. */
  informativeness(word: string): number {
    const { frequencies } = this.config.language;
    const { commonZipf, rareZipf, floor } = this.config.scoring.informativeness;
    if (/^\d+$/.test(word)) return this.config.scoring.unknownNumberShare;
    const z = frequencies ? this.english.zipf(word) : undefined;
    if (z === undefined) return 1;
    return Math.min(1, Math.max(floor, (commonZipf - z) / (commonZipf - rareZipf)));
  }

  /** A word of the question, resolved: known, corrected, related through WordNet, or unknown. */
  private resolve(word: string, token: string): Term | undefined {
    if (this.knows(token))
      return { word, tokens: [token], weight: this.weight(token), credit: 1, known: true };
    let surface = word;
    let current = token;
    const { spelling } = this.config.language;
    const z = this.english.zipf(word);
    // A real, common English word is what the user meant; anything else may be a typo.
    if (
      !/\d/.test(word) &&
      (z === undefined || z < this.config.scoring.informativeness.rareZipf || !spelling)
    ) {
      const corrected = this.speller.correct(word);
      if (corrected !== undefined) {
        const t = this.vocabulary.token(corrected);
        if (t === undefined) return undefined; // a typo of a stopword ("wat", "evr")
        if (this.knows(t)) return { word, tokens: [t], weight: this.weight(t), credit: 1, known: true };
        surface = corrected;
        current = t;
      }
    }
    const weight = this.unknownWeight * this.informativeness(surface);
    const related = this.config.language.wordnet ? this.relatives(surface) : [];
    if (related.length)
      return { word, tokens: related, weight, credit: this.config.scoring.wordnetCredit, known: true };
    return { word, tokens: [current], weight, credit: 1, known: false };
  }

  /** Knowledge-base tokens among WordNet's relatives of a word, at most three. */
  private relatives(word: string): string[] {
    const out: string[] = [];
    const lemma = this.english.lemma(word);
    for (const r of new Set([...this.english.related(lemma), ...this.english.related(word)])) {
      const t = this.vocabulary.token(r);
      if (t !== undefined && this.knows(t) && !QUESTION_WORDS.has(t) && !out.includes(t)) out.push(t);
      if (out.length >= 3) break;
    }
    return out;
  }

  /** The question's terms after correction and WordNet, plus the cleaned text. */
  terms(question: string): { terms: Term[]; cleaned: string } {
    const cleaned = cleanInput(question);
    const terms: Term[] = [];
    const seen = new Set<string>();
    for (const word of words(this.vocabulary.normalize(cleaned)).slice(0, this.config.limits.maxTokens * 2)) {
      const token = this.vocabulary.token(word);
      if (token === undefined || seen.has(token)) continue;
      seen.add(token);
      const term = this.resolve(word, token);
      if (!term || terms.some((t) => t.tokens[0] === term.tokens[0] && t.credit === term.credit)) continue;
      terms.push(term);
      if (terms.length >= this.config.limits.maxTokens) break;
    }
    return { terms, cleaned };
  }

  analyze(question: string): Analysis {
    const { terms, cleaned } = this.terms(question);
    const tokens = terms.map((t) => t.tokens[0] ?? t.word);
    const unknown = terms.filter((t) => !t.known).map((t) => t.word);
    const queryWeight = terms.reduce((sum, t) => sum + t.weight, 0);
    const empty = { terms, tokens, unknown, unexplained: 0, gapWords: 0, ranked: [], sentences: [] };
    if (queryWeight === 0) return empty;
    // What each knowledge-base token is worth to this question (a WordNet relative counts for less).
    const value = new Map<string, number>();
    for (const term of terms) {
      for (const t of term.tokens) value.set(t, Math.max(value.get(t) ?? 0, term.weight * term.credit));
    }
    const unexplained = terms.filter((t) => !t.known).reduce((sum, t) => sum + t.weight, 0) / queryWeight;
    const gapWords = terms.filter((t) => t.credit === 1 && t.tokens.some((x) => this.gapOnly.has(x))).length;
    const typed = tokens.filter((t) => TYPED_QUESTION_WORDS.has(t));
    const typedAnswer = this.config.language.answerTypes
      ? (typed.filter((t) => ANSWER_TYPED.has(t)) as AnswerType[])
      : [];
    const phraseBonus = this.phraseBonus(cleaned);
    // The samples sharing a token with the question, from the postings: only those are scored.
    const touched = new Uint8Array(this.sampleCount);
    for (const t of value.keys()) for (const id of this.postings.get(t) ?? []) touched[id] = 1;
    // The same values by token number, for the samples' inner loop.
    const valueById = new Float64Array(this.tokenIds.size);
    for (const [t, v] of value) {
      const id = this.tokenIds.get(t);
      if (id !== undefined) valueById[id] = v;
    }
    const { sampleTokens, sampleEnd, sampleWeight } = this;
    const covers = this.coverage(terms);
    const { coverageShare } = this.config.scoring;
    const score = (candidate: Candidate): Match | undefined => {
      const ordinal = this.ordinal.get(candidate) ?? -1;
      const covered = covers.get(ordinal);
      const phrase = phraseBonus.get(candidate) ?? 0;
      // Nothing of the question in its vocabulary (so in none of its samples), and no phrase.
      if (covered === undefined && phrase === 0) return undefined;
      let sample = 0;
      let mass = 0;
      let matchedQuestion = candidate.questions[0] ?? '';
      const start = this.sampleStart[ordinal] ?? 0;
      const count = candidate.questionTokens.length;
      for (let i = 0; i < count; i++) {
        const at = start + i;
        if (!touched[at]) continue;
        // Summed in the sample's own order, so the features (and the trees fitted on them) do
        // not move by a rounding difference.
        let overlap = 0;
        const end = sampleEnd[at] ?? 0;
        for (let k = sampleEnd[at - 1] ?? 0; k < end; k++) overlap += valueById[sampleTokens[k] ?? 0] ?? 0;
        const dice = (2 * overlap) / (queryWeight + (sampleWeight[at] ?? 0));
        if (dice > 0) mass += Math.exp(shareSharpness * (dice - 1));
        if (dice > sample) {
          sample = dice;
          matchedQuestion = candidate.questions[i] ?? matchedQuestion;
        }
      }
      const coverage = (covered ?? 0) / queryWeight;
      let questionFit = 0;
      for (const t of typed) questionFit = candidate.strong.has(t) ? Math.max(questionFit, 1) : -1;
      let s = coverageShare * coverage + (1 - coverageShare) * sample + phrase;
      // "When…?" answered by an entry no one asks "when" of is usually the wrong fact.
      if (questionFit < 0) s *= this.config.scoring.questionWordMismatch;
      if (s <= 0) return undefined;
      const answerType = typedAnswer.length
        ? typedAnswer.every((t) => candidate.answers.has(t))
          ? 1
          : -1
        : 0;
      return {
        candidate,
        score: s,
        coverage,
        sample,
        phrase,
        questionFit,
        answerType,
        share: mass,
        matchedQuestion,
      };
    };
    const shareSharpness = this.config.scoring.shareSharpness;
    const rank = (list: readonly Candidate[]) => {
      const matches = list.map(score).filter((m): m is Match => m !== undefined);
      // `share` holds each candidate's mass until the total is known.
      const total = matches.reduce((sum, m) => sum + m.share, 0) || 1;
      const off = shareSharpness <= 0;
      return matches
        .map((m) => ({ ...m, share: off ? 0 : m.share / total }))
        .sort((a, b) => b.score - a.score);
    };
    return {
      terms,
      tokens,
      unknown,
      unexplained,
      gapWords,
      ranked: rank(this.candidates),
      sentences: rank(this.sentenceCandidates).slice(0, 3),
    };
  }

  /**
   * For each candidate whose vocabulary holds a word of the question (by ordinal), the question's
   * weight it explains: each term counts once, at the best credit any of its tokens has there.
   * Found from the token postings, so a candidate sharing no word with the question costs nothing;
   * the terms are summed in the question's order, as a walk over every candidate would.
   */
  private coverage(terms: readonly Term[]): Map<number, number> {
    const covered = new Map<number, number>();
    for (const term of terms) {
      const best = new Map<number, number>();
      for (const t of term.tokens) {
        const posting = this.creditPostings.get(t);
        if (!posting) continue;
        const { ordinals, credits } = posting;
        for (let i = 0; i < ordinals.length; i++) {
          const o = ordinals[i] ?? 0;
          const a = credits[i] ?? 0;
          best.set(o, Math.max(best.get(o) ?? 0, a));
        }
      }
      for (const [o, a] of best) covered.set(o, (covered.get(o) ?? 0) + term.weight * term.credit * a);
    }
    return covered;
  }

  /**
   * Users quote the article ("what does 'bespeaks a man' mean"): a run of its words, or a phrase in
   * quotes, points at the entries supported by that sentence.
   */
  private phraseBonus(text: string): Map<Candidate, number> {
    const { phraseBoost, quotedPhraseBoost } = this.config.scoring;
    const bonus = new Map<Candidate, number>();
    const longest = new Map<Candidate, number>();
    const queryPhrases = phrasesOf(
      this.vocabulary,
      words(foldCase(text)).slice(0, this.config.limits.maxTokens * 2),
      new Map(),
    );
    for (const [phrase, n] of queryPhrases) {
      for (const candidate of this.phraseIndex.get(phrase) ?? []) {
        if (n > (longest.get(candidate) ?? 0)) longest.set(candidate, n);
      }
    }
    for (const [candidate, n] of longest)
      bonus.set(candidate, phraseBoost * Math.min(1, (n - 1) / (MAX_PHRASE - 1)));
    for (const match of text.matchAll(QUOTED)) {
      const phrase = foldCase(match[1] ?? '');
      if (!phrase.includes(' ') && phrase.length < 5) continue;
      for (const candidate of [...this.candidates, ...this.sentenceCandidates]) {
        if (candidate.supportText.includes(` ${phrase} `))
          bonus.set(candidate, (bonus.get(candidate) ?? 0) + quotedPhraseBoost);
      }
    }
    return bonus;
  }
}
