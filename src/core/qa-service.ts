import Fuse from 'fuse.js';
import { detectSmalltalk, looksLikeInjection, mostlyNonLatin } from './intents.ts';
import type { ArticleQuote, Entry, KnowledgeBase } from './knowledge.ts';
import { type Candidate, type Match, Matcher } from './matcher.ts';
import { MATCHER_DEFAULTS, type MatcherConfig } from './matcher-config.ts';
import type { DeclineReason, QuestionReply, Quote } from './reply.ts';
import type { QaService, QuoteFilter, TopicInfo } from './service.ts';
import { cleanInput, contentTokens, foldCase, isQuestionWord } from './text.ts';
import { TEXTS } from './texts.ts';

/** Cuts text at a word boundary so replies stay within every platform's limits. */
export function clampText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

export interface QaServiceOptions {
  readonly config?: MatcherConfig;
  /** Told about a bug caught while answering (the user still gets a polite decline). */
  readonly onError?: (error: unknown, question: string) => void;
}

export function createQaService(kb: KnowledgeBase, options: QaServiceOptions = {}): QaService {
  const config = options.config ?? MATCHER_DEFAULTS;
  const matcher = new Matcher(kb, config);
  const entries = new Map<string, Entry>(kb.entries.map((e) => [e.id, e]));
  const gaps = new Map(kb.gaps.map((g) => [g.id, g]));
  const { limits, decision } = config;
  const intro = TEXTS.intro(kb.article.headline, kb.article.publisher);
  const related = relatedQuestions(matcher, limits.maxSuggestions);
  const exampleEntries = [
    ...kb.article.examples.flatMap((id) => kb.entries.filter((e) => e.id === id)),
    ...kb.entries.filter((e) => !kb.article.examples.includes(e.id)),
  ];
  const examples = (count: number) => exampleEntries.slice(0, count).map((e) => e.questions[0] ?? e.topic);
  // Built on first use: only Discord's autocomplete needs it, and start-up stays fast.
  let autocomplete: Fuse<{ q: string; id: string }> | undefined;
  const fuzzyQuestions = () =>
    (autocomplete ??= new Fuse(
      kb.entries.flatMap((e) => e.questions.map((q) => ({ q, id: e.id }))),
      { keys: ['q'], threshold: 0.4, ignoreLocation: true },
    ));

  const foldedQuestions = kb.entries.flatMap((e) => e.questions.map((q) => ({ q, folded: foldCase(q) })));

  const confidenceOf = (score: number) =>
    Math.round((1 / (1 + Math.exp(-decision.confidenceSlope * (score - decision.answer)))) * 1000) / 1000;

  const decline = (
    reason: DeclineReason,
    text: string,
    suggestions: readonly string[],
    score = 0,
  ): QuestionReply => ({
    kind: 'decline',
    reason,
    text: clampText(text, limits.maxReplyLength),
    suggestions: suggestions.slice(0, limits.maxSuggestions),
    confidence: confidenceOf(score),
  });

  // Buttons show an entry's first, curated question rather than whichever casual sample matched.
  const canonicalQuestion = (candidate: Candidate) => candidate.questions[0] ?? candidate.id;

  const quotesOf = (entry: Entry): Quote[] =>
    entry.support.map((s) => ({ text: s.text, speaker: s.speaker }));

  /** Everything decided before matching: size, emptiness, injection, smalltalk, script. */
  function screen(raw: string): QuestionReply | { question: string } {
    const input = typeof raw === 'string' ? raw : '';
    // Length first, on the raw text, so a huge message costs nothing to refuse.
    const tooLong = () => decline('too-long', TEXTS.decline['too-long'](limits.maxQuestionLength), []);
    if (input.length > limits.maxQuestionLength * 4) return tooLong();
    const question = cleanInput(input);
    if (question.length > limits.maxQuestionLength) return tooLong();
    if (!question) {
      return { kind: 'smalltalk', text: TEXTS.empty(intro), suggestions: examples(limits.maxSuggestions) };
    }
    if (looksLikeInjection(question)) {
      return decline('injection', TEXTS.decline.injection, examples(limits.maxSuggestions));
    }
    const intent = detectSmalltalk(question);
    if (intent) {
      const template = TEXTS.smalltalk[intent];
      const text = typeof template === 'function' ? template(intro) : template;
      return { kind: 'smalltalk', text, suggestions: examples(limits.maxSuggestions) };
    }
    if (mostlyNonLatin(question))
      return decline('unreadable', TEXTS.nonLatin, examples(limits.maxSuggestions));
    return { question };
  }

  /**
   * A gap ("the article doesn't say") wins only through words its best rival entry lacks; a question
   * fully explained by an entry's vocabulary is that entry's, even when a gap sample is worded closer.
   */
  function pickBest(tokens: readonly string[], ranked: readonly Match[]): Match | undefined {
    const first = ranked[0];
    const topEntry = ranked.find((m) => m.candidate.kind === 'entry');
    if (first?.candidate.kind !== 'gap' || !topEntry) return first;
    // Question words ("who", "when") say what kind of answer is wanted, not what it is about.
    const entryExplainsAll = !tokens.some(
      (t) => !isQuestionWord(t) && first.candidate.strong.has(t) && !topEntry.candidate.strong.has(t),
    );
    const closeEnough =
      topEntry.score >= decision.answer && topEntry.score >= first.score - decision.gapYieldMargin;
    return entryExplainsAll && closeEnough ? topEntry : first;
  }

  /** Entries scoring within the ambiguity margin of the best that would answer from other sentences. */
  function rivalsOf(best: Match, ranked: readonly Match[]): Match[] {
    const bestSupport = new Set(entries.get(best.candidate.id)?.support.map((s) => s.text));
    return ranked.filter(
      (m) =>
        m.candidate.kind === 'entry' &&
        m !== best &&
        m.score >= best.score - decision.ambiguityMargin &&
        !entries.get(m.candidate.id)?.support.some((s) => bestSupport.has(s.text)),
    );
  }

  function ask(raw: string): QuestionReply {
    const screened = screen(raw);
    if ('kind' in screened) return screened;

    const { tokens, ranked } = matcher.analyze(screened.question);
    if (tokens.length === 0)
      return decline('unreadable', TEXTS.decline.unreadable, examples(limits.maxSuggestions));
    const best = pickBest(tokens, ranked);
    const nearby = ranked
      .filter((m) => m.candidate.kind === 'entry')
      .slice(0, limits.maxSuggestions)
      .map((m) => canonicalQuestion(m.candidate));
    const suggestions = nearby.length ? nearby : examples(limits.maxSuggestions);

    if (!best || best.score < decision.clarify) {
      return decline('not-covered', TEXTS.decline['not-covered'], suggestions, best?.score ?? 0);
    }
    if (best.candidate.kind === 'gap') {
      const gap = gaps.get(best.candidate.id);
      return decline('article-silent', gap?.answer ?? TEXTS.decline['not-covered'], suggestions, best.score);
    }
    const rivals = rivalsOf(best, ranked);
    if (best.score < decision.answer || rivals.length > 0) {
      const choices = [best, ...rivals]
        .slice(0, limits.maxSuggestions)
        .map((m) => canonicalQuestion(m.candidate));
      return {
        kind: 'clarify',
        text: rivals.length > 0 ? TEXTS.clarify : TEXTS.clarifyLowConfidence,
        suggestions: choices.length > 1 ? choices : nearby,
        confidence: confidenceOf(best.score),
      };
    }

    const entry = entries.get(best.candidate.id);
    if (!entry) throw new Error(`matcher returned unknown entry ${best.candidate.id}`);
    return {
      kind: 'answer',
      entryId: entry.id,
      matchedQuestion: best.matchedQuestion,
      text: clampText(entry.answer, limits.maxReplyLength),
      quotes: quotesOf(entry),
      confidence: confidenceOf(best.score),
      suggestions: related.get(entry.id) ?? [],
    };
  }

  /**
   * Autocomplete: questions that start with what was typed, then those containing every typed word
   * as a word prefix (so "who is k" finds "Who is John Kirby?"), then Fuse's fuzzy matches for typos.
   */
  function complete(partial: string, limit: number): string[] {
    const text = foldCase(cleanInput(typeof partial === 'string' ? partial : '').slice(0, 200));
    if (!text)
      return [...new Set(kb.entries.map((e) => e.questions[0] ?? e.topic))].slice(0, Math.max(0, limit));
    const typed = text.split(' ');
    const prefixed: string[] = [];
    const wordPrefixed: string[] = [];
    for (const { q, folded } of foldedQuestions) {
      if (folded.startsWith(text)) prefixed.push(q);
      else if (typed.every((t) => folded.split(' ').some((w) => w.startsWith(t)))) wordPrefixed.push(q);
    }
    const fuzzy = fuzzyQuestions()
      .search(text, { limit: limit * 2 })
      .map((r) => r.item.q);
    return [...new Set([...prefixed, ...wordPrefixed, ...fuzzy])].slice(0, Math.max(0, limit));
  }

  function topics(): TopicInfo[] {
    return kb.entries.map((e) => ({ id: e.id, topic: e.topic, example: e.questions[0] ?? e.topic }));
  }

  function speakers(): string[] {
    return [...new Set(kb.quotes.map((q) => q.speaker))];
  }

  function findQuotes(filter: QuoteFilter): ArticleQuote[] {
    let pool = kb.quotes;
    if (filter.speaker?.trim()) {
      const wanted = new Set(contentTokens(filter.speaker));
      pool = pool.filter((q) => contentTokens(q.speaker).some((t) => wanted.has(t)));
    }
    if (filter.topic?.trim()) {
      const wanted = contentTokens(filter.topic).map((t) => matcher.correctToken(t));
      const scored = pool
        .map((q) => {
          const have = new Set(contentTokens(`${q.text} ${q.context}`));
          return { q, score: wanted.reduce((sum, t) => sum + (have.has(t) ? matcher.weight(t) : 0), 0) };
        })
        .filter((s) => s.score > 0)
        .sort((a, b) => b.score - a.score);
      pool = scored.map((s) => s.q);
    }
    return pool;
  }

  return {
    article: kb.article,
    knowledge: kb,
    ask(question: string): QuestionReply {
      try {
        return ask(question);
      } catch (error) {
        // A bug in matching must not become a crash in a chat: report it, and answer honestly instead.
        options.onError?.(error, question);
        return decline('not-covered', TEXTS.decline['not-covered'], examples(limits.maxSuggestions));
      }
    },
    complete,
    topics,
    speakers,
    findQuotes,
    examples,
  };
}

/** For each entry, the first questions of the entries whose vocabulary overlaps it most. */
function relatedQuestions(matcher: Matcher, count: number): Map<string, string[]> {
  const entries = matcher.candidates.filter((c) => c.kind === 'entry');
  const similarity = (a: Candidate, b: Candidate) => {
    let shared = 0;
    let total = 0;
    for (const t of new Set([...a.strong, ...b.strong])) {
      const w = matcher.weight(t);
      total += w;
      if (a.strong.has(t) && b.strong.has(t)) shared += w;
    }
    return total ? shared / total : 0;
  };
  const out = new Map<string, string[]>();
  for (const entry of entries) {
    const others = entries
      .filter((o) => o !== entry)
      .map((o) => ({ o, s: similarity(entry, o) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, count)
      .map(({ o }) => o.questions[0] ?? o.id);
    out.set(entry.id, others);
  }
  return out;
}
