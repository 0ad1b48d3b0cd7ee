import { editDistance } from '../text.ts';
import type { English } from './english.ts';

export interface SpellingOptions {
  /** Also correct towards common English words, not only the knowledge base's own. */
  readonly dictionary: boolean;
  /** Words shorter than this are corrected only towards English words, by one edit. */
  readonly minLength: number;
  /** From this length two edits are allowed towards the knowledge base's words. */
  readonly twoEditsFrom: number;
  readonly cacheSize: number;
}

/** True when a and b differ by exactly one insertion, deletion, substitution or adjacent swap. */
export function oneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1 || a === b) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Typo correction biased towards the knowledge base: a misspelling becomes the knowledge base's
 * word when one is as close as any English word, otherwise the most common English word one edit
 * away ("evr" -> "ever", "wil" -> "will"), so a typo of an everyday word is not mistaken for a
 * new topic.
 */
export class Speller {
  private readonly known: Map<number, string[]> = new Map();
  private readonly cache = new Map<string, string | null>();

  constructor(
    knownWords: Iterable<string>,
    private readonly english: English,
    private readonly options: SpellingOptions,
  ) {
    for (const w of new Set(knownWords)) {
      if (w.length < 3 || /\d/.test(w)) continue;
      const list = this.known.get(w.length) ?? [];
      list.push(w);
      this.known.set(w.length, list);
    }
  }

  /** The intended word for a misspelt one, or undefined when nothing is close. */
  correct(word: string): string | undefined {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached ?? undefined;
    const found = /\d/.test(word) || word.length < 3 ? undefined : this.search(word);
    if (this.cache.size >= this.options.cacheSize) this.cache.clear();
    this.cache.set(word, found ?? null);
    return found;
  }

  private search(word: string): string | undefined {
    const { minLength, twoEditsFrom, dictionary } = this.options;
    const kb = word.length >= minLength ? this.nearestKnown(word) : undefined;
    if (kb && kb.distance === 1) return kb.word;
    if (dictionary) {
      let best: { word: string; zipf: number } | undefined;
      for (let len = word.length - 1; len <= word.length + 1; len++) {
        // Each list is most frequent first: its first word one edit away is that length's best.
        const found = this.english.wordsOfLength(len).find((candidate) => oneEdit(word, candidate));
        const zipf = found === undefined ? undefined : this.english.zipf(found);
        if (found !== undefined && zipf !== undefined && (!best || zipf > best.zipf))
          best = { word: found, zipf };
      }
      if (best) return best.word;
    }
    return kb && word.length >= twoEditsFrom ? kb.word : undefined;
  }

  private nearestKnown(word: string): { word: string; distance: number } | undefined {
    const max = word.length >= this.options.twoEditsFrom ? 2 : 1;
    let best: { word: string; distance: number } | undefined;
    for (let len = word.length - max; len <= word.length + max; len++) {
      for (const candidate of this.known.get(len) ?? []) {
        // Short words keep their first letter when mistyped ("kirbi"); without this "moon" became "soon".
        if (word.length < this.options.twoEditsFrom && candidate[0] !== word[0]) continue;
        const d = editDistance(word, candidate, best ? best.distance - 1 : max);
        if (d <= max && (!best || d < best.distance)) {
          best = { word: candidate, distance: d };
          if (d === 1) return best;
        }
      }
    }
    return best;
  }
}
