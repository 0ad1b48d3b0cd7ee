import type { KnowledgeBase } from './knowledge.ts';
import { MATCHER_DEFAULTS, type MatcherConfig } from './matcher-config.ts';
import {
  canonicalToken,
  cleanInput,
  editDistance,
  foldCase,
  isQuestionWord,
  isTypedQuestionWord,
  lexiconWords,
  normalizeCleaned,
  normalizeQuestion,
  words,
} from './text.ts';

export interface Candidate {
  readonly id: string;
  readonly kind: 'entry' | 'gap';
  readonly questions: readonly string[];
  /** Tokens from sample questions, keywords and topic. */
  readonly strong: ReadonlySet<string>;
  /**
   * How firmly each strong token belongs to the entry, in (0, 1]: keywords and topic words fully,
   * sample-question words by how many samples use them (one stray use is weaker evidence).
   */
  readonly affinity: ReadonlyMap<string, number>;
  /** Tokens found only in the answer or supporting text. */
  readonly weak: ReadonlySet<string>;
  readonly questionTokens: readonly (readonly string[])[];
  /** Word n-grams (2 to 4 words, folded) of the supporting article sentences, for quoted phrases. */
  readonly phrases: ReadonlyMap<string, number>;
  /** The supporting sentences, folded, to find a phrase the user put in quotes. */
  readonly supportText: string;
}

export interface Match {
  readonly candidate: Candidate;
  readonly score: number;
  readonly matchedQuestion: string;
}

export interface Analysis {
  readonly tokens: readonly string[];
  /** Tokens the knowledge base does not know, even after typo correction. */
  readonly unknown: readonly string[];
  readonly ranked: readonly Match[];
}

function tokensOf(text: string): string[] {
  const out: string[] = [];
  for (const word of words(normalizeQuestion(text))) {
    const token = canonicalToken(word);
    if (token !== undefined && !out.includes(token)) out.push(token);
  }
  return out;
}

/**
 * Token-level scorer: IDF-weighted coverage of the question by an entry's vocabulary, blended
 * with the best overlap against a single sample question. Words the knowledge base has never
 * seen count against every entry, which is what lets it decline off-topic questions.
 */
export class Matcher {
  readonly candidates: readonly Candidate[];
  private readonly weights = new Map<string, number>();
  private readonly unknownWeight: number;
  /** Known surface words, by length, for typo correction. */
  private readonly surfaceByLength = new Map<number, string[]>();
  private readonly corrections = new Map<string, string | null>();
  private readonly gapOnly = new Set<string>();
  /** Per candidate, the total weight of each sample question (weights are fixed once built). */
  private readonly sampleWeights = new Map<Candidate, number[]>();
  /** Article phrase (2-4 words) → the entries whose supporting sentences contain it. */
  private readonly phraseIndex = new Map<string, Candidate[]>();

  constructor(
    kb: KnowledgeBase,
    private readonly config: MatcherConfig = MATCHER_DEFAULTS,
  ) {
    const candidates: Candidate[] = [];
    for (const entry of kb.entries) {
      candidates.push(
        buildCandidate(
          entry.id,
          'entry',
          entry.questions,
          [entry.topic, ...entry.keywords],
          [entry.answer, ...entry.support.map((s) => s.text)],
          config.scoring.sampleAffinity,
          entry.support.map((s) => s.text),
        ),
      );
    }
    for (const gap of kb.gaps) {
      candidates.push(
        buildCandidate(gap.id, 'gap', gap.questions, gap.keywords, [], config.scoring.sampleAffinity),
      );
    }
    this.candidates = candidates;

    const df = new Map<string, number>();
    for (const c of candidates) {
      for (const t of new Set([...c.strong, ...c.weak])) df.set(t, (df.get(t) ?? 0) + 1);
    }
    // Words only gaps use (casualties, sanctions, other countries…) mark questions the article can't answer.
    const entryWords = new Set(
      candidates.filter((c) => c.kind === 'entry').flatMap((c) => [...c.strong, ...c.weak]),
    );
    for (const c of candidates) {
      if (c.kind === 'gap') for (const t of c.strong) if (!entryWords.has(t)) this.gapOnly.add(t);
    }
    const n = candidates.length;
    let maxWeight = 0;
    for (const [token, count] of df) {
      const w = isQuestionWord(token) ? config.scoring.questionWordWeight : Math.log(1 + n / count);
      this.weights.set(token, w);
      if (w > maxWeight) maxWeight = w;
    }
    this.unknownWeight = maxWeight * config.scoring.unknownWordWeight;
    for (const c of candidates) {
      this.sampleWeights.set(
        c,
        c.questionTokens.map((q) => q.reduce((sum, t) => sum + this.weight(t), 0)),
      );
      for (const phrase of c.phrases.keys()) {
        const list = this.phraseIndex.get(phrase) ?? [];
        list.push(c);
        this.phraseIndex.set(phrase, list);
      }
    }

    // Typos are corrected towards every word the knowledge base knows, gaps included, so that
    // "casualites" still finds the casualties gap.
    const surfaces = new Set<string>(lexiconWords());
    const texts = [
      ...kb.entries.flatMap((e) => [...e.questions, ...e.keywords, e.answer, e.topic]),
      ...kb.gaps.flatMap((g) => [...g.questions, ...g.keywords]),
    ];
    for (const text of texts) for (const w of words(foldCase(text))) surfaces.add(w);
    for (const s of surfaces) {
      if (s.length < config.typos.minLength || canonicalToken(s) === undefined) continue;
      const list = this.surfaceByLength.get(s.length) ?? [];
      list.push(s);
      this.surfaceByLength.set(s.length, list);
    }
  }

  /** True when the token means something to this knowledge base. */
  knows(token: string): boolean {
    return this.weights.has(token);
  }

  /** Corrects an unknown word to the closest known one, or returns undefined. */
  correct(word: string): string | undefined {
    const cached = this.corrections.get(word);
    if (cached !== undefined) return cached ?? undefined;
    const { minLength, twoEditsFrom, cacheSize } = this.config.typos;
    let best: string | undefined;
    if (word.length >= minLength && !/\d/.test(word)) {
      const max = word.length >= twoEditsFrom ? 2 : 1;
      let bestDistance = max + 1;
      for (let len = word.length - max; len <= word.length + max && bestDistance > 1; len++) {
        for (const candidate of this.surfaceByLength.get(len) ?? []) {
          // Short words keep their first letter when mistyped ("kirbi"); without this rule "moon" became "soon".
          if (word.length < twoEditsFrom && candidate[0] !== word[0]) continue;
          const d = editDistance(word, candidate, Math.min(max, bestDistance - 1));
          if (d < bestDistance) {
            const token = canonicalToken(candidate);
            if (token !== undefined && this.knows(token)) {
              bestDistance = d;
              best = token;
            }
          }
        }
      }
    }
    if (this.corrections.size >= cacheSize) this.corrections.clear();
    this.corrections.set(word, best ?? null);
    return best;
  }

  /** Query tokens after typo correction, plus those still unknown. */
  tokenize(question: string): { tokens: string[]; unknown: string[] } {
    return this.tokenizeCleaned(cleanInput(question));
  }

  private tokenizeCleaned(cleaned: string): { tokens: string[]; unknown: string[] } {
    const tokens: string[] = [];
    const unknown: string[] = [];
    for (const word of words(normalizeCleaned(cleaned)).slice(0, this.config.limits.maxTokens * 2)) {
      const token = canonicalToken(word);
      if (token === undefined) continue;
      const resolved = this.knows(token) ? token : (this.correct(word) ?? token);
      if (tokens.includes(resolved)) continue;
      tokens.push(resolved);
      if (!this.knows(resolved)) unknown.push(resolved);
      if (tokens.length >= this.config.limits.maxTokens) break;
    }
    return { tokens, unknown };
  }

  /** A token the knowledge base knows, or the closest known one when it looks like a typo. */
  correctToken(token: string): string {
    return this.knows(token) ? token : (this.correct(token) ?? token);
  }

  weight(token: string): number {
    const known = this.weights.get(token);
    if (known !== undefined) return known;
    // A number the article never uses ("is it 5 years?") is more often a wrong detail about a known
    // fact than a new topic, so it counts against an answer less than an unknown word does.
    return /^\d+$/.test(token)
      ? this.unknownWeight * this.config.scoring.unknownNumberShare
      : this.unknownWeight;
  }

  analyze(question: string): Analysis {
    const cleaned = cleanInput(question);
    const { tokens, unknown } = this.tokenizeCleaned(cleaned);
    const {
      coverageShare,
      weakVocabularyCredit,
      questionWordMismatch,
      gapWordPenalty,
      phraseBoost,
      quotedPhraseBoost,
    } = this.config.scoring;
    const queryWeights = new Map(tokens.map((t) => [t, this.weight(t)]));
    const queryWeight = tokens.reduce((sum, t) => sum + (queryWeights.get(t) ?? 0), 0);
    if (queryWeight === 0) return { tokens, unknown, ranked: [] };
    const gapWords = tokens.filter((t) => this.gapOnly.has(t)).length;
    const typedWords = tokens.filter(isTypedQuestionWord);
    const phraseBonus = this.phraseBonus(cleaned, phraseBoost, quotedPhraseBoost);

    const ranked: Match[] = [];
    for (const candidate of this.candidates) {
      let covered = 0;
      for (const [t, w] of queryWeights) {
        const affinity = candidate.affinity.get(t);
        if (affinity !== undefined) covered += w * affinity;
        else if (candidate.weak.has(t)) covered += w * weakVocabularyCredit;
      }
      // The best single sample question, by weighted Dice overlap.
      let bestDice = 0;
      let matchedQuestion = candidate.questions[0] ?? '';
      const sampleWeights = this.sampleWeights.get(candidate) ?? [];
      candidate.questionTokens.forEach((qTokens, i) => {
        let overlap = 0;
        for (const t of qTokens) overlap += queryWeights.get(t) ?? 0;
        const dice = (2 * overlap) / (queryWeight + (sampleWeights[i] ?? 0));
        if (dice > bestDice) {
          bestDice = dice;
          matchedQuestion = candidate.questions[i] ?? matchedQuestion;
        }
      });
      let score = coverageShare * (covered / queryWeight) + (1 - coverageShare) * bestDice;
      // "When…?" answered by an entry no one asks "when" of is usually the wrong fact.
      for (const t of typedWords) if (!candidate.strong.has(t)) score *= questionWordMismatch;
      if (candidate.kind === 'entry') score *= gapWordPenalty ** gapWords;
      score += phraseBonus.get(candidate) ?? 0;
      if (score > 0) ranked.push({ candidate, score, matchedQuestion });
    }
    ranked.sort((a, b) => b.score - a.score);
    return { tokens, unknown, ranked };
  }

  /**
   * Users quote the article ("what does 'bespeaks a man' mean"): a run of its words, or a phrase in
   * quotes, points at the entries supported by that sentence.
   */
  private phraseBonus(text: string, phraseBoost: number, quotedBoost: number): Map<Candidate, number> {
    const bonus = new Map<Candidate, number>();
    const longest = new Map<Candidate, number>();
    const queryPhrases = phrasesOf(
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
      for (const candidate of this.candidates) {
        if (candidate.supportText.includes(` ${phrase} `))
          bonus.set(candidate, (bonus.get(candidate) ?? 0) + quotedBoost);
      }
    }
    return bonus;
  }
}

const MAX_PHRASE = 4;
/** A phrase in straight or curly quotes, single or double. */
const QUOTED = /["\u201C\u201D'\u2018\u2019]([^"\u201C\u201D]{3,80}?)["\u201C\u201D'\u2018\u2019](?!\p{L})/gu;

/** n-grams of 2..MAX_PHRASE consecutive words with at least one content word, mapped to n. */
function phrasesOf(wordList: readonly string[], into: Map<string, number>): Map<string, number> {
  const content = wordList.map((w) => canonicalToken(w) !== undefined);
  for (let n = 2; n <= MAX_PHRASE; n++) {
    for (let i = 0; i + n <= wordList.length; i++) {
      if (content.slice(i, i + n).includes(true)) into.set(wordList.slice(i, i + n).join(' '), n);
    }
  }
  return into;
}

function buildCandidate(
  id: string,
  kind: Candidate['kind'],
  questions: readonly string[],
  strongTexts: readonly string[],
  weakTexts: readonly string[],
  { base, step }: MatcherConfig['scoring']['sampleAffinity'],
  supportTexts: readonly string[] = [],
): Candidate {
  const phrases = new Map<string, number>();
  for (const text of supportTexts) phrasesOf(words(foldCase(text)), phrases);
  const supportText = supportTexts.map((t) => ` ${foldCase(t)} `).join('|');
  const questionTokens = questions.map(tokensOf);
  const strongTokens = strongTexts.flatMap(tokensOf);
  const strong = new Set<string>([...questionTokens.flat(), ...strongTokens]);
  const weak = new Set<string>(weakTexts.flatMap(tokensOf).filter((t) => !strong.has(t)));
  const uses = new Map<string, number>();
  for (const q of questionTokens) for (const t of q) uses.set(t, (uses.get(t) ?? 0) + 1);
  const affinity = new Map<string, number>();
  for (const [t, n] of uses) affinity.set(t, Math.min(1, base + step * (n - 1)));
  for (const t of strongTokens) affinity.set(t, 1);
  return { id, kind, questions, strong, weak, affinity, questionTokens, phrases, supportText };
}
