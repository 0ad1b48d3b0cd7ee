/** Characters that are invisible or reorder text: zero-width, bidi controls, BOM, soft hyphen. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * The last few results of a pure text function: one question passes the same text through
 * `cleanInput` and `foldCase` several times (screening, smalltalk, matching, phrases), and the
 * Unicode regular expressions cost a tenth of answering it. Bounded: cleared when full.
 */
function remembered(compute: (text: string) => string): (text: string) => string {
  const recent = new Map<string, string>();
  return (text) => {
    let result = recent.get(text);
    if (result === undefined) {
      if (recent.size >= 8) recent.clear();
      result = compute(text);
      recent.set(text, result);
    }
    return result;
  };
}

/** Removes control and invisible characters and collapses whitespace; keeps the user's wording. */
export const cleanInput = remembered((raw: string): string =>
  raw.normalize('NFKC').replace(CONTROL, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim(),
);

/** Platform mention syntaxes: Discord user/role/channel mentions, @everyone/@here, a leading @handle. */
const MENTIONS = /<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b|(?:^|\s)@[A-Za-z0-9_]{2,32}\b/g;

/**
 * A message as it may be kept (the question log): control characters and platform mentions out,
 * so no terminal escape and no third party's platform id is stored; the wording otherwise kept.
 */
export function withoutMentions(raw: string): string {
  return cleanInput(cleanInput(raw).replace(MENTIONS, ' '));
}

/**
 * Uppercase US / U.S. / USA mean the country; lowercase "us" is usually a pronoun, except after
 * "the" or before a noun that only a country takes ("the us", "us president").
 */
const US_COUNTRY = /\bU\.?S\.?A?\b\.?/g;
const US_IN_CONTEXT =
  /(?<=\b(?:the|in|to|from|by|and) )us\b|\bus(?= (?:president|government|officials?|administration|position|reaction|response|criticism|spokesman|spokesperson|view|side|leaders?)\b)/gi;

/** Lower case, no diacritics, straight quotes, no possessive 's, punctuation as spaces. */
export const foldCase = remembered((text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/©/g, ' copyright ')
    .replace(/[\u2018\u2019\u201A\u201B\u2032`´]/g, "'")
    .replace(/(\p{L})'(?:s|ll|re|ve|d|m)\b/gu, '$1')
    .replace(/(\p{L})'(\p{L})/gu, '$1$2')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim(),
);

/** HTML-like tags and Markdown emphasis people paste or type (<b>, **bold**, `code`, ||spoiler||). */
const MARKUP = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>|\*\*|__|~~|\|\||`+/gi;

/** Mentions out, markup out, the country "US" kept: the user's words, ready for case folding. */
export function stripPlatformSyntax(cleaned: string): string {
  return cleaned
    .replace(MENTIONS, ' ')
    .replace(MARKUP, ' ')
    .replace(US_COUNTRY, ' usa ')
    .replace(US_IN_CONTEXT, ' usa ');
}

/** Surface words (after case folding) of a normalized text, in order, duplicates kept. */
export function words(normalized: string): string[] {
  return normalized ? normalized.split(' ') : [];
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

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export interface TruncateOptions {
  /** Marks the cut (default "…"); "" for none. */
  readonly ellipsis?: string;
  /** Cut at the last space when one is in the last 40 % (a word is never split in two). */
  readonly atWord?: boolean;
}

/**
 * The one truncation of plain text for every platform: at most `max` UTF-16 units (what Discord
 * and Telegram count), never splitting a grapheme (an emoji, an accented letter), optionally at a
 * word boundary, with the cut marked.
 */
export function truncate(text: string, max: number, options: TruncateOptions = {}): string {
  if (text.length <= max) return text;
  const ellipsis = options.ellipsis ?? '\u2026';
  const room = Math.max(0, max - ellipsis.length);
  let cut = '';
  for (const { segment } of graphemes.segment(text)) {
    if (cut.length + segment.length > room) break;
    cut += segment;
  }
  if (options.atWord) {
    const space = cut.lastIndexOf(' ');
    if (space > room * 0.6) cut = cut.slice(0, space);
  }
  return `${cut.trimEnd()}${ellipsis}`;
}

/** A regular-expression alternation matching any of these phrases literally, longest first. */
export function alternation(phrases: Iterable<string>): string {
  return [...phrases]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}
