import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as v from 'valibot';
import { fromPackageRoot } from './package-root.ts';
import { NARRATOR } from './reply.ts';

const nonEmpty = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'));

const SupportSchema = v.strictObject({ text: nonEmpty, speaker: nonEmpty });

/**
 * What an entry id may hold: buttons carry it (Telegram allows 64 bytes of callback data), so
 * short ASCII without spaces.
 */
export const ENTRY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,62}$/;
const entryId = v.pipe(
  v.string(),
  v.regex(ENTRY_ID_PATTERN, 'must be 1-62 characters of A-Z, a-z, 0-9, "_", "." and "-" (buttons carry it)'),
);

const EntrySchema = v.strictObject({
  id: entryId,
  topic: nonEmpty,
  questions: v.pipe(v.array(nonEmpty), v.minLength(3, 'needs at least 3 sample questions')),
  keywords: v.optional(v.array(nonEmpty), []),
  answer: nonEmpty,
  support: v.pipe(v.array(SupportSchema), v.minLength(1, 'needs at least one supporting sentence')),
});

/** A natural question the article leaves unanswered: matched like an entry, answered with a decline. */
const GapSchema = v.strictObject({
  id: nonEmpty,
  questions: v.pipe(v.array(nonEmpty), v.minLength(1, 'needs at least one sample question')),
  keywords: v.optional(v.array(nonEmpty), []),
  answer: nonEmpty,
});

const QuoteSchema = v.strictObject({ id: nonEmpty, speaker: nonEmpty, text: nonEmpty, context: nonEmpty });

/**
 * The knowledge file's schema. Valibot rather than zod: the same declarative checks, but its import
 * costs ~15 ms instead of ~130 ms, which matters for the start-to-first-answer budget.
 */
export const KnowledgeFileSchema = v.strictObject({
  $schema: v.optional(v.string()),
  article: v.strictObject({
    headline: nonEmpty,
    publisher: nonEmpty,
    file: nonEmpty,
    summary: nonEmpty,
    /**
     * Where the article is published, when the knowledge base knows it: /about and answers link it.
     * Optional and never guessed: an article text that gives no address gets none.
     */
    url: v.optional(
      v.pipe(
        v.string(),
        v.trim(),
        v.url('must be a URL'),
        v.startsWith('https://', 'must start with https://'),
      ),
    ),
    /** Entry ids whose first questions the bot offers as examples (welcome, help, declines). */
    examples: v.optional(v.array(nonEmpty), []),
  }),
  /**
   * This article's names, aliases and vocabulary, one group a line, first member canonical
   * ("putin", "vladimir putin", "vlad"); general English lives in the engine.
   */
  lexicon: v.optional(
    v.array(v.pipe(v.array(nonEmpty), v.minLength(2, 'a group needs two words or more'))),
    [],
  ),
  entries: v.pipe(v.array(EntrySchema), v.minLength(1, 'needs at least one entry')),
  gaps: v.optional(v.array(GapSchema), []),
  quotes: v.pipe(v.array(QuoteSchema), v.minLength(1, 'needs at least one quote')),
});

export type KnowledgeFile = v.InferOutput<typeof KnowledgeFileSchema>;
export type Entry = v.InferOutput<typeof EntrySchema>;
export type Gap = v.InferOutput<typeof GapSchema>;
export type ArticleQuote = v.InferOutput<typeof QuoteSchema>;

export interface KnowledgeBase extends KnowledgeFile {
  readonly articleText: string;
}

/** Thrown when a data file is broken; the message names the file, the entry and the problem. */
export class KnowledgeError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Knowledge base ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'KnowledgeError';
  }
}

/** A quote of fewer words is a fragment ("a war."), not something a reader can take on its own. */
export const MIN_QUOTE_WORDS = 5;

const DOUBLE_QUOTES = /["\u201C\u201D\u201E\u201F]/;

/**
 * Why a text cannot be shown on its own as a quote, if it cannot: a fragment, a quote cut before
 * its attribution (", Putin told reporters" leaves a stray comma), unbalanced quote marks, or marks
 * around the whole text (renderers set quotes apart themselves, so those would show doubled).
 */
export function quoteShapeProblems(text: string): string[] {
  const problems: string[] = [];
  const t = text.trim();
  const words = t.match(/[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)*/gu) ?? [];
  if (words.length < MIN_QUOTE_WORDS)
    problems.push(`is a fragment (${words.length} words; a quote needs ${MIN_QUOTE_WORDS} or more)`);
  if (/[,;:\u2013\u2014-]["'\u201D\u2019]*$/.test(t)) problems.push('ends with a stray punctuation mark');
  // Curly marks are only style (and often typed one way for both ends): count every double mark.
  if ((t.match(new RegExp(DOUBLE_QUOTES, 'g')) ?? []).length % 2 !== 0)
    problems.push('has unbalanced quote marks');
  if (/^["\u201C\u201E][^"\u201C\u201D\u201E]*["\u201D][.!?]?$/.test(t) || /^['\u2018].*['\u2019]$/.test(t))
    problems.push('carries its own surrounding quote marks');
  return problems;
}

/**
 * Attribution problems of a quote or supporting sentence: a person's words carry no quote marks
 * (a sentence with them is the article's, quoting someone), and narration is attributed as
 * NARRATOR alone, never "the article (headline)".
 */
function attributionProblems(text: string, speaker: string): string[] {
  if (speaker === NARRATOR) return [];
  if (speaker.toLowerCase().startsWith(NARRATOR))
    return [`speaker "${speaker}": the article's own words are attributed to "${NARRATOR}" alone`];
  if (DOUBLE_QUOTES.test(text))
    return [
      `speaker "${speaker}": the text contains quote marks, so it is the article's sentence (speaker "${NARRATOR}"), or only ${speaker}'s words should be quoted`,
    ];
  return [];
}

/** Only whitespace and quote-mark style may differ between a quote and the article. */
export function normalizeForVerbatim(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201A\u201B\u2032`]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

function describePath(data: unknown, path: readonly unknown[]): string {
  // Name the entry by its id rather than its index, so the editor can find it.
  let node: unknown = data;
  const parts: string[] = [];
  for (const key of path) {
    if (typeof key === 'number' && Array.isArray(node)) {
      const item: unknown = node[key];
      const id = item && typeof item === 'object' && 'id' in item ? String(item.id) : undefined;
      parts.push(id ? `[${key}] (id "${id}")` : `[${key}]`);
      node = item;
    } else {
      parts.push(parts.length ? `.${String(key)}` : String(key));
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[String(key)] : undefined;
    }
  }
  return parts.join('') || '(root)';
}

/** Article sentences, so coverage can be checked sentence by sentence. */
export function splitSentences(articleText: string): string[] {
  return articleText
    .split('\n')
    .flatMap((line) => line.split(/(?<=[.!?]["”]?)\s+(?=["“]?[A-Z])/))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Cross-field checks the schema cannot express: unique ids, verbatim quotes. */
export function validateKnowledge(file: KnowledgeFile, articleText: string): string[] {
  const problems: string[] = [];
  const article = normalizeForVerbatim(articleText);
  const seen = new Map<string, string>();
  const claim = (id: string, where: string) => {
    const earlier = seen.get(id);
    if (earlier) problems.push(`${where} id "${id}" is already used by ${earlier}`);
    else seen.set(id, where);
  };
  const verbatim = (text: string, where: string) => {
    if (!article.includes(normalizeForVerbatim(text))) {
      problems.push(`${where}: text is not verbatim in the article: "${text.slice(0, 80)}"`);
    }
  };
  const shaped = (text: string, speaker: string, where: string) => {
    for (const problem of [...quoteShapeProblems(text), ...attributionProblems(text, speaker)])
      problems.push(`${where}: ${problem}: "${text.slice(0, 80)}"`);
  };
  for (const entry of file.entries) {
    claim(entry.id, `entry`);
    entry.support.forEach((s, i) => {
      verbatim(s.text, `entry "${entry.id}" support[${i}]`);
      shaped(s.text, s.speaker, `entry "${entry.id}" support[${i}]`);
    });
  }
  for (const gap of file.gaps) claim(gap.id, 'gap');
  const entryIds = new Set(file.entries.map((e) => e.id));
  for (const id of file.article.examples) {
    if (!entryIds.has(id)) problems.push(`article.examples names "${id}", which is not an entry id`);
  }
  for (const quote of file.quotes) {
    claim(`quote:${quote.id}`, 'quote');
    verbatim(quote.text, `quote "${quote.id}"`);
    shaped(quote.text, quote.speaker, `quote "${quote.id}"`);
    if (quote.speaker === NARRATOR)
      problems.push(`quote "${quote.id}": a quote is someone's words; the article's own are not a quote`);
  }
  for (const sentence of splitSentences(articleText)) {
    const s = normalizeForVerbatim(sentence);
    const covered = file.entries.some((entry) =>
      entry.support.some((support) => {
        const t = normalizeForVerbatim(support.text);
        return s.includes(t) || t.includes(s);
      }),
    );
    if (!covered) problems.push(`no entry is supported by the article sentence: "${sentence.slice(0, 80)}"`);
  }
  if (
    normalizeForVerbatim(file.article.headline) !== normalizeForVerbatim(articleText.split('\n')[0] ?? '')
  ) {
    problems.push('article.headline does not match the first line of the article');
  }
  return problems;
}

/**
 * Parses and validates a knowledge file; throws KnowledgeError naming every problem.
 * `readArticle` resolves the file named in `article.file`.
 */
export function parseKnowledge(
  raw: string,
  readArticle: (file: string) => string,
  fileName: string,
): KnowledgeBase {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new KnowledgeError(fileName, [`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = v.safeParse(KnowledgeFileSchema, json);
  if (!parsed.success) {
    throw new KnowledgeError(
      fileName,
      parsed.issues.map(
        (issue) => `${describePath(json, issue.path?.map((p) => p.key) ?? [])}: ${issue.message}`,
      ),
    );
  }
  let articleText: string;
  try {
    articleText = readArticle(parsed.output.article.file);
  } catch (error) {
    throw new KnowledgeError(fileName, [
      `article.file "${parsed.output.article.file}": ${(error as Error).message}`,
    ]);
  }
  const problems = validateKnowledge(parsed.output, articleText);
  if (problems.length) throw new KnowledgeError(fileName, problems);
  return { ...parsed.output, articleText };
}

export const DEFAULT_KNOWLEDGE_PATH = fromPackageRoot('data/knowledge.json');

export function loadKnowledge(path: string = DEFAULT_KNOWLEDGE_PATH): KnowledgeBase {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KnowledgeError(path, [(error as Error).message]);
  }
  return parseKnowledge(raw, (file) => readFileSync(resolve(dirname(path), file), 'utf8'), path);
}
