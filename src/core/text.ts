import {
  FILLER_PHRASES,
  QUESTION_WORDS,
  STOPWORDS,
  SYNONYM_GROUPS,
  TYPED_QUESTION_WORDS,
} from './lexicon.ts';

/** Characters that are invisible or reorder text: zero-width, bidi controls, BOM, soft hyphen. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Removes control and invisible characters and collapses whitespace; keeps the user's wording. */
export function cleanInput(raw: string): string {
  return raw.normalize('NFKC').replace(CONTROL, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Platform mention syntaxes: Discord user/role/channel mentions, @everyone/@here, a leading @handle. */
const MENTIONS = /<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b|(?:^|\s)@[A-Za-z0-9_]{2,32}\b/g;

/**
 * Uppercase US / U.S. / USA mean the country; lowercase "us" is usually a pronoun, except after
 * "the" or before a noun that only a country takes ("the us", "us president").
 */
const US_COUNTRY = /\bU\.?S\.?A?\b\.?/g;
const US_IN_CONTEXT =
  /(?<=\b(?:the|in|to|from|by|and) )us\b|\bus(?= (?:president|government|officials?|administration|position|reaction|response|criticism|spokesman|spokesperson|view|side|leaders?)\b)/gi;

const phraseMap = new Map<string, string>();
for (const filler of FILLER_PHRASES) phraseMap.set(filler, '');
const wordMap = new Map<string, string>();
for (const group of SYNONYM_GROUPS) {
  const canonical = group[0];
  if (canonical === undefined) continue;
  if (!/^[\p{L}\p{N}]+$/u.test(canonical))
    throw new Error(`lexicon: canonical term "${canonical}" must be one word`);
  for (const member of group) {
    const key = foldCase(member);
    if (key.includes(' ')) phraseMap.set(key, canonical);
    else {
      wordMap.set(key, canonical);
      wordMap.set(stem(key), canonical);
    }
  }
}
const phrasePattern = new RegExp(
  `\\b(?:${[...phraseMap.keys()]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})\\b`,
  'g',
);

/** Lower case, no diacritics, straight quotes, no possessive 's, punctuation as spaces. */
export function foldCase(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/©/g, ' copyright ')
    .replace(/[\u2018\u2019\u201A\u201B\u2032`´]/g, "'")
    .replace(/(\p{L})'(?:s|ll|re|ve|d|m)\b/gu, '$1')
    .replace(/(\p{L})'(\p{L})/gu, '$1$2')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Prepares raw user text for matching: mentions out, the country "US" kept, case folded, phrases mapped. */
export function normalizeQuestion(raw: string): string {
  return normalizeCleaned(cleanInput(raw));
}

/** normalizeQuestion for text that already went through cleanInput. */
export function normalizeCleaned(cleaned: string): string {
  const text = cleaned.replace(MENTIONS, ' ').replace(US_COUNTRY, ' usa ').replace(US_IN_CONTEXT, ' usa ');
  return foldCase(text)
    .replace(phrasePattern, (phrase) => phraseMap.get(phrase) ?? phrase)
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** A light suffix stripper: enough to join "negotiations"/"negotiating", cheap enough for every keystroke. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (/(?:sh|ch|x|z|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** The canonical term for a word, or undefined for a stopword. */
export function canonicalToken(word: string): string | undefined {
  if (STOPWORDS.has(word) && !QUESTION_WORDS.has(word)) return undefined;
  const direct = wordMap.get(word);
  if (direct !== undefined) return direct;
  const stemmed = stem(word);
  const mapped = wordMap.get(stemmed);
  if (mapped !== undefined) return mapped;
  return STOPWORDS.has(stemmed) ? undefined : stemmed;
}

export function isQuestionWord(token: string): boolean {
  return QUESTION_WORDS.has(token);
}

/** who/when/where: the answer must be of that kind. */
export function isTypedQuestionWord(token: string): boolean {
  return TYPED_QUESTION_WORDS.has(token);
}

/** Surface words (after case folding) of a normalized text, in order, duplicates kept. */
export function words(normalized: string): string[] {
  return normalized ? normalized.split(' ') : [];
}

/** Canonical content tokens of raw text, deduplicated, in first-seen order. */
export function contentTokens(raw: string): string[] {
  const seen = new Set<string>();
  for (const word of words(normalizeQuestion(raw))) {
    const token = canonicalToken(word);
    if (token !== undefined) seen.add(token);
  }
  return [...seen];
}

/** Optimal string alignment distance (Levenshtein plus adjacent swaps), giving up beyond `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((prev[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (prevPrev[j - 2] ?? 0) + 1);
      }
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = current;
  }
  return prev[b.length] ?? max + 1;
}

/** Surface forms the lexicon knows, so typos can be corrected towards them too. */
export function lexiconWords(): string[] {
  return [...wordMap.keys()];
}
