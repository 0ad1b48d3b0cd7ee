import { createRequire } from 'node:module';
import type Fuse from 'fuse.js';
import {
  type ContextVector,
  contextOf,
  type DecisionModel,
  eitherRight,
  type FeatureContext,
  type FeatureVector,
  featuresOf,
  inContext,
  loadDecisionModel,
  probability,
} from './decision.ts';
import { dependsOnContext, type PreviousTurn, readInContext } from './follow-up.ts';
import { detectFollowUpIntent, detectSmalltalk, looksLikeInjection, mostlyNonLatin } from './intents.ts';
import { type ArticleQuote, type Entry, type KnowledgeBase, normalizeForVerbatim } from './knowledge.ts';
import { english as defaultEnglish, type English } from './language/english.ts';
import { QUESTION_WORDS } from './language/lexicon.ts';
import { type Analysis, type Candidate, type Match, Matcher } from './matcher.ts';
import { MATCHER_DEFAULTS, type MatcherConfig } from './matcher-config.ts';
import { DEFAULT_INDEX, readIndex } from './matcher-index.ts';
import {
  type AnswerPart,
  type DeclineReason,
  NARRATOR,
  type QuestionReply,
  type Quote,
  type Suggestion,
} from './reply.ts';
import type {
  ContextualReply,
  Inspection,
  InspectionContext,
  QaService,
  QuoteFilter,
  TopicInfo,
} from './service.ts';
import { cleanInput, foldCase, truncate, words } from './text.ts';
import { TEXTS } from './texts.ts';

/** Cuts text at a word boundary so replies stay within every platform's limits. */
export const clampText = (text: string, max: number): string => truncate(text, max, { atWord: true });

export interface QaServiceOptions {
  readonly config?: MatcherConfig;
  /** The fitted decision (default: src/core/decision-model.json). */
  readonly model?: DecisionModel;
  /** English resources (default: the generated english.txt), shared between services in tests. */
  readonly english?: English;
  /**
   * The tokenized knowledge base `npm run build` saved (matcher-index.ts), used when it matches this
   * knowledge base, config and code; `false` always builds it. Not used with `english` given.
   */
  readonly index?: string | false;
  /** Told about a bug caught while answering (the user still gets a polite decline). */
  readonly onError?: (error: unknown, question: string) => void;
}

export function createQaService(kb: KnowledgeBase, options: QaServiceOptions = {}): QaService {
  const config = options.config ?? MATCHER_DEFAULTS;
  const indexPath = options.english ? false : (options.index ?? DEFAULT_INDEX);
  const prebuilt = indexPath ? readIndex(indexPath, kb, config, defaultEnglish()) : undefined;
  const matcher = new Matcher(kb, config, options.english, prebuilt);
  const model = options.model ?? loadDecisionModel();
  const { thresholds } = model;
  const vocabulary = matcher.vocabulary;
  const entries = new Map<string, Entry>(kb.entries.map((e) => [e.id, e]));
  const gaps = new Map(kb.gaps.map((g) => [g.id, g]));
  const { limits, answers, screening, followUps } = config;
  const intro = TEXTS.intro(kb.article.headline, kb.article.publisher);
  const suggest = (e: Entry): Suggestion => ({ label: e.questions[0] ?? e.topic, entryId: e.id });
  // Twice the suggestions: "tell me more" skips the related entries already shown. Found for an
  // entry when first needed, so start-up does not compare every entry with every other.
  const related = perId((id) => relatedEntries(matcher, id, limits.maxSuggestions * 2));
  const relatedQuestions = (id: string): Suggestion[] =>
    related(id)
      .slice(0, limits.maxSuggestions)
      .flatMap((r) => {
        const e = entries.get(r);
        return e ? [suggest(e)] : [];
      });
  /** Who speaks in each entry's sentences: the article's quoted people, not the narrator. */
  const speakersOf = entrySpeakers(kb);
  // What a follow-up usually asks next to: entries citing one of an entry's sentences, and the
  // related entries its reply suggests.
  const citedBy = perId((id): ReadonlySet<string> => new Set(entries.get(id)?.support.map((s) => s.text)));
  const sameSentence = perId((id): ReadonlySet<string> => {
    const cited = citedBy(id);
    return new Set(
      kb.entries.filter((o) => o.id !== id && o.support.some((s) => cited.has(s.text))).map((o) => o.id),
    );
  });
  const relatedSet = perId((id): ReadonlySet<string> => new Set(related(id).slice(0, limits.maxSuggestions)));
  /** What the decision weighs a candidate against in a conversation: the previous answer. */
  const contextFor = (previous: PreviousTurn | undefined): FeatureContext | undefined => {
    const entryId = previous?.question ? previous.entryId : undefined;
    if (!followUps.contextPrior || !entryId) return undefined;
    return {
      previous: entryId,
      sameSentence: sameSentence(entryId),
      cited: citedBy(entryId),
      related: relatedSet(entryId),
    };
  };
  const exampleEntries = [
    ...kb.article.examples.flatMap((id) => kb.entries.filter((e) => e.id === id)),
    ...kb.entries.filter((e) => !kb.article.examples.includes(e.id)),
  ];
  const examples = (count: number) => exampleEntries.slice(0, count).map(suggest);
  // Built on first use: only Discord's autocomplete needs it, and start-up stays fast.
  let autocomplete: Fuse<{ q: string; id: string }> | undefined;
  const fuzzyQuestions = () =>
    (autocomplete ??= new (loadFuse())(
      kb.entries.flatMap((e) => e.questions.map((q) => ({ q, id: e.id }))),
      { keys: ['q'], threshold: 0.4, ignoreLocation: true },
    ));

  // The label of every entry (its curated question): buttons, autocomplete and inline results
  // offer these, so one sent back word for word is the reader's choice, not a guess to weigh.
  const labelWords = (text: string) => words(foldCase(cleanInput(text))).join(' ');
  const byLabel = new Map<string, string>();
  for (const e of kb.entries) {
    const label = labelWords(e.questions[0] ?? e.topic);
    if (byLabel.has(label)) byLabel.set(label, '');
    else byLabel.set(label, e.id);
  }
  const foldedQuestions = kb.entries.flatMap((e) =>
    e.questions.map((q) => ({ id: e.id, curated: q === e.questions[0], folded: foldCase(q) })),
  );
  // The entries nearest a gap's answer, which says what the article does cover around it ("it
  // covers Putin's remarks on ending the war and the US response"): the gap's decline suggests
  // them. Found when first needed, so start-up does not pay for every gap.
  const nearGap = perId((gapId): readonly string[] => {
    const gap = gaps.get(gapId);
    return gap ? nearestEntries(matcher, gap.answer, limits.maxSuggestions) : [];
  });
  /** Entries asked the same way ("Who is…?" for a who-question), when nothing else relates. */
  const openerOf = new Map(exampleEntries.map((e) => [e, words(foldCase(e.questions[0] ?? ''))[0]]));
  const askedAlike = (question: string): Entry[] => {
    const first = words(foldCase(question))[0];
    if (!first || !QUESTION_OPENERS.has(first)) return [];
    return exampleEntries.filter((e) => openerOf.get(e) === first);
  };
  /**
   * Suggestions under a decline, most related first: the entries the question came nearest to,
   * then those nearest the gap it matched, then entries asked the same way, then the examples.
   */
  const declineSuggestions = (question: string, nearby: readonly Suggestion[], gapId?: string) => {
    const out = [...nearby];
    const add = (e: Entry | undefined) => {
      if (e && out.length < limits.maxSuggestions && !out.some((s) => s.entryId === e.id))
        out.push(suggest(e));
    };
    for (const id of gapId ? nearGap(gapId) : []) add(entries.get(id));
    for (const e of askedAlike(question)) add(e);
    for (const e of exampleEntries) add(e);
    return out;
  };
  const round = (p: number) => Math.round(p * 1000) / 1000;
  /** Who each article sentence is attributed to, from the entries that cite it. */
  const speakerOf = new Map<string, string>();
  for (const e of kb.entries) for (const s of e.support) speakerOf.set(s.text, s.speaker);
  const speakerFor = (text: string) =>
    [...speakerOf].find(([s]) => s.includes(text) || text.includes(s))?.[1] ?? NARRATOR;

  const decline = (
    reason: DeclineReason,
    text: string,
    suggestions: readonly Suggestion[],
    confidence = 1,
  ): QuestionReply => ({
    kind: 'decline',
    reason,
    text: clampText(text, limits.maxReplyLength),
    suggestions: suggestions.slice(0, limits.maxSuggestions),
    confidence: round(confidence),
  });

  // Buttons show an entry's first, curated question rather than whichever casual sample matched.
  const canonicalQuestion = (candidate: Candidate): Suggestion => ({
    label: candidate.questions[0] ?? candidate.id,
    entryId: candidate.id,
  });

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
    if (mostlyNonLatin(question) || readsForeign(question))
      return decline('not-english', TEXTS.decline['not-english'], examples(limits.maxSuggestions));
    return { question };
  }

  /** Latin script, but mostly words that are neither English nor the article's ("¿Qué dijo…?"). */
  function readsForeign(question: string): boolean {
    const { english, foreign, functionWords } = matcher.languageOf(question);
    const share = (count: number) => count >= screening.foreignShare * (english + foreign);
    return (
      (foreign >= screening.foreignWords && share(foreign)) ||
      (functionWords >= screening.foreignWords && share(functionWords))
    );
  }

  interface Scored {
    readonly match: Match;
    readonly features: FeatureVector;
    /** Where it stands to the conversation's previous answer, when weighed in one. */
    readonly near?: ContextVector;
    readonly p: number;
  }

  /**
   * The candidates the decision weighs: the best entries and the best bare sentence. In a
   * conversation, each one's probability is corrected by where it stands to the previous answer
   * (the model's context prior, fitted on conversation turns).
   */
  function weigh(analysis: Analysis, context?: FeatureContext): { entries: Scored[]; sentence?: Scored } {
    const ranked = analysis.ranked.filter((m) => m.candidate.kind === 'entry');
    const score = (match: Match): Scored => {
      const features = featuresOf(match, analysis, ranked);
      const p = probability(model, features);
      if (!context) return { match, features, p };
      const near = contextOf(match.candidate, context);
      return { match, features, near, p: model.context ? inContext(model.context, p, near) : p };
    };
    const scoredEntries = ranked.slice(0, 3).map(score);
    scoredEntries.sort((a, b) => b.p - a.p);
    const top = analysis.sentences[0];
    return { entries: scoredEntries, ...(top ? { sentence: score(top) } : {}) };
  }

  /**
   * An answer of one or more parts (an entry's, a second one's, "more"'s related facts, the entry a
   * reader picked) at this confidence: the first part leads. Related facts in "more" often quote
   * one sentence: the reader sees it once (ask's two parts come from different sentences).
   */
  function answerOf(parts: readonly [AnswerPart, ...AnswerPart[]], confidence: number): QuestionReply {
    const [first] = parts;
    return {
      kind: 'answer',
      entryId: first.entryId,
      matchedQuestion: first.matchedQuestion,
      text: clampText(parts.map((p) => p.text).join('\n\n'), limits.maxReplyLength),
      quotes: parts
        .flatMap((p) => p.quotes)
        .filter((q, i, all) => all.findIndex((o) => o.text === q.text) === i),
      parts,
      confidence: round(confidence),
      suggestions: relatedQuestions(first.entryId).filter((q) => !parts.some((p) => p.entryId === q.entryId)),
    };
  }

  /** An entry's answer and quotes, as matched by one of its questions (by default its curated one). */
  function partOf(entry: Entry, matchedQuestion = entry.questions[0] ?? entry.topic): AnswerPart {
    return { entryId: entry.id, matchedQuestion, text: entry.answer, quotes: quotesOf(entry) };
  }

  function ask(raw: string, context?: FeatureContext): QuestionReply {
    const screened = screen(raw);
    if ('kind' in screened) return screened;
    const chosen = answers.labelsAnswer ? byLabel.get(labelWords(screened.question)) : undefined;
    if (chosen) return answerEntry(chosen);

    const analysis = matcher.analyze(screened.question);
    if (analysis.terms.length === 0)
      return decline('unreadable', TEXTS.decline.unreadable, examples(limits.maxSuggestions));
    // "why?" or "to who" alone names nothing to answer about (in a conversation, the context does).
    if (analysis.terms.every((t) => t.tokens.every((x) => QUESTION_WORDS.has(x))))
      return decline('unreadable', TEXTS.noSubject, examples(limits.maxSuggestions));
    const { entries: scored, sentence } = weigh(analysis, context);
    const best = scored[0];
    const nearby = scored.slice(0, limits.maxSuggestions).map((s) => canonicalQuestion(s.match.candidate));

    // Two entries from different sentences may each be a fair answer: when neither alone is sure
    // enough but together they are, answer with both rather than ask.
    const second = answers.secondPart
      ? scored.find(
          (s) =>
            s !== best &&
            best !== undefined &&
            s.p >= thresholds.answer * answers.secondPartFloor &&
            !s.match.candidate.sentences.some((x) => best.match.candidate.sentences.includes(x)),
        )
      : undefined;
    const together = best && second ? eitherRight(best.p, second.p) : 0;
    if (best && (best.p >= thresholds.answer || together >= thresholds.answer)) {
      const entry = entries.get(best.match.candidate.id);
      if (!entry) throw new Error(`matcher returned unknown entry ${best.match.candidate.id}`);
      const secondEntry = second && entries.get(second.match.candidate.id);
      const both = secondEntry && (second.p >= thresholds.answer || best.p < thresholds.answer);
      const first = partOf(entry, best.match.matchedQuestion);
      // The chance that what is shown is right: either part, when there are two.
      return both
        ? answerOf([first, partOf(secondEntry, second.match.matchedQuestion)], Math.max(best.p, together))
        : answerOf([first], best.p);
    }
    if (answers.sentenceFallback && sentence && sentence.p >= thresholds.answer) {
      // The sentence is the one a weighed entry answers from: that entry's answer, vouched for by it.
      // Only an entry fair in its own right (half the clarify bar): not a weak one that happens to cite it.
      const vouched = scored.find(
        (s) =>
          s.p >= thresholds.clarify / 2 &&
          sentence.match.candidate.sentences.every((x) => s.match.candidate.sentences.includes(x)),
      );
      const vouchedEntry = vouched && entries.get(vouched.match.candidate.id);
      if (vouched && vouchedEntry)
        return answerOf([partOf(vouchedEntry, vouched.match.matchedQuestion)], sentence.p);
      const text = sentence.match.candidate.questions[0] ?? '';
      const speaker = speakerFor(text);
      const quote = { text, speaker };
      return {
        kind: 'answer',
        entryId: sentence.match.candidate.id,
        matchedQuestion: text,
        text: clampText(TEXTS.sentenceAnswer(speaker), limits.maxReplyLength),
        quotes: [quote],
        parts: [{ entryId: sentence.match.candidate.id, matchedQuestion: text, text: '', quotes: [quote] }],
        confidence: round(sentence.p),
        suggestions: nearby,
      };
    }
    // Two fair candidates that together are likely right, though neither alone is: ask which.
    // A bare name ("putin") asks about someone the article covers, not something it does not
    // say: it is offered what the article says of them rather than declined (when the best entry
    // names them all: "nato" is a name, but not one the article's entries use).
    const reach = Math.max(best?.p ?? 0, together);
    const bareName =
      (best?.match.coverage ?? 0) >= 0.999 &&
      analysis.terms.every((t) => t.tokens.some((x) => vocabulary.isName(x)));
    if (best && (reach >= thresholds.clarify || bareName)) {
      // The second part that made the pair sure enough is among the choices, whatever its own p
      // (with secondPartFloor at 0.5 it always clears half the clarify bar anyway); a bare name is
      // offered every weighed entry, however unsure, and this replaces a gap's decline too.
      const choices = scored
        .filter((s) => s.p >= thresholds.clarify / 2 || s === second || bareName)
        .slice(0, limits.maxSuggestions)
        .map((s) => canonicalQuestion(s.match.candidate));
      return {
        kind: 'clarify',
        text: choices.length > 1 ? TEXTS.clarify : TEXTS.clarifyLowConfidence,
        suggestions: choices,
        confidence: round(reach),
      };
    }
    // Declining is right unless the best candidate (alone or with a second part) was.
    const confidence = 1 - Math.max(best?.p ?? 0, sentence?.p ?? 0, together);
    const top = analysis.ranked[0];
    const gap = top?.candidate.kind === 'gap' ? gaps.get(top.candidate.id) : undefined;
    const suggestions = declineSuggestions(screened.question, nearby, gap?.id);
    if (gap) return decline('article-silent', gap.answer, suggestions, confidence);
    return decline('not-covered', TEXTS.decline['not-covered'], suggestions, confidence);
  }

  /** The answer of one entry, chosen by the reader (a button, a numbered suggestion). */
  function answerEntry(entryId: string): QuestionReply {
    const entry = entries.get(entryId);
    // A button from an older knowledge base: say so rather than guess what it meant.
    if (!entry) return decline('not-covered', TEXTS.staleChoice, examples(limits.maxSuggestions));
    // The reader picked this entry: it answers what they chose.
    return answerOf([partOf(entry)], 1);
  }

  /** How sure a reply is that the article answers the question: the best candidate's probability. */
  function strength(reply: QuestionReply): number {
    if (reply.kind === 'answer' || reply.kind === 'clarify') return reply.confidence;
    if (reply.kind === 'decline' && (reply.reason === 'not-covered' || reply.reason === 'article-silent'))
      return 1 - reply.confidence;
    return 0;
  }

  /** Each quoted speaker with the name tokens that name them, found when "more" first needs them. */
  let speakerNames: readonly (readonly [string, readonly string[]])[] | undefined;
  /** The article's speakers a message names ("what else did kirby say": John Kirby). */
  function speakersNamed(message: string): string[] {
    speakerNames ??= [...new Set([...speakersOf.values()].flat())].map(
      (speaker) => [speaker, vocabulary.tokens(speaker).filter((t) => vocabulary.isName(t))] as const,
    );
    const said = new Set(vocabulary.tokens(cleanInput(message)));
    return speakerNames.filter(([, names]) => names.some((t) => said.has(t))).map(([speaker]) => speaker);
  }

  /**
   * "Tell me more": the related entries this conversation has not seen yet, as one answer; with
   * speakers named ("what else did kirby say"), only those speakers' facts not yet shown.
   */
  function more(previous: PreviousTurn & { entryId: string }, named: readonly string[] = []): QuestionReply {
    const shown = new Set([previous.entryId, ...(previous.shown ?? [])]);
    const near = related(previous.entryId);
    const speakers = named.length ? named : (speakersOf.get(previous.entryId) ?? []);
    // The same speaker's other facts first ("tell me more" after Putin's words: more of Putin's):
    // the related ones, then the rest in knowledge-base order; then the other related entries,
    // unless the reader asked for someone's words: once those run out, there is nothing more.
    const sameSpeaker = (id: string) => (speakersOf.get(id) ?? []).some((s) => speakers.includes(s));
    const pool =
      named.length || (followUps.moreBySpeaker && speakers.length)
        ? [
            ...new Set([
              ...near.filter(sameSpeaker),
              ...kb.entries.map((e) => e.id).filter(sameSpeaker),
              ...(named.length ? [] : near),
            ]),
          ]
        : near;
    const fresh = pool.filter((id) => !shown.has(id)).slice(0, 2);
    const parts = fresh.flatMap((id) => {
      const entry = entries.get(id);
      return entry ? [partOf(entry)] : [];
    });
    const [first, ...rest] = parts;
    if (!first) return decline('not-covered', TEXTS.followUp.nothingMore, examples(limits.maxSuggestions), 1);
    // Not a guess at a question: these are the article's own related facts.
    return answerOf([first, ...rest], 1);
  }

  /** "Source?": the last answer's supporting quotes, with the publisher. */
  function source(previous: PreviousTurn & { entryId: string }): QuestionReply {
    const entry = entries.get(previous.entryId);
    const sentence = matcher.sentenceCandidates.find((c) => c.id === previous.entryId);
    const quotes: Quote[] = entry
      ? quotesOf(entry)
      : (sentence?.questions ?? []).map((text) => ({ text, speaker: speakerFor(text) }));
    if (!quotes.length)
      return decline('not-covered', TEXTS.decline['not-covered'], examples(limits.maxSuggestions));
    const matchedQuestion = entry?.questions[0] ?? quotes[0]?.text ?? '';
    return {
      kind: 'answer',
      entryId: previous.entryId,
      matchedQuestion,
      text: TEXTS.followUp.source(kb.article.headline, kb.article.publisher),
      quotes,
      parts: [{ entryId: previous.entryId, matchedQuestion, text: '', quotes }],
      confidence: 1,
      suggestions: relatedQuestions(previous.entryId),
    };
  }

  function askInContext(message: string, previous: PreviousTurn | undefined): ContextualReply {
    // "More" or "source?" about the last answer needs no matching, so the message is not read
    // alone first; smalltalk still comes first ("how do you know" is about the bot).
    const intent =
      previous?.entryId && message.length <= limits.maxQuestionLength && !detectSmalltalk(message)
        ? detectFollowUpIntent(message)
        : undefined;
    if (intent && previous?.entryId) {
      const withEntry = { ...previous, entryId: previous.entryId };
      // "What else did Kirby say" after Putin's words asks for Kirby's, and makes Kirby the subject.
      const named = intent === 'more' ? speakersNamed(message) : [];
      const reply = intent === 'more' ? more(withEntry, named) : source(withEntry);
      if (named.length && reply.kind === 'answer')
        return { reply, question: reply.matchedQuestion, followUp: true, intent, subject: reply.entryId };
      return { reply, question: previous.question, followUp: true, intent };
    }
    // The message alone is weighed as if asked first: a paraphrase of the last question ("can
    // russians say invasion?" after "Which words are banned?") must not lose its own answer.
    const alone = ask(message);
    if (!previous || alone.kind === 'smalltalk') return { reply: alone, question: message, followUp: false };
    // Another language is never read as a follow-up: the note that the bot reads English is the answer.
    if (alone.kind === 'decline' && FINAL_DECLINES.has(alone.reason))
      return { reply: alone, question: message, followUp: false };
    const reading = readInContext(vocabulary, message, previous.question);
    if (reading === message) return { reply: alone, question: message, followUp: false };
    const inContext = ask(reading, contextFor(previous));
    // A message that points back is read in context unless that reading finds nothing at all.
    // Any other message that the article answers stands on its own and replaces the context; only
    // when it does not, the surer of the two readings wins (the message alone wins ties).
    const dependent =
      dependsOnContext(vocabulary, message) &&
      !(inContext.kind === 'decline' && inContext.reason !== 'article-silent' && alone.kind === 'answer');
    const standsAlone = alone.kind === 'answer';
    return dependent || (!standsAlone && strength(inContext) > strength(alone))
      ? { reply: inContext, question: reading, followUp: true }
      : { reply: alone, question: message, followUp: false };
  }

  function inspect(question: string, conversation?: InspectionContext): Inspection {
    const screened = screen(question);
    if ('kind' in screened) return { terms: [], candidates: [], screened: screened.kind };
    const analysis = matcher.analyze(screened.question);
    const context = contextFor(conversation?.previous);
    const { entries: scored, sentence } = weigh(analysis, context);
    return {
      terms: analysis.terms.map((t) => ({
        word: t.word,
        tokens: t.tokens,
        weight: t.weight,
        credit: t.credit,
        known: t.known,
      })),
      candidates: [...scored, ...(sentence ? [sentence] : [])].map((s) => ({
        id: s.match.candidate.id,
        kind: s.match.candidate.kind,
        sentences: s.match.candidate.sentences,
        score: s.match.score,
        features: s.features,
        ...(s.near ? { context: s.near } : {}),
        probability: s.p,
        matchedQuestion: s.match.matchedQuestion,
      })),
      gaps: analysis.ranked
        .filter((m) => m.candidate.kind === 'gap')
        .slice(0, 2)
        .map((m) => ({ id: m.candidate.id, score: m.score })),
    };
  }

  /**
   * Autocomplete: the curated question (each entry's first) of the entries whose questions start
   * with what was typed, then of those with every typed word as a word prefix (so "who is k" finds
   * "Who is John Kirby?"), then Fuse's fuzzy matches for typos. Samples are matched but never shown:
   * they are casual ("kirby role?") or carry a false premise on purpose ("Why did Kirby say…").
   */
  function complete(partial: string, limit: number): string[] {
    const max = Math.max(0, limit);
    const text = foldCase(cleanInput(typeof partial === 'string' ? partial : '').slice(0, 200));
    if (!text) return exampleEntries.slice(0, max).map((e) => suggest(e).label);
    const typed = text.split(' ');
    const curatedPrefix: string[] = [];
    const prefixed: string[] = [];
    const wordPrefixed: string[] = [];
    for (const { id, curated, folded } of foldedQuestions) {
      if (folded.startsWith(text)) (curated ? curatedPrefix : prefixed).push(id);
      else if (typed.every((t) => folded.split(' ').some((w) => w.startsWith(t)))) wordPrefixed.push(id);
    }
    const fuzzy = fuzzyQuestions()
      .search(text, { limit: max * 4 })
      .map((r) => r.item.id);
    return [...new Set([...curatedPrefix, ...prefixed, ...wordPrefixed, ...fuzzy])]
      .slice(0, max)
      .flatMap((id) => {
        const entry = entries.get(id);
        return entry ? [suggest(entry).label] : [];
      });
  }

  function topics(): TopicInfo[] {
    return kb.entries.map((e) => ({ id: e.id, topic: e.topic, example: e.questions[0] ?? e.topic }));
  }

  function speakers(): string[] {
    return [...new Set(kb.quotes.map((q) => q.speaker))];
  }

  // A quote is about an entry's topic when the entry cites the sentence the quote comes from and
  // the matcher, reading the quote as a question, ranks the entry near the best of those: a long
  // sentence cited for its date or its speaker is not what a quote inside it is about.
  let quotesAboutCache: Map<string, ArticleQuote[]> | undefined;
  const quotesAbout = (entryId: string): readonly ArticleQuote[] => {
    if (!quotesAboutCache) {
      const about = new Map<string, ArticleQuote[]>();
      for (const quote of kb.quotes) {
        const text = normalizeForVerbatim(quote.text);
        const cites = (e: Entry) =>
          e.support.some((s) => {
            const cited = normalizeForVerbatim(s.text);
            return cited.includes(text) || text.includes(cited);
          });
        const ranked = matcher.analyze(quote.text).ranked.filter((m) => {
          const entry = m.candidate.kind === 'entry' ? entries.get(m.candidate.id) : undefined;
          return entry !== undefined && cites(entry);
        });
        const best = ranked[0]?.score ?? 0;
        for (const m of ranked) {
          if (m.score < best * config.quotes.topicShare) break;
          about.set(m.candidate.id, [...(about.get(m.candidate.id) ?? []), quote]);
        }
      }
      quotesAboutCache = about;
    }
    return quotesAboutCache.get(entryId) ?? [];
  };
  const topicEntry = (topic: string) => {
    const wanted = foldCase(topic);
    return kb.entries.find((e) => e.id === topic.trim() || foldCase(e.topic) === wanted);
  };

  function quoteTopics(): TopicInfo[] {
    return topics().filter((t) => quotesAbout(t.id).length > 0);
  }

  function findQuotes(filter: QuoteFilter): ArticleQuote[] {
    let pool = kb.quotes;
    if (filter.speaker?.trim()) {
      const wanted = new Set(vocabulary.tokens(filter.speaker));
      pool = pool.filter((q) => vocabulary.tokens(q.speaker).some((t) => wanted.has(t)));
    }
    const entry = filter.topic?.trim() ? topicEntry(filter.topic) : undefined;
    if (entry) {
      // A topic chosen from the list: the quotes from the sentences that topic's entry cites.
      const about = new Set(quotesAbout(entry.id));
      pool = pool.filter((q) => about.has(q));
    } else if (filter.topic?.trim()) {
      const wanted = matcher.terms(filter.topic).terms.flatMap((t) => t.tokens);
      const scored = pool
        .map((q) => {
          const have = new Set(vocabulary.tokens(`${q.text} ${q.context}`));
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
    askInContext(message: string, previous?: PreviousTurn): ContextualReply {
      try {
        return askInContext(message, previous);
      } catch (error) {
        options.onError?.(error, message);
        const reply = decline('not-covered', TEXTS.decline['not-covered'], examples(limits.maxSuggestions));
        return { reply, question: message, followUp: false };
      }
    },
    answerEntry,
    readings: (message: string, previous: PreviousTurn) => ({
      inContext: readInContext(vocabulary, message, previous.question),
      dependent: dependsOnContext(vocabulary, message),
    }),
    complete,
    inspect,
    tokens: (text: string) => vocabulary.tokens(cleanInput(text)),
    topics,
    speakers,
    quoteTopics,
    findQuotes,
    examples,
  };
}

/** Declines that are the whole answer, whatever the conversation before: never read as a follow-up. */
const FINAL_DECLINES: ReadonlySet<DeclineReason> = new Set(['too-long', 'injection', 'not-english']);

/** First words of a question that say what kind of answer it wants ("who…", "did…"). */
const QUESTION_OPENERS: ReadonlySet<string> = new Set(
  'who what when where why how which is are does did will has can'.split(' '),
);

/**
 * Per entry, the people quoted in its sentences (the article's quotes inside them) and the
 * speakers of its supporting sentences, the narrator aside.
 */
function entrySpeakers(kb: KnowledgeBase): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of kb.entries) {
    const speakers = new Set<string>();
    for (const s of e.support) {
      if (s.speaker !== NARRATOR) speakers.add(s.speaker);
      const cited = normalizeForVerbatim(s.text);
      for (const q of kb.quotes) {
        const quoted = normalizeForVerbatim(q.text);
        if (cited.includes(quoted) || quoted.includes(cited)) speakers.add(q.speaker);
      }
    }
    out.set(e.id, [...speakers]);
  }
  return out;
}

/** The entries the matcher ranks highest for a text, as if it were a question. */
function nearestEntries(matcher: Matcher, text: string, count: number): string[] {
  return matcher
    .analyze(text)
    .ranked.filter((m) => m.candidate.kind === 'entry')
    .slice(0, count)
    .map((m) => m.candidate.id);
}

/** A value for each entry or gap id, computed the first time it is asked for. */
function perId<T extends object>(compute: (id: string) => T): (id: string) => T {
  const known = new Map<string, T>();
  return (id) => {
    const cached = known.get(id);
    if (cached) return cached;
    const value = compute(id);
    known.set(id, value);
    return value;
  };
}

/** The ids of the entries whose vocabulary overlaps this entry's most, closest first. */
function relatedEntries(matcher: Matcher, id: string, count: number): string[] {
  const entries = matcher.candidates.filter((c) => c.kind === 'entry');
  const entry = entries.find((c) => c.id === id);
  if (!entry) return [];
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
  return entries
    .filter((o) => o !== entry)
    .map((o) => ({ o, s: similarity(entry, o) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, count)
    .map(({ o }) => o.id);
}

/** Fuse.js, loaded when autocomplete first needs it (about 4 ms of every start otherwise). */
function loadFuse(): typeof Fuse {
  return createRequire(import.meta.url)('fuse.js') as typeof Fuse;
}
