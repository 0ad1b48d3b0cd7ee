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
 * The characters a word uses, as bits (each UTF-16 code unit folded to one of 32, so any script fits). One edit
 * changes at most two bits, so two words whose masks differ in more than 2·k bits are more than
 * k edits apart: most of a dictionary is ruled out without aligning a single pair.
 */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) & 31);
  return mask;
}

function bitCount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Typo correction biased towards the knowledge base: a misspelling becomes the knowledge base's
 * word when one is as close as any English word, otherwise the most common English word one edit
 * away ("evr" -> "ever", "wil" -> "will"), so a typo of an everyday word is not mistaken for a
 * new topic.
 */
export class Speller {
  private readonly known: Map<number, string[]> = new Map();
  private readonly knownMasks = new Map<number, Int32Array>();
  /** Letter masks of the English words of each length, made when a correction first needs them. */
  private readonly englishMasks = new Map<number, Int32Array>();
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
    for (const [length, list] of this.known) this.knownMasks.set(length, Int32Array.from(list, letterMask));
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
      const mask = letterMask(word);
      for (let len = word.length - 1; len <= word.length + 1; len++) {
        // Each list is most frequent first: its first word one edit away is that length's best.
        const list = this.english.wordsOfLength(len);
        const masks = this.englishMasksOf(len, list);
        const found = list.find(
          (candidate, i) => bitCount(mask ^ (masks[i] ?? 0)) <= 2 && oneEdit(word, candidate),
        );
        const zipf = found === undefined ? undefined : this.english.zipf(found);
        if (found !== undefined && zipf !== undefined && (!best || zipf > best.zipf))
          best = { word: found, zipf };
      }
      if (best) return best.word;
    }
    return kb && word.length >= twoEditsFrom ? kb.word : undefined;
  }

  private englishMasksOf(length: number, list: readonly string[]): Int32Array {
    let masks = this.englishMasks.get(length);
    if (!masks) {
      masks = Int32Array.from(list, letterMask);
      this.englishMasks.set(length, masks);
    }
    return masks;
  }

  private nearestKnown(word: string): { word: string; distance: number } | undefined {
    const max = word.length >= this.options.twoEditsFrom ? 2 : 1;
    const mask = letterMask(word);
    let best: { word: string; distance: number } | undefined;
    for (let len = word.length - max; len <= word.length + max; len++) {
      const masks = this.knownMasks.get(len);
      const list = this.known.get(len) ?? [];
      for (let i = 0; i < list.length; i++) {
        const candidate = list[i] ?? '';
        // Short words keep their first letter when mistyped ("kirbi"); without this "moon" became "soon".
        if (word.length < this.options.twoEditsFrom && candidate[0] !== word[0]) continue;
        if (bitCount(mask ^ (masks?.[i] ?? 0)) > 2 * max) continue;
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
