import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fromPackageRoot } from '../package-root.ts';

/**
 * General English knowledge the matcher needs, loaded from the generated english.txt
 * (scripts/build-english.ts): how common a word is, its base form, and WordNet's related words.
 * Nothing here knows the article.
 */
export interface English {
  /** Zipf frequency (log10 per billion words of spoken English), or undefined for an unseen word. */
  zipf(word: string): number | undefined;
  /** The dictionary form of an inflected word ("backers" -> "backer"), or the word itself. */
  lemma(word: string): string;
  /** WordNet synonyms and derivations of a word, most common first. */
  related(word: string): readonly string[];
  /** Common English words of one length, most frequent first, for spelling correction. */
  wordsOfLength(length: number): readonly string[];
  /** The languages a word is a function word of, when it is not common English ("wer" -> de). */
  foreignLanguages(word: string): readonly string[];
  readonly size: number;
  /** A hash of the resources' text, computed when first asked: what was built from them is valid while it holds. */
  fingerprint(): string;
}

/**
 * Lines "key rest…" sorted by key, searched in place by character offset: no index of line starts
 * is built at load (that scan of 74k lines cost 4 ms of every start).
 */
class SortedLines {
  private lines: number | undefined;
  constructor(private readonly text: string) {}
  get size(): number {
    if (this.lines === undefined) {
      let n = this.text ? 1 : 0;
      for (
        let i = this.text.indexOf('\n');
        i >= 0 && i < this.text.length - 1;
        i = this.text.indexOf('\n', i + 1)
      )
        n++;
      this.lines = n;
    }
    return this.lines;
  }
  find(key: string): string | undefined {
    const { text } = this;
    // lo is always a line's start; lines starting in [lo, hi) are still candidates.
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      // lastIndexOf from -1 would look at index 0 itself: the first line starts at 0 whatever it holds.
      const start = mid === 0 ? 0 : text.lastIndexOf('\n', mid - 1) + 1;
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      const space = text.indexOf(' ', start);
      const keyEnd = space < 0 || space > end ? end : space;
      const found = text.slice(start, keyEnd);
      // A line with a key and nothing after it carries no value.
      if (found === key) return keyEnd < end ? text.slice(keyEnd + 1, end) : undefined;
      if (found < key) lo = end + 1;
      else hi = start;
    }
    return undefined;
  }
}

function sectionsOf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = text.split(/^#(\w+)[^\n]*\n/m);
  for (let i = 1; i + 1 < parts.length; i += 2) out.set(parts[i] ?? '', (parts[i + 1] ?? '').trimEnd());
  return out;
}

export function parseEnglish(text: string): English {
  const sections = sectionsOf(text);
  const zipf = new SortedLines(sections.get('zipf') ?? '');
  const lemmas = new SortedLines(sections.get('lemma') ?? '');
  const related = new SortedLines(sections.get('related') ?? '');
  const spellingLines = new Map<number, string>();
  for (const line of (sections.get('spelling') ?? '').split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) spellingLines.set(Number(line.slice(0, space)), line.slice(space + 1));
  }
  const spelling = new Map<number, readonly string[]>();
  const foreign = new SortedLines(sections.get('foreign') ?? '');
  const relatedCache = new Map<string, readonly string[]>();
  let fingerprint: string | undefined;
  return {
    zipf(word) {
      const z = zipf.find(word);
      return z === undefined ? undefined : Number(z) / 10;
    },
    lemma: (word) => lemmas.find(word) ?? word,
    related(word) {
      let list = relatedCache.get(word);
      if (list === undefined) {
        list = related.find(word)?.split(' ') ?? [];
        if (relatedCache.size > 10_000) relatedCache.clear();
        relatedCache.set(word, list);
      }
      return list;
    },
    wordsOfLength(length) {
      let list = spelling.get(length);
      if (list === undefined) {
        list = spellingLines.get(length)?.split(' ') ?? [];
        spelling.set(length, list);
      }
      return list;
    },
    foreignLanguages: (word) => foreign.find(word)?.split(',') ?? [],
    get size() {
      return zipf.size;
    },
    fingerprint() {
      fingerprint ??= createHash('sha256').update(text).digest('hex');
      return fingerprint;
    },
  };
}

let loaded: English | undefined;
/** The engine's English resources, read once per process. */
export function english(): English {
  loaded ??= parseEnglish(readFileSync(fromPackageRoot('src/core/language/english.txt'), 'utf8'));
  return loaded;
}
