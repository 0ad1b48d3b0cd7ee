import { stemmer } from 'stemmer';
import { alternation, foldCase, stripPlatformSyntax } from '../text.ts';
import { stripAcknowledgements } from './acknowledgements.ts';
import type { English } from './english.ts';
import { FILLER_PHRASES, QUESTION_WORDS, STOPWORDS, SYNONYM_GROUPS } from './lexicon.ts';

export interface VocabularyOptions {
  /** Look synonyms up by dictionary form too ("backers" finds a group listing "backer"). */
  readonly lemmas: boolean;
  /** Reduce words outside the synonym groups to a Porter stem, so "negotiators" meets "negotiate". */
  readonly stemmer: boolean;
}

/**
 * Turns text into canonical tokens, the same way for the knowledge base and for questions:
 * the engine's English synonym groups plus one article's own names and aliases. A word maps onto a
 * group only as written or by its lemma; any other word becomes its stem, which is never looked up
 * in the groups, so stemming cannot merge unrelated words.
 */
export class Vocabulary {
  private readonly phraseMap = new Map<string, string>();
  private readonly wordMap = new Map<string, string>();
  private readonly phrasePattern: RegExp;
  private readonly cache = new Map<string, string | null>();
  /** Tokens of the article's own groups: its people, places and organisations. */
  private readonly names = new Set<string>();

  constructor(
    articleGroups: readonly (readonly string[])[],
    private readonly english: English,
    private readonly options: VocabularyOptions,
  ) {
    for (const filler of FILLER_PHRASES) this.phraseMap.set(filler, '');
    for (const group of articleGroups) if (group[0]) this.names.add(this.free(foldCase(group[0])));
    for (const group of [...SYNONYM_GROUPS, ...articleGroups]) {
      const canonical = group[0];
      if (canonical === undefined) continue;
      if (!/^[\p{L}\p{N}]+$/u.test(foldCase(canonical)))
        throw new Error(`lexicon: canonical term "${canonical}" must be one word`);
      // The group's token is its first member's stem, so derived words no group lists
      // ("warring", "endings") meet it the way any other word meets its stem.
      const token = this.free(foldCase(canonical));
      for (const member of group) {
        const key = foldCase(member);
        // A phrase is rewritten to the canonical word, which the word map then turns into the token.
        if (key.includes(' ')) this.phraseMap.set(key, foldCase(canonical));
        else this.wordMap.set(key, token);
      }
    }
    this.phrasePattern = new RegExp(`\\b(?:${alternation(this.phraseMap.keys())})\\b`, 'g');
  }

  /** Cleaned user text to folded words, with multi-word synonyms and filler phrases rewritten. */
  normalize(cleaned: string): string {
    return foldCase(stripAcknowledgements(stripPlatformSyntax(cleaned)))
      .replace(this.phrasePattern, (phrase) => this.phraseMap.get(phrase) ?? phrase)
      .replace(/ {2,}/g, ' ')
      .trim();
  }

  /** The canonical term for one folded word, or undefined for a stopword. */
  token(word: string): string | undefined {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached ?? undefined;
    const token = this.compute(word);
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(word, token ?? null);
    return token;
  }

  private compute(word: string): string | undefined {
    if (STOPWORDS.has(word) && !QUESTION_WORDS.has(word)) return undefined;
    const direct = this.wordMap.get(word);
    if (direct !== undefined) return direct;
    if (/\d/.test(word)) return word;
    const lemma = this.options.lemmas ? this.english.lemma(word) : word;
    if (lemma !== word) {
      const mapped = this.wordMap.get(lemma);
      if (mapped !== undefined) return mapped;
      if (STOPWORDS.has(lemma)) return undefined;
    }
    return this.free(lemma);
  }

  private free(word: string): string {
    return this.options.stemmer && !/\d/.test(word) ? stemmer(word) : word;
  }

  /** Canonical tokens of raw (cleaned) text, deduplicated, in first-seen order. */
  tokens(cleaned: string): string[] {
    const seen = new Set<string>();
    for (const word of this.normalize(cleaned).split(' ')) {
      if (!word) continue;
      const token = this.token(word);
      if (token !== undefined) seen.add(token);
    }
    return [...seen];
  }

  /** True when the token is one of the article's names (a person, country, organisation...). */
  isName(token: string): boolean {
    return this.names.has(token);
  }

  /** True when a word is listed in a synonym group (so it is known even if no text uses it). */
  lists(word: string): boolean {
    return this.wordMap.has(word);
  }

  /** Every single word the groups list, for spelling correction. */
  listedWords(): string[] {
    return [...this.wordMap.keys()];
  }
}
